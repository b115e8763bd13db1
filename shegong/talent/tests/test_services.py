"""The application's life through the services: filing with the eligibility check, the review
chain, the return loop, 公示 with objections, the schedule and the ledger. Every refusal says why
and writes nothing."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.utils import translation

from shegong.talent.models import Application, Objection, Payment, Policy, Review, TitleGrant
from shegong.talent.services import (
    application_file,
    application_resubmit,
    application_review,
    application_set_amount,
    notice_close,
    objection_record,
    objection_resolve,
    payment_record,
)
from shegong.talent.tests.factories import (
    file_application,
    make_policy,
    make_worker,
    pdf,
    today,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def chinese():
    with translation.override("zh-hans"):
        yield


@pytest.fixture
def worker(world):
    return make_worker(world, user=world.users["social_worker"])


def approve_all(world, application):
    for persona in ("agency_admin", "street_admin", "district_admin"):
        application = application_review(
            actor=world.users[persona], application=application, decision="approve"
        )
    return application


def test_filing_stores_the_eligibility_snapshot_and_waits_for_the_agency(world, worker):
    policy = make_policy(world, amount_basis="level", amounts={"intermediate": "10000"})
    application = file_application(world, policy, worker)
    assert application.status == "in_review"
    assert application.step == 1 and application.awaiting_role == "agency_admin"
    assert application.amount == Decimal("10000.00")
    assert all(item["passed"] for item in application.eligibility)
    assert any("社会工作师" in item["text"] for item in application.eligibility)


def test_not_qualifying_is_refused_with_the_reason_and_nothing_written(world):
    profile = make_worker(world, user=world.users["social_worker"], level="assistant")
    policy = make_policy(
        world, criteria=[{"kind": "qualification_min", "params": {"level": "intermediate"}}]
    )
    with pytest.raises(ValidationError) as error:
        file_application(world, policy, profile)
    assert "本政策要求社会工作师或以上" in error.value.message_dict["policy"][0]
    assert not Application.objects.exists()


def test_outside_the_window_is_refused(world, worker):
    policy = make_policy(
        world,
        opens_on=today() - datetime.timedelta(days=60),
        closes_on=today() - datetime.timedelta(days=1),
    )
    with pytest.raises(ValidationError) as error:
        file_application(world, policy, worker)
    assert "申请已于" in error.value.message_dict["policy"][0]
    assert not Application.objects.exists()


def test_a_missing_attachment_is_refused_by_field(world, worker):
    policy = make_policy(world)
    with pytest.raises(ValidationError) as error:
        application_file(actor=worker.user, policy=policy, profile=worker, attachment=None)
    assert error.value.message_dict["attachment"] == ["本政策须上传附件（签字的申请表或证书）。"]
    assert not Application.objects.exists()


def test_a_file_that_is_not_what_it_says_is_refused(world, worker):
    from django.core.files.uploadedfile import SimpleUploadedFile

    policy = make_policy(world)
    fake = SimpleUploadedFile("form.pdf", b"MZ\x90\x00 not a pdf")
    with pytest.raises(ValidationError) as error:
        application_file(actor=worker.user, policy=policy, profile=worker, attachment=fake)
    assert "扩展名不符" in error.value.message_dict["attachment"][0]
    assert not Application.objects.exists()


def test_a_second_application_for_the_same_policy_is_refused(world, worker):
    policy = make_policy(world)
    file_application(world, policy, worker)
    with pytest.raises(ValidationError) as error:
        file_application(world, policy, worker)
    assert error.value.message_dict["policy"] == ["该申请人已有本政策的申请。"]
    assert Application.objects.count() == 1


def test_another_workers_profile_is_out_of_reach(world, worker):
    policy = make_policy(world)
    with pytest.raises(Http404):
        application_file(
            actor=world.users["social_worker_b"], policy=policy, profile=worker, attachment=pdf()
        )


def test_the_chain_moves_step_by_step_and_only_the_steps_reviewer_acts(world, worker):
    policy = make_policy(world)
    application = file_application(world, policy, worker)
    with pytest.raises(PermissionDenied):
        application_review(
            actor=world.users["street_admin"], application=application, decision="approve"
        )
    assert not Review.objects.exists()
    application = application_review(
        actor=world.users["agency_admin"], application=application, decision="approve"
    )
    assert (application.step, application.awaiting_role) == (2, "street_admin")
    application = application_review(
        actor=world.users["street_admin"], application=application, decision="approve"
    )
    application = application_review(
        actor=world.users["district_admin"], application=application, decision="approve"
    )
    assert application.status == "in_notice"
    assert application.notice_starts == today()
    assert application.notice_ends > today()
    assert application.notice_ends.weekday() < 5
    policy.refresh_from_db()
    assert policy.committed == Decimal("5000.00")
    assert list(application.reviews.values_list("role", flat=True)) == [
        "agency_admin",
        "street_admin",
        "district_admin",
    ]
    # The worker was told at each step.
    assert worker.user.notifications.count() == 3


def test_return_for_changes_and_resubmit_start_the_chain_again(world, worker):
    policy = make_policy(world)
    application = file_application(world, policy, worker)
    application = application_review(
        actor=world.users["agency_admin"], application=application, decision="approve"
    )
    with pytest.raises(ValidationError) as error:
        application_review(
            actor=world.users["street_admin"], application=application, decision="return"
        )
    assert "comment" in error.value.message_dict
    application = application_review(
        actor=world.users["street_admin"],
        application=application,
        decision="return",
        comment="请补充劳动合同",
    )
    assert application.status == "returned" and application.step == 0
    with pytest.raises(ValidationError):
        application_review(
            actor=world.users["street_admin"], application=application, decision="approve"
        )
    application = application_resubmit(
        actor=worker.user, application=application, statement="已补充", attachment=pdf("c.pdf")
    )
    assert application.status == "in_review" and application.awaiting_role == "agency_admin"
    application = approve_all(world, application)
    assert application.status == "in_notice"


def test_reject_ends_it(world, worker):
    application = file_application(world, make_policy(world), worker)
    application = application_review(
        actor=world.users["agency_admin"],
        application=application,
        decision="reject",
        comment="不符",
    )
    assert application.status == "rejected"
    with pytest.raises(ValidationError) as error:
        application_resubmit(actor=worker.user, application=application)
    assert "只有被退回修改的申请" in error.value.message_dict["status"][0]


def test_amount_edits_before_approval_only(world, worker):
    application = file_application(world, make_policy(world), worker)
    district = world.users["district_admin"]
    application = application_set_amount(actor=district, application=application, amount="4500")
    assert application.amount == Decimal("4500.00")
    with pytest.raises(PermissionDenied):
        application_set_amount(
            actor=world.users["agency_admin"], application=application, amount="9000"
        )
    application = approve_all(world, application)
    with pytest.raises(ValidationError) as error:
        application_set_amount(actor=district, application=application, amount="9999")
    assert "审批通过后金额不能再修改" in error.value.message_dict["amount"][0]
    application.refresh_from_db()
    assert application.amount == Decimal("4500.00")


def test_objection_upheld_rejects_and_returns_the_money_to_the_budget(world, worker):
    policy = make_policy(world)
    application = approve_all(world, file_application(world, policy, worker))
    objection = objection_record(
        actor=world.users["street_admin"],
        application=application,
        raised_by="匿名来信",
        content="该社工已离职",
    )
    with pytest.raises(ValidationError) as error:
        notice_close(
            actor=world.users["district_admin"],
            application=application,
            on=application.notice_ends + datetime.timedelta(days=1),
        )
    assert error.value.message_dict["status"] == ["请先处理未决异议，再结束公示。"]
    with pytest.raises(PermissionDenied):
        objection_resolve(
            actor=world.users["street_admin"], objection=objection, upheld=True, resolution="核实"
        )
    objection_resolve(
        actor=world.users["district_admin"], objection=objection, upheld=True, resolution="核实属实"
    )
    application.refresh_from_db()
    policy.refresh_from_db()
    assert application.status == "rejected"
    assert policy.committed == Decimal("0.00")
    assert not Payment.objects.exists()


def test_objection_dismissed_then_notice_ends_and_payment_is_scheduled_and_paid(world, worker):
    policy = make_policy(world)
    application = approve_all(world, file_application(world, policy, worker))
    objection = objection_record(
        actor=world.users["district_admin"],
        application=application,
        raised_by="居民王某",
        content="质疑资格",
    )
    objection_resolve(
        actor=world.users["district_admin"],
        objection=objection,
        upheld=False,
        resolution="经核实资格无误",
    )
    assert Objection.objects.get().status == "dismissed"
    district = world.users["district_admin"]
    with pytest.raises(ValidationError) as error:
        notice_close(actor=district, application=application, on=application.notice_ends)
    assert "公示期至" in error.value.message_dict["status"][0]
    application = notice_close(
        actor=district, application=application, on=application.notice_ends + datetime.timedelta(1)
    )
    assert application.status == "scheduled"
    payment = Payment.objects.get()
    assert payment.amount == Decimal("5000.00")
    payment.due_on = today()  # due today (the close ran on a later day in this test)
    Payment.objects.filter(pk=payment.pk).update(due_on=today())
    payment = payment_record(actor=district, payment=payment, reference="财-001")
    application.refresh_from_db()
    policy.refresh_from_db()
    assert application.status == "paid"
    assert policy.disbursed == Decimal("5000.00")
    with pytest.raises(ValidationError) as error:
        payment_record(actor=district, payment=payment)
    assert error.value.message_dict["paid_on"] == ["这一期已发放。"]
    policy.refresh_from_db()
    assert policy.disbursed == Decimal("5000.00")


def test_objection_after_the_notice_ended_is_refused(world, worker):
    application = approve_all(world, file_application(world, make_policy(world), worker))
    district = world.users["district_admin"]
    objection_record(
        actor=district,
        application=application,
        raised_by="居民王某",
        content="最后一天提出",
        on=application.notice_ends,
    )
    with pytest.raises(ValidationError) as error:
        objection_record(
            actor=world.users["street_admin"],
            application=application,
            raised_by="居民李某",
            content="公示结束后提出",
            on=application.notice_ends + datetime.timedelta(days=1),
        )
    assert "公示已于" in error.value.message_dict["status"][0]
    assert Objection.objects.count() == 1


def test_monthly_schedule_adds_up_to_the_total(world, worker):
    policy = make_policy(world, payment_mode="monthly", months=36, amounts={"flat": "100"})
    application = approve_all(world, file_application(world, policy, worker))
    assert application.amount == Decimal("3600.00")
    notice_close(
        actor=world.users["district_admin"],
        application=application,
        on=application.notice_ends + datetime.timedelta(1),
    )
    payments = list(Payment.objects.order_by("instalment"))
    assert len(payments) == 36
    assert sum(p.amount for p in payments) == Decimal("3600.00")
    assert payments[1].due_on.month != payments[0].due_on.month


def test_the_budget_cannot_be_overdrawn(world, worker):
    policy = make_policy(world, budget=Decimal("8000"))
    other = make_worker(world, name="李社工")
    first = approve_all(world, file_application(world, policy, worker))
    assert first.status == "in_notice"
    second = file_application(world, policy, other)
    for persona in ("agency_admin", "street_admin"):
        second = application_review(
            actor=world.users[persona], application=second, decision="approve"
        )
    reviews_before = Review.objects.count()
    with pytest.raises(ValidationError) as error:
        application_review(
            actor=world.users["district_admin"], application=second, decision="approve"
        )
    assert "预算仅剩 3000.00 元" in error.value.message_dict["decision"][0]
    second.refresh_from_db()
    policy.refresh_from_db()
    assert second.status == "in_review" and second.awaiting_role == "district_admin"
    assert policy.committed == Decimal("5000.00")
    assert Review.objects.count() == reviews_before


def test_a_selection_round_grants_the_title_on_the_profile(world, worker):
    policy = make_policy(
        world,
        name="拔尖人才评选",
        kind="selection",
        applicant_kind="agency",
        amounts={},
        grants_title="top",
        grants_tier="district",
        title_years=3,
        criteria=[{"kind": "qualification_min", "params": {"level": "intermediate"}}],
    )
    with pytest.raises(ValidationError) as error:
        file_application(world, policy, worker)  # the worker themselves: not a nomination
    assert "机构提名" in error.value.message_dict["policy"][0]
    nomination = file_application(world, policy, worker, actor=world.users["agency_admin"])
    nomination = approve_all(world, nomination)
    nomination = notice_close(
        actor=world.users["district_admin"],
        application=nomination,
        on=nomination.notice_ends + datetime.timedelta(1),
    )
    assert nomination.status == "granted"
    grant = TitleGrant.objects.get(profile=worker)
    assert (grant.title, grant.tier, grant.year, grant.until_year) == (
        "top",
        "district",
        policy.year,
        policy.year + 2,
    )
    assert not Payment.objects.exists()


@pytest.mark.parametrize(
    "field,value,message",
    [
        ("steps", ["district_admin", "street_admin"], "最后一个环节须为区级审批。"),
        ("amounts", {"flat": "abc"}, "请输入以元为单位的金额，例如 5000。"),
        ("criteria", [{"kind": "eval", "params": {}}], "请从列表中选择条件。"),
        ("steps", ["district_admin", "district_admin"], "每一级在审核链中只审核一次。"),
        (
            "criteria",
            [
                {"kind": "age_max", "params": {"age": 40}},
                {"kind": "age_max", "params": {"age": 30}},
            ],
            "每项条件在一项政策中只能出现一次。",
        ),
        (
            "criteria",
            [{"kind": "age_max", "params": {"age": 40}}] * 5000,
            "一项政策最多 20 项条件。",
        ),
    ],
)
def test_bad_policy_input_is_refused_by_field(world, field, value, message):
    with pytest.raises(ValidationError) as error:
        make_policy(world, **{field: value})
    assert message in str(error.value.message_dict)
    assert not Policy.objects.exists()


def test_an_application_is_judged_by_the_terms_as_they_stand_under_the_lock(
    world, worker, monkeypatch
):
    """Filed while the district changes the policy: the check made before the policy's lock
    saw the old terms; the terms committed meanwhile are the ones the application is judged by
    (the race the red team won 12 times in 16)."""
    from shegong.talent.services import applications
    from shegong.talent.services.policies import policy_update

    policy = make_policy(world, amounts={"flat": "1000"})
    stale = applications.check_eligibility(policy, worker)
    policy_update(
        actor=world.users["district_admin"],
        policy=policy,
        amounts={"flat": "2000"},
        steps=["agency_admin", "district_admin"],
    )
    real = applications.check_eligibility
    calls = iter([stale])
    monkeypatch.setattr(
        applications,
        "check_eligibility",
        lambda *args, **kwargs: next(calls, None) or real(*args, **kwargs),
    )
    application = file_application(world, policy, worker)
    assert application.amount == Decimal("2000.00")
    assert application.awaiting_role == "agency_admin"
    assert Policy.objects.get(pk=policy.pk).steps.count() == 2

    tightened = make_policy(world, name="收紧的政策")
    stale = applications.check_eligibility(tightened, worker)
    policy_update(
        actor=world.users["district_admin"],
        policy=tightened,
        criteria=[{"kind": "age_max", "params": {"age": 16}}],
    )
    calls = iter([stale])
    with pytest.raises(ValidationError) as refused:
        file_application(world, tightened, worker)
    assert "policy" in refused.value.message_dict
    assert not Application.objects.filter(policy=tightened).exists()
