"""The supervision queue and the referrals inbox: leads decide, nobody decides on their own case,
a refusal needs a reason, and a bad answer writes nothing."""

import pytest

from shegong.cases import services
from shegong.cases.choices import (
    CaseSource,
    CaseStatus,
    PlanStatus,
    ReferralStatus,
    ReviewKind,
    ReviewStatus,
    RiskLevel,
)
from shegong.cases.models import Case, Referral
from shegong.cases.tests.factories import (
    CaseFactory,
    ClientFactory,
    SharingConsentFactory,
    demo_user,
    pending_review,
    today,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def planned(world):
    """A case in planning whose plan waits for the supervisor."""
    return CaseFactory(stage=CaseStatus.PLANNING)


def test_supervisor_sees_the_pending_plan_and_approves_it(client_for, planned):
    client = client_for("supervisor")
    html = client.get("/cases/supervision/").content.decode()
    assert planned.number in html
    assert "申请临时救助" in html  # the plan's first goal
    review = pending_review(planned, ReviewKind.PLAN)
    response = client.post(
        f"/cases/supervision/{review.pk}/decide/", {"decision": "approve", "comment": ""}
    )
    assert response.status_code == 302
    planned.refresh_from_db()
    review.refresh_from_db()
    assert planned.status == CaseStatus.INTERVENTION
    assert review.status == ReviewStatus.APPROVED
    assert planned.plans.get().status == PlanStatus.APPROVED


def test_returning_without_a_comment_is_refused_and_changes_nothing(client_for, planned):
    review = pending_review(planned, ReviewKind.PLAN)
    response = client_for("agency_admin").post(
        f"/cases/supervision/{review.pk}/decide/", {"decision": "return", "comment": ""}
    )
    assert response.status_code == 200
    assert "请说明需要修改的内容。" in response.content.decode()
    review.refresh_from_db()
    planned.refresh_from_db()
    assert review.status == ReviewStatus.PENDING
    assert planned.plans.get().status == PlanStatus.SUBMITTED


def test_returning_with_a_comment_sends_the_plan_back(client_for, planned):
    review = pending_review(planned, ReviewKind.PLAN)
    client_for("supervisor").post(
        f"/cases/supervision/{review.pk}/decide/",
        {"decision": "return", "comment": "目标需要可衡量。"},
    )
    assert planned.plans.get().status == PlanStatus.RETURNED
    html = client_for("social_worker").get(f"/cases/{planned.pk}/").content.decode()
    assert "目标需要可衡量。" in html


def test_a_lead_cannot_decide_on_their_own_case(client_for, world):
    case = CaseFactory(worker=demo_user("supervisor"), stage=CaseStatus.PLANNING)
    review = pending_review(case, ReviewKind.PLAN)
    html = client_for("supervisor").get("/cases/supervision/").content.decode()
    assert case.number in html
    assert f'action="/cases/supervision/{review.pk}/decide/"' not in html
    response = client_for("supervisor").post(
        f"/cases/supervision/{review.pk}/decide/", {"decision": "approve"}
    )
    assert response.status_code == 404
    review.refresh_from_db()
    assert review.status == ReviewStatus.PENDING
    # The director may.
    client_for("agency_admin").post(
        f"/cases/supervision/{review.pk}/decide/", {"decision": "approve"}
    )
    review.refresh_from_db()
    assert review.status == ReviewStatus.APPROVED


def test_closure_is_approved_from_the_queue(client_for, world):
    case = CaseFactory(stage=CaseStatus.CLOSURE_PENDING)
    review = pending_review(case, ReviewKind.CLOSURE)
    client_for("supervisor").post(
        f"/cases/supervision/{review.pk}/decide/", {"decision": "approve"}
    )
    case.refresh_from_db()
    assert case.status == CaseStatus.CLOSED
    assert case.closed_on == today()


@pytest.mark.parametrize("persona", ["social_worker", "social_worker_b", "community_staff"])
def test_others_have_no_queue(client_for, planned, persona):
    review = pending_review(planned, ReviewKind.PLAN)
    assert client_for(persona).get("/cases/supervision/").status_code == 404
    response = client_for(persona).post(
        f"/cases/supervision/{review.pk}/decide/", {"decision": "approve"}
    )
    assert response.status_code == 404
    review.refresh_from_db()
    assert review.status == ReviewStatus.PENDING


# --- referrals inbox -----------------------------------------------------------------------------


@pytest.fixture
def referral_to_a(world):
    """Agency B refers its client's case to agency A."""
    worker_b = demo_user("social_worker_b")
    client = ClientFactory(owner_agency=world.agency_b)
    case_b = services.case_open(
        actor=worker_b,
        client=client,
        source=CaseSource.OUTREACH,
        presenting_problem="需要长期照护资源。",
        risk_level=RiskLevel.MEDIUM,
        intake_date=today(),
    )
    consent = SharingConsentFactory(person=client, recorded_by=worker_b)
    return services.referral_create(
        actor=worker_b,
        case=case_b,
        reason="本机构无照护服务。",
        summary_for_receiver="独居老人，需要上门照护。",
        consent=consent,
        to_agency=world.agency_a,
    )


def test_leads_of_the_receiving_agency_see_the_referral(client_for, referral_to_a):
    html = client_for("supervisor").get("/cases/referrals/").content.decode()
    assert "独居老人，需要上门照护。" in html
    # The sender's own case content stays with the sender.
    assert "需要长期照护资源。" not in html


def test_declining_needs_a_reason(client_for, referral_to_a):
    url = f"/cases/referrals/{referral_to_a.pk}/decide/"
    response = client_for("agency_admin").post(url, {"decision": "decline"})
    assert response.status_code == 200
    assert "请说明拒绝转介的原因。" in response.content.decode()
    referral_to_a.refresh_from_db()
    assert referral_to_a.status == ReferralStatus.PENDING
    client_for("agency_admin").post(url, {"decision": "decline", "decline_reason": "名额已满。"})
    referral_to_a.refresh_from_db()
    assert referral_to_a.status == ReferralStatus.DECLINED


def test_accepting_opens_a_case_for_the_chosen_worker(client_for, world, referral_to_a):
    worker = demo_user("social_worker")
    response = client_for("supervisor").post(
        f"/cases/referrals/{referral_to_a.pk}/decide/",
        {"decision": "accept", "worker": worker.pk},
    )
    assert response.status_code == 302
    referral_to_a.refresh_from_db()
    assert referral_to_a.status == ReferralStatus.ACCEPTED
    new_case = Case.objects.get(pk=referral_to_a.new_case_id)
    assert new_case.agency == world.agency_a
    assert new_case.worker == worker
    assert new_case.referred_from_id == referral_to_a.case_id


def _refer_to_a(world):
    """One more referral from agency B to agency A."""
    worker_b = demo_user("social_worker_b")
    client = ClientFactory(owner_agency=world.agency_b)
    case_b = services.case_open(
        actor=worker_b,
        client=client,
        source=CaseSource.OUTREACH,
        presenting_problem="需要康复资源。",
        risk_level=RiskLevel.LOW,
        intake_date=today(),
    )
    consent = SharingConsentFactory(person=client, recorded_by=worker_b)
    return services.referral_create(
        actor=worker_b,
        case=case_b,
        reason="转介康复服务。",
        summary_for_receiver="需要康复训练。",
        consent=consent,
        to_agency=world.agency_a,
    )


def test_the_inbox_costs_the_same_queries_however_many_referrals_wait(
    client_for, world, referral_to_a
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = client_for("supervisor")
    client.get("/cases/referrals/")  # warm the session
    with CaptureQueriesContext(connection) as one:
        response = client.get("/cases/referrals/")
    assert response.content.decode().count('data-testid="referral-form"') == 1
    for _ in range(4):
        _refer_to_a(world)
    with CaptureQueriesContext(connection) as five:
        response = client.get("/cases/referrals/")
    html = response.content.decode()
    assert html.count('data-testid="referral-form"') == 5
    # Every form still offers the agency's workers.
    assert html.count(f'<option value="{demo_user("social_worker").pk}"') == 5
    assert len(five) == len(one)


def test_a_worker_of_another_agency_cannot_be_given_the_case(client_for, referral_to_a):
    outsider = demo_user("social_worker_b")
    response = client_for("supervisor").post(
        f"/cases/referrals/{referral_to_a.pk}/decide/",
        {"decision": "accept", "worker": outsider.pk},
    )
    assert response.status_code == 200
    assert 'data-field-error="worker"' in response.content.decode()
    referral_to_a.refresh_from_db()
    assert referral_to_a.status == ReferralStatus.PENDING


@pytest.mark.parametrize("persona", ["social_worker", "social_worker_b", "street_admin"])
def test_others_cannot_answer(client_for, referral_to_a, persona):
    assert client_for(persona).get("/cases/referrals/").status_code == 404
    response = client_for(persona).post(
        f"/cases/referrals/{referral_to_a.pk}/decide/",
        {"decision": "decline", "decline_reason": "x"},
    )
    assert response.status_code == 404
    assert Referral.objects.get(pk=referral_to_a.pk).status == ReferralStatus.PENDING
