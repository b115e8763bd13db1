"""Questions, attempts and results made through the services, as the pages make them."""

import itertools

from shegong.exams.services import question_create, result_create
from shegong.people.services import person_create
from shegong.people.tests.factories import resident_id

_numbers = itertools.count(1)


def question_data(**overrides) -> dict:
    n = next(_numbers)
    data = {
        "subject": "comprehensive",
        "level": "junior",
        "kind": "single",
        "stem": f"测试题{n}：社会工作的首要价值是什么？",
        "option_a": "以人为本",
        "option_b": "效率优先",
        "option_c": "利润最大",
        "option_d": "",
        "answer": "A",
        "explanation": "社会工作坚持以人为本、助人自助。",
    }
    data.update(overrides)
    return data


def make_question(actor, **overrides):
    return question_create(actor=actor, **question_data(**overrides))


def make_multiple(actor, answer="AC", **overrides):
    return make_question(
        actor,
        kind="multiple",
        option_a="甲",
        option_b="乙",
        option_c="丙",
        option_d="丁",
        answer=answer,
        **overrides,
    )


def make_person(world, n: int, name: str = "", **extra):
    return person_create(
        actor=world.users["district_admin"],
        name=name or f"考生{n}",
        id_number=resident_id(8800 + n),
        community=world.home_community,
        **extra,
    )


def make_result(world, person, **data):
    values = {"year": 2025, "level": "junior", "subject": "comprehensive", "passed": True}
    values.update(data)
    return result_create(
        actor=world.users["training_admin"],
        name=person.name,
        id_number=person.id_number,
        **values,
    )
