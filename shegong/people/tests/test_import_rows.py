"""Checking and inserting people rows for an import (shegong.people.importers)."""

import json

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction

from shegong.imports.tests.sheets import synthetic_id
from shegong.people.importers import HEADERS, PeopleImporter, RowsChanged, Target, map_header
from shegong.people.models import Person
from shegong.people.services import person_create


@pytest.fixture
def importer(world):
    user = world.users["community_staff"]
    return PeopleImporter(Target.for_actor(user, community=world.home_community))


def check(importer, rows):
    positions = map_header(list(HEADERS))
    numbered = [(number, row) for number, row in enumerate(rows, start=2)]
    return [item for chunk in importer.check(numbered, positions) for item in chunk]


def errors_of(checked):
    return {row: errors for row, _staged, errors, _report in checked if errors}


def row(n, **cells):
    values = {"name": "张三", "id_type": "", "id_number": synthetic_id(n), "mobile": ""}
    values["community"] = ""
    values.update(cells)
    return [values[k] for k in ("name", "id_type", "id_number", "mobile", "community")]


def test_headers_in_chinese_or_english_in_any_order():
    assert map_header(["*姓名", "手机号码", "证件号码"]) == {"name": 0, "mobile": 1, "id_number": 2}
    assert map_header(["ID Number", "Name", "Community"]) == {
        "id_number": 0,
        "name": 1,
        "community": 2,
    }


def test_missing_required_columns_are_all_named():
    with pytest.raises(ValidationError) as caught:
        map_header(["手机号码", "所属社区"])
    message = caught.value.messages[0]
    assert "姓名" in message and "证件号码" in message


def test_errors_carry_the_same_messages_as_registering_one_person(world, importer):
    bad_checksum = synthetic_id(1)[:-1] + ("0" if synthetic_id(1)[-1] != "0" else "1")
    checked = check(importer, [row(1, id_number=bad_checksum), row(2, mobile="12345")])
    errors = errors_of(checked)
    for number, (field, value) in {2: ("id_number", bad_checksum), 3: ("mobile", "12345")}.items():
        with pytest.raises(ValidationError) as caught:
            person_create(
                actor=world.users["community_staff"],
                name="张三",
                id_type="resident_id",
                id_number=synthetic_id(9) if field == "mobile" else value,
                mobile=value if field == "mobile" else "",
                community=world.home_community,
            )
        assert errors[number] == [(field, caught.value.message_dict[field][0])]
    assert Person.objects.count() == 0


def test_blank_rows_are_skipped_and_blank_required_cells_reported(importer):
    checked = check(
        importer,
        [row(1), ["", "", "", "", ""], row(2, name="", id_number="", mobile="13800000001")],
    )
    assert [item[0] for item in checked] == [2, 4]
    assert {field for field, _ in errors_of(checked)[4]} == {"name", "id_number"}


def test_duplicates_inside_the_file_point_at_the_first_row(importer):
    checked = check(importer, [row(1), row(2), row(1, name="李四")])
    ((field, message),) = errors_of(checked)[4]
    assert field == "id_number" and "2" in message
    assert synthetic_id(1) not in message


def test_duplicates_against_the_database_name_the_masked_record(world, importer):
    existing = person_create(
        actor=world.users["community_staff"],
        name="王五",
        id_type="resident_id",
        id_number=synthetic_id(5),
        community=world.home_community,
    )
    ((field, message),) = errors_of(check(importer, [row(5)]))[2]
    assert existing.id_number_masked in message and existing.number in message


def test_each_record_found_by_an_imported_id_number_is_in_the_access_log(world, importer):
    from shegong.core.models import AccessLog

    existing = person_create(
        actor=world.users["district_admin"],
        name="王五",
        id_type="resident_id",
        id_number=synthetic_id(6),
        community=world.home_community,
    )
    check(importer, [row(6), row(7)])
    hits = AccessLog.objects.filter(action=AccessLog.Action.DUPLICATE)
    assert list(hits.values_list("user__username", "object_id", "detail")) == [
        ("community_staff", str(existing.pk), "import")
    ]


def test_id_types_by_label_or_alias(importer):
    permit = "830000" + synthetic_id(3)[6:17]
    from stdnum.cn import ric

    permit += ric.calc_check_digit(permit + "0")
    checked = check(
        importer,
        [
            row(1, id_type="护照", id_number="E1234567"),
            row(2, id_type="港澳台居民居住证", id_number=permit),
            row(3, id_type="驾驶证"),
        ],
    )
    assert [field for field, _ in errors_of(checked)[4]] == ["id_type"]
    staged = {item[0]: item[1] for item in checked if item[1]}
    assert staged[2][4] == "passport"
    assert staged[3][4] == "tw_permit"


def test_communities_by_name_or_code_within_the_users_scope(world, importer):
    code = world.home_community.code
    checked = check(importer, [row(1, community=code), row(2, community="高林社区"), row(3)])
    staged = {item[0]: item[1] for item in checked if item[1]}
    assert staged[2][-1] == world.home_community.pk
    assert staged[4][-1] == world.home_community.pk  # the import's default community
    assert [field for field, _ in errors_of(checked)[3]] == ["community"]


def test_staged_rows_hold_no_plaintext_and_insert_as_real_people(world, importer):
    rows = [row(n, name=f"居民{n}", mobile=f"1380000{n:04d}") for n in range(1, 6)]
    checked = check(importer, rows)
    staged = [item[1] for item in checked]
    dumped = json.dumps(staged, ensure_ascii=False)
    for cells in rows:
        assert cells[2] not in dumped and cells[3] not in dumped
    with transaction.atomic():
        assert importer.insert(staged) == 5
    person = Person.objects.get(name="居民3")
    assert person.id_number == synthetic_id(3)
    assert person.mobile == "13800000003"
    assert person.birth_date.isoformat().replace("-", "") == synthetic_id(3)[6:14]
    assert person.gender in ("male", "female")
    assert person.community == world.home_community
    assert person.created_by == world.users["community_staff"]
    assert person.created_at is not None
    assert "jumin3" in person.search_text
    assert Person.objects.filter(
        id_number_index=Person._meta.get_field("id_number_index").index_of(synthetic_id(3))
    ).exists()


def test_insert_refuses_a_number_registered_since_the_check(world, importer):
    staged = [item[1] for item in check(importer, [row(1), row(2)])]
    person_create(
        actor=world.users["community_staff"],
        name="抢先",
        id_type="resident_id",
        id_number=synthetic_id(2),
        community=world.home_community,
    )
    with pytest.raises(RowsChanged) as caught:
        importer.insert(staged)
    assert caught.value.row_number == 3
    assert Person.objects.count() == 1


@pytest.mark.parametrize("name", ["\uffff", "张\ufffe三", "\u3164", "\u0301\u0301", "张\u200f三"])
def test_a_name_that_breaks_exports_or_shows_blank_is_an_error_of_its_row(importer, name):
    errors = errors_of(check(importer, [row(1), row(2, name=name)]))
    assert list(errors) == [3]
    assert [field for field, _message in errors[3]] == ["name"]
