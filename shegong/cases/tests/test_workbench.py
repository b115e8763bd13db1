"""Case work on the workbench: each role's to-do counts follow the work that waits for them."""

import datetime

import pytest

from shegong.accounts.models import RoleAssignment, User
from shegong.cases import services
from shegong.cases.choices import CaseStatus, ReviewKind, RiskLevel
from shegong.cases.tests.factories import (
    CaseFactory,
    SharingConsentFactory,
    decide,
    demo_user,
    today,
    write_plan,
)
from shegong.core.registry import todos_for

pytestmark = pytest.mark.django_db


def counts(username_or_user) -> dict:
    user = username_or_user
    if isinstance(user, str):
        user = demo_user(user)
    return {todo.testid: todo.count for todo in todos_for(user)}


def test_a_submitted_plan_waits_for_every_lead_but_the_one_who_carries_the_case(world):
    CaseFactory(stage=CaseStatus.PLANNING)
    assert counts("supervisor")["approvals"] == 1
    assert counts("agency_admin")["approvals"] == 1
    CaseFactory(stage=CaseStatus.PLANNING, worker=demo_user("supervisor"))
    # The supervisor's own case is decided by another lead: not on their bench.
    assert counts("supervisor")["approvals"] == 1
    assert counts("agency_admin")["approvals"] == 2
    assert "approvals" not in counts("social_worker")


def test_a_closure_request_waits_too_and_leaves_once_decided(world):
    case = CaseFactory(stage=CaseStatus.CLOSURE_PENDING)
    assert counts("supervisor")["approvals"] == 1
    decide(case, ReviewKind.CLOSURE)
    assert counts("supervisor")["approvals"] == 0


def test_a_referral_waits_in_the_receiving_agencys_inbox(world):
    lead_b = User.objects.create(username="lead_b")
    RoleAssignment.objects.create(user=lead_b, role="supervisor", agency=world.agency_b)
    case = CaseFactory(stage=CaseStatus.INTERVENTION)
    services.referral_create(
        actor=case.worker,
        case=case,
        reason="迁居",
        summary_for_receiver="需要就近服务。",
        consent=SharingConsentFactory(person=case.client),
        to_agency=world.agency_b,
    )
    assert counts(lead_b)["referrals"] == 1
    assert counts("supervisor")["referrals"] == 0


def test_overdue_tasks_and_quiet_clients_wait_for_their_worker(world):
    case = CaseFactory(stage=CaseStatus.ASSESSMENT)
    overdue = today() - datetime.timedelta(days=3)
    write_plan(case, tasks=[{"description": "陪同就医", "due_date": overdue, "goal": 0}])
    decide(case, ReviewKind.PLAN)
    mine = counts("social_worker")
    assert mine["overdue"] == 1
    # Opened 60 days ago with no contact since: past the 30-day reminder.
    assert mine["no-contact"] == 1
    services.note_add(
        actor=case.worker,
        case=case,
        contact_date=today(),
        duration_minutes=30,
        method="phone",
        content="电话回访。",
    )
    assert counts("social_worker")["no-contact"] == 0
    other = counts("social_worker_b")
    assert (other["overdue"], other["no-contact"]) == (0, 0)


def test_place_staff_see_crisis_cases_in_their_area_only(world):
    CaseFactory(stage=CaseStatus.INTAKE, risk_level=RiskLevel.CRISIS)
    assert counts("street_admin")["crisis"] == 1
    assert counts("district_admin")["crisis"] == 1
    other_street = User.objects.create(username="jinshan_admin")
    RoleAssignment.objects.create(user=other_street, role="street_admin", street=world.other_street)
    assert counts(other_street)["crisis"] == 0
    assert "crisis" not in counts("social_worker")
