"""Home-page case figures: open/closed counts and person-times of the cases in the user's scope."""

import pytest

from shegong.cases.choices import CaseStatus
from shegong.cases.tests.factories import CaseFactory, add_note

pytestmark = pytest.mark.django_db


def figure(response, testid: str) -> int:
    html = response.content.decode()
    marker = f'data-testid="figure-{testid}">'
    return int(html.split(marker, 1)[1].split("<", 1)[0])


def test_person_times_rise_with_each_note(client_for, world):
    case = CaseFactory(stage=CaseStatus.INTERVENTION)
    before = {
        p: figure(client_for(p).get("/"), "person-times")
        for p in ("social_worker", "community_staff")
    }
    add_note(case, participants=2)
    add_note(case, participants=1)
    add_note(case, participants=4)
    for persona, value in before.items():
        assert figure(client_for(persona).get("/"), "person-times") == value + 7


def test_open_and_closed_cases_are_counted(client_for, world):
    before = figure(client_for("supervisor").get("/"), "cases")
    CaseFactory()
    CaseFactory(stage=CaseStatus.CLOSED)
    assert figure(client_for("supervisor").get("/"), "cases") == before + 1


def test_another_agencys_notes_do_not_count(client_for, world):
    before = figure(client_for("social_worker_b").get("/"), "person-times")
    add_note(CaseFactory(stage=CaseStatus.INTERVENTION), participants=5)
    assert figure(client_for("social_worker_b").get("/"), "person-times") == before


@pytest.mark.parametrize("persona", ["volunteer", "auditor"])
def test_no_case_figures_without_cases(client_for, persona):
    html = client_for(persona).get("/").content.decode()
    assert 'data-testid="figure-person-times"' not in html
