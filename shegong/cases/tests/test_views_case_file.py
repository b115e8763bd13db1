"""The case file page: content for the worker and the agency's leads, existence for place
roles, 404 for everyone else; every open is in the access log."""

import pytest

from shegong.cases.choices import CaseStatus
from shegong.cases.tests.factories import CaseFactory, ServiceNoteFactory
from shegong.core.models import AccessLog

pytestmark = pytest.mark.django_db

PROBLEM = "家庭经济困难，子女学业受影响。"


@pytest.fixture
def case(world):
    case = CaseFactory(stage=CaseStatus.INTERVENTION)
    ServiceNoteFactory(case=case, content="入户探访记录：母亲情绪低落。", participants=2)
    return case


@pytest.mark.parametrize("persona", ["social_worker", "supervisor", "agency_admin"])
def test_content_holders_read_the_whole_file(client_for, case, persona):
    response = client_for(persona).get(f"/cases/{case.pk}/")
    assert response.status_code == 200
    html = response.content.decode()
    assert PROBLEM in html
    assert "入户探访记录：母亲情绪低落。" in html
    assert case.client.name in html
    assert 'data-testid="case-steps"' in html


@pytest.mark.parametrize("persona", ["community_staff", "street_admin", "district_admin"])
def test_place_roles_see_existence_and_statistics_only(client_for, case, persona):
    response = client_for(persona).get(f"/cases/{case.pk}/")
    assert response.status_code == 200
    html = response.content.decode()
    assert case.number in html
    assert 'data-testid="existence-only"' in html
    assert 'data-testid="case-person-times">2<' in html
    assert 'data-testid="case-note-count">1<' in html
    assert PROBLEM not in html
    assert "母亲情绪低落" not in html
    assert case.client.name not in html


@pytest.mark.parametrize("persona", ["social_worker", "community_staff"])
def test_the_note_count_and_minutes_read_alike_with_or_without_content(client_for, persona):
    case = CaseFactory(stage=CaseStatus.INTERVENTION)
    ServiceNoteFactory(case=case, duration_minutes=30)
    ServiceNoteFactory(case=case, duration_minutes=45)
    html = client_for(persona).get(f"/cases/{case.pk}/").content.decode()
    assert 'data-testid="case-note-count">2<' in html
    assert 'data-testid="case-note-minutes">75<' in html


@pytest.mark.parametrize("persona", ["social_worker_b", "volunteer", "auditor", "evaluator"])
def test_others_get_404(client_for, case, persona):
    assert client_for(persona).get(f"/cases/{case.pk}/").status_code == 404
    assert client_for(persona).get(f"/cases/{case.pk}/print/").status_code == 404


def test_every_open_is_logged(client_for, world, case):
    for persona in ("social_worker", "community_staff"):
        client_for(persona).get(f"/cases/{case.pk}/")
        assert AccessLog.objects.filter(
            user=world.users[persona],
            action=AccessLog.Action.OPEN,
            object_type="cases.Case",
            object_id=str(case.pk),
        ).exists()


def test_a_refused_open_is_not_logged(client_for, world, case):
    client_for("social_worker_b").get(f"/cases/{case.pk}/")
    assert not AccessLog.objects.filter(user=world.users["social_worker_b"]).exists()


def test_buttons_follow_the_state_machine(client_for, world):
    intake = CaseFactory()
    html = client_for("social_worker").get(f"/cases/{intake.pk}/").content.decode()
    assert 'data-testid="action-assessment"' in html
    assert 'data-testid="action-plan"' not in html
    assert 'data-testid="action-evaluation"' not in html
    working = CaseFactory(stage=CaseStatus.INTERVENTION)
    html = client_for("social_worker").get(f"/cases/{working.pk}/").content.decode()
    assert 'data-testid="action-note"' in html
    assert 'data-testid="action-evaluation"' in html
    assert 'data-testid="action-assessment"' not in html
    assert 'data-testid="action-reopen"' not in html


def test_print_is_a_clean_document_and_logged(client_for, world, case):
    response = client_for("supervisor").get(f"/cases/{case.pk}/print/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "入户探访记录：母亲情绪低落。" in html
    assert 'data-testid="main-menu"' not in html
    assert "case_print.css" in html
    assert case.client.id_number not in html
    assert AccessLog.objects.filter(
        user=world.users["supervisor"], object_id=str(case.pk), detail="print"
    ).exists()


def test_place_roles_cannot_print(client_for, case):
    assert client_for("community_staff").get(f"/cases/{case.pk}/print/").status_code == 404


def test_queries_do_not_grow_with_the_notes(client_for, case):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def queries(persona):
        with CaptureQueriesContext(connection) as captured:
            assert client_for(persona).get(f"/cases/{case.pk}/").status_code == 200
        return len(captured)

    before = {persona: queries(persona) for persona in ("social_worker", "community_staff")}
    for _n in range(4):
        ServiceNoteFactory(case=case)
    assert {persona: queries(persona) for persona in before} == before
