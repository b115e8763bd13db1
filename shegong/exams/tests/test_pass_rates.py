"""Pass rates on a hand-computed dataset, and trainees against others through the registry.

Six people, results:
  2025 junior comprehensive: A pass, B pass, C fail            -> 2/3
  2025 junior practice:      A pass, B fail                    -> 1/2
  2025 intermediate law:     D pass, E fail, F fail, C pass    -> 2/4
  2024 junior comprehensive: E pass                            -> 1/1
By level: junior 4/6 = 66.7 %, intermediate 2/4 = 50.0 %. By year: 2025 5/9 = 55.6 %, 2024 1/1.
Trainees (the registered source says A and D trained for 2025, E for 2024):
  2025 trainees: A pass, A pass, D pass -> 3/3 = 100 %; others: 2/6 = 33.3 %. 2024: 1/1, 0/0.
"""

import pytest

from shegong.exams import registry
from shegong.exams.selectors import pass_rates, results_for, trainee_comparison
from shegong.exams.tests.factories import make_person, make_result

pytestmark = pytest.mark.django_db


@pytest.fixture
def dataset(world):
    people = {key: make_person(world, 20 + n, f"考生{key}") for n, key in enumerate("ABCDEF")}
    rows = [
        (2025, "junior", "comprehensive", "A", True),
        (2025, "junior", "comprehensive", "B", True),
        (2025, "junior", "comprehensive", "C", False),
        (2025, "junior", "practice", "A", True),
        (2025, "junior", "practice", "B", False),
        (2025, "intermediate", "law_policy", "D", True),
        (2025, "intermediate", "law_policy", "E", False),
        (2025, "intermediate", "law_policy", "F", False),
        (2025, "intermediate", "law_policy", "C", True),
        (2024, "junior", "comprehensive", "E", True),
    ]
    for year, level, subject, key, passed in rows:
        make_result(world, people[key], year=year, level=level, subject=subject, passed=passed)
    return people


def _table(rows):
    return {(r.year, r.level, r.subject): (r.passed, r.sat, r.rate) for r in rows}


def test_pass_rates_by_level_subject_and_year(world, dataset):
    results = results_for(world.users["training_admin"])
    assert _table(pass_rates(results, ("level",))) == {
        (None, "intermediate", ""): (2, 4, 50.0),
        (None, "junior", ""): (4, 6, 66.7),
    }
    assert _table(pass_rates(results, ("level", "subject"))) == {
        (None, "intermediate", "law_policy"): (2, 4, 50.0),
        (None, "junior", "comprehensive"): (3, 4, 75.0),
        (None, "junior", "practice"): (1, 2, 50.0),
    }
    assert _table(pass_rates(results, ("year",))) == {
        (2025, "", ""): (5, 9, 55.6),
        (2024, "", ""): (1, 1, 100.0),
    }


def test_trainees_against_others_through_the_registry(world, dataset):
    trained = {2025: {dataset["A"].pk, dataset["D"].pk}, 2024: {dataset["E"].pk}}

    def source(person_ids, year):
        assert isinstance(person_ids, set)
        return trained.get(year, set()) & person_ids

    results = results_for(world.users["training_admin"])
    try:
        registry.add_trainee_source(source, key="test")
        rows = {row.year: row for row in trainee_comparison(results)}
    finally:
        registry.remove_trainee_source("test")
    assert (rows[2025].trainees.passed, rows[2025].trainees.sat, rows[2025].trainees.rate) == (
        3,
        3,
        100.0,
    )
    assert (rows[2025].others.passed, rows[2025].others.sat, rows[2025].others.rate) == (
        2,
        6,
        33.3,
    )
    assert (rows[2024].trainees.sat, rows[2024].others.sat, rows[2024].others.rate) == (1, 0, None)
    # With no source, nobody is a trainee.
    plain = {row.year: row for row in trainee_comparison(results)}
    assert plain[2025].trainees.sat == 0 and plain[2025].others.sat == 9
