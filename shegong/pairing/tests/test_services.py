"""Pairing services: creation and its field errors, the state machine, commitments ticked by
their own side, annual reviews (one per year, 0–100), and scope."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone, translation

from shegong.core.scope import OutOfScope
from shegong.pairing import services, state
from shegong.pairing.choices import AgreementStatus, Side
from shegong.pairing.models import AnnualReview, Commitment, PairingAgreement
from shegong.pairing.tests.factories import AgreementFactory
from shegong.places.models import Community


@pytest.fixture(autouse=True)
def _chinese():
    with translation.override("zh-hans"):
        yield


def test_street_admin_creates_a_draft_with_commitments(world):
    agreement = AgreementFactory(actor=world.users["street_admin"], active=False)
    assert agreement.status == AgreementStatus.DRAFT
    assert agreement.commitments.count() == 2
    assert agreement.created_by == world.users["street_admin"]


def test_bad_agreement_says_why_and_writes_nothing(world):
    other = Community.objects.filter(street=world.other_street).first()
    with pytest.raises(ValidationError) as excinfo:
        services.agreement_create(
            actor=world.users["street_admin"],
            community=other,
            agency=world.agency_a,
            title=" ",
            starts_on=datetime.date(2026, 6, 1),
            ends_on=datetime.date(2026, 1, 1),
            commitments=[{"text": "", "side": "nobody", "due_on": None}],
        )
    errors = excinfo.value.message_dict
    assert errors["community"] == ["请选择您管辖范围内的社区。"]
    assert "title" in errors
    assert "结束日期不能早于开始日期。" in errors["ends_on"]
    assert errors["commitments"][0].startswith("承诺事项 1：")
    assert not PairingAgreement.objects.exists() and not Commitment.objects.exists()


def test_only_district_and_street_create(world):
    for persona in ("community_staff", "agency_admin", "social_worker"):
        with pytest.raises(PermissionDenied):
            AgreementFactory(actor=world.users[persona])
    assert not PairingAgreement.objects.exists()


def test_state_machine_moves_forward_only(world):
    admin = world.users["district_admin"]
    agreement = AgreementFactory(active=False, commitments=[])
    with pytest.raises(ValidationError) as excinfo:
        services.agreement_transition(actor=admin, agreement=agreement, action=state.ACTIVATE)
    assert excinfo.value.message_dict == {"action": ["请先添加至少一项承诺事项，再启用协议。"]}
    with pytest.raises(ValidationError) as excinfo:
        services.agreement_transition(actor=admin, agreement=agreement, action=state.END)
    assert excinfo.value.message_dict == {"action": ["草稿尚未生效，请先启用再结束。"]}
    services.commitment_add(
        actor=admin,
        agreement=agreement,
        text="场地",
        side=Side.COMMUNITY,
        due_on=timezone.localdate(),
    )
    services.agreement_transition(actor=admin, agreement=agreement, action=state.ACTIVATE)
    services.agreement_transition(actor=admin, agreement=agreement, action=state.END)
    with pytest.raises(ValidationError) as excinfo:
        services.agreement_transition(actor=admin, agreement=agreement, action=state.ACTIVATE)
    assert excinfo.value.message_dict == {"action": ["已结束的协议不能再次启用。"]}
    agreement.refresh_from_db()
    assert agreement.status == AgreementStatus.ENDED


@pytest.mark.parametrize(
    ("status", "action", "result"),
    [
        ("draft", "activate", "active"),
        ("active", "end", "ended"),
        ("active", "activate", None),
        ("ended", "end", None),
        ("draft", "end", None),
        ("draft", "bogus", None),
    ],
)
def test_next_status_table(status, action, result):
    if result is None:
        with pytest.raises(ValidationError):
            state.next_status(status, action)
    else:
        assert state.next_status(status, action) == result


def test_each_side_ticks_its_own_commitments(world):
    agreement = AgreementFactory(agency=world.agency_a)
    community_c = agreement.commitments.get(side=Side.COMMUNITY)
    agency_c = agreement.commitments.get(side=Side.AGENCY)
    services.commitment_mark(actor=world.users["community_staff"], commitment=community_c)
    services.commitment_mark(actor=world.users["social_worker"], commitment=agency_c)
    with pytest.raises(ValidationError) as excinfo:
        services.commitment_mark(
            actor=world.users["community_staff"], commitment=agency_c, done=False
        )
    assert excinfo.value.message_dict == {"done": ["只有作出该承诺的一方可以标记完成。"]}
    agency_c.refresh_from_db()
    assert agency_c.done and agency_c.done_by == world.users["social_worker"]
    assert agency_c.done_on == timezone.localdate()


def test_another_agency_cannot_see_or_tick(world):
    agreement = AgreementFactory(agency=world.agency_a)
    commitment = agreement.commitments.get(side=Side.AGENCY)
    with pytest.raises(OutOfScope):
        services.commitment_mark(actor=world.users["social_worker_b"], commitment=commitment)
    commitment.refresh_from_db()
    assert not commitment.done


def test_annual_review_once_per_year_within_the_period(world):
    admin = world.users["street_admin"]
    agreement = AgreementFactory()
    year = timezone.localdate().year
    review = services.review_record(actor=admin, agreement=agreement, year=year, score=88)
    assert review.reviewed_by == admin
    with pytest.raises(ValidationError) as excinfo:
        services.review_record(actor=admin, agreement=agreement, year=year, score=90)
    assert excinfo.value.message_dict == {"year": ["该年度已评议。"]}
    with pytest.raises(ValidationError) as excinfo:
        services.review_record(actor=admin, agreement=agreement, year=year + 1, score=90)
    assert excinfo.value.message_dict == {"year": ["年度开始后才能评议。"]}
    with pytest.raises(ValidationError) as excinfo:
        services.review_record(actor=admin, agreement=agreement, year=year - 5, score=90)
    assert "year" in excinfo.value.message_dict
    with pytest.raises(ValidationError) as excinfo:
        services.review_record(actor=admin, agreement=agreement, year=year - 1, score=101)
    assert list(excinfo.value.message_dict) == ["score"]
    assert AnnualReview.objects.filter(agreement=agreement).count() == 1


def test_draft_is_not_reviewed_and_agency_cannot_review(world):
    draft = AgreementFactory(active=False)
    with pytest.raises(ValidationError) as excinfo:
        services.review_record(
            actor=world.users["district_admin"], agreement=draft, year=2026, score=80
        )
    assert excinfo.value.message_dict == {"year": ["草稿协议不能评议，请先启用。"]}
    active = AgreementFactory(agency=world.agency_a)
    for persona in ("agency_admin", "community_staff"):
        with pytest.raises(OutOfScope):
            services.review_record(
                actor=world.users[persona], agreement=active, year=2026, score=80
            )
    assert not AnnualReview.objects.exists()


def test_street_admin_of_another_street_does_not_reach_it(world):
    other = Community.objects.filter(street=world.other_street).first()
    agreement = AgreementFactory(community=other, agency=world.agency_b)
    assert (
        not PairingAgreement.objects.for_user(world.users["street_admin"])
        .filter(pk=agreement.pk)
        .exists()
    )
    with pytest.raises(OutOfScope):
        services.review_record(
            actor=world.users["street_admin"], agreement=agreement, year=2026, score=80
        )
