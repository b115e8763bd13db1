"""Finding people the way staff type: characters, pinyin, initials, or an exact number."""

import pytest

from shegong.people.models import Person
from shegong.people.search import search_text_for
from shegong.people.selectors import people_search
from shegong.people.tests.factories import PersonFactory


def found(query) -> set[str]:
    return set(people_search(Person.objects.all(), query).values_list("name", flat=True))


@pytest.fixture
def residents(db):
    return {
        "张三": PersonFactory(name="张三"),
        "李四": PersonFactory(name="李四"),
        "单田芳": PersonFactory(name="单田芳"),
        "张三丰": PersonFactory(name="张三丰"),
    }


@pytest.mark.parametrize("query", ["张三", "zhangsan", "zs", "ZhangSan", " zhang san "])
def test_zhang_san_is_found_by_characters_pinyin_and_initials(residents, query):
    assert "张三" in found(query)
    assert "李四" not in found(query)


def test_heteronym_surname_is_found_by_every_reading(residents):
    # 单 reads shan as a surname and dan as a word; staff type either.
    assert "单田芳" in found("shantianfang")
    assert "单田芳" in found("dantianfang")
    assert "单田芳" in found("stf")
    assert "单田芳" in found("dtf")


def test_partial_pinyin_finds_prefix_matches(residents):
    assert found("zhangsanfeng") == {"张三丰"}
    assert {"张三", "张三丰"} <= found("zhang")


def test_exact_id_number_and_mobile_find_the_person(residents):
    person = residents["李四"]
    assert found(person.id_number) == {"李四"}
    assert found(person.id_number.lower()) == {"李四"}
    assert found(person.mobile) == {"李四"}


def test_part_of_an_id_number_finds_nobody(residents):
    # Numbers are encrypted: only an exact match through the blind index can find them.
    assert found(residents["李四"].id_number[:10]) == set()


def test_empty_query_returns_everyone(residents):
    assert len(found("")) == 4


def test_search_text_has_name_full_pinyin_initials_and_words():
    text = search_text_for("张三")
    assert text.split()[:1] == ["张三"]
    assert "zhangsan" in text.split()
    assert "zs" in text.split()
