"""Editing a policy through one service (page and API): everything while nobody has applied;
once applications are submitted, their terms (criteria, amounts, caps, chain) are locked field
by field and the budget only grows, never below what is committed. A refusal writes nothing;
what is written is in the change history."""

import datetime
from decimal import Decimal

import pytest
from auditlog.models import LogEntry
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import translation

from shegong.accounts.services import token_issue
from shegong.talent.models import Criterion, Policy, ReviewStep
from shegong.talent.services import application_review
from shegong.talent.services.policies import policy_update
from shegong.talent.tests.factories import file_application, make_policy, make_worker, today

pytestmark = pytest.mark.django_db

LOCKED = "已锁定：已有1份申请按现行条件提交。如需变更，请发布新政策。"


@pytest.fixture(autouse=True)
def chinese_and_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    with translation.override("zh-hans"):
        yield


@pytest.fixture
def admin(world):
    return world.users["district_admin"]


def snapshot(policy):
    policy = Policy.objects.get(pk=policy.pk)
    return (
        {f.name: getattr(policy, f.name) for f in Policy._meta.concrete_fields},
        list(Criterion.objects.filter(policy=policy).values_list("pk", "kind", "params")),
        list(ReviewStep.objects.filter(policy=policy).values_list("pk", "role")),
        LogEntry.objects.count(),
    )


def test_before_anyone_applies_everything_can_change(world, admin):
    policy = make_policy(world)
    policy_update(
        actor=admin,
        policy=policy,
        name="社工人才奖励（修订）",
        year=today().year + 1,
        amount_basis="level",
        amounts={"assistant": "1000", "senior": "3000"},
        annual_cap="6000",
        criteria=[{"kind": "employed_months", "params": {"months": 12}}],
        steps=["street_admin", "district_admin"],
    )
    policy.refresh_from_db()
    assert policy.name == "社工人才奖励（修订）" and policy.year == today().year + 1
    assert policy.amounts == {"assistant": "1000.00", "senior": "3000.00"}
    assert policy.annual_cap == Decimal("6000.00")
    assert list(policy.criteria.values_list("kind", "params")) == [
        ("employed_months", {"months": 12})
    ]
    assert list(policy.steps.values_list("role", flat=True)) == ["street_admin", "district_admin"]
    entry = LogEntry.objects.get_for_object(policy).latest("timestamp")
    assert {"name", "year", "amounts", "amount_basis", "annual_cap"} <= set(entry.changes_dict)
    assert LogEntry.objects.filter(
        content_type__model="criterion", action=LogEntry.Action.DELETE
    ).exists()


def test_after_a_submission_the_name_window_end_notice_and_a_larger_budget_change(world, admin):
    policy = make_policy(world)
    file_application(world, policy, make_worker(world, user=world.users["social_worker"]))
    closes = policy.closes_on + datetime.timedelta(days=10)
    policy_update(
        actor=admin,
        policy=policy,
        name="更名",
        closes_on=closes,
        notice_days=7,
        budget="150000",
        # Unchanged terms sent again are no change.
        amounts={"flat": "5000.00"},
        steps=["agency_admin", "street_admin", "district_admin"],
    )
    policy.refresh_from_db()
    assert (policy.name, policy.closes_on, policy.notice_days, policy.budget) == (
        "更名",
        closes,
        7,
        Decimal("150000.00"),
    )


@pytest.mark.parametrize(
    ("changes", "fields"),
    [
        ({"amounts": {"flat": "6000"}}, {"amounts"}),
        ({"criteria": []}, {"criteria"}),
        ({"steps": ["district_admin"]}, {"steps"}),
        ({"lifetime_cap": "20000", "year": 2030}, {"lifetime_cap", "year"}),
        ({"name": "新名称", "annual_cap": "1000"}, {"annual_cap"}),
    ],
)
def test_after_a_submission_its_terms_are_locked_and_nothing_is_written(
    world, admin, changes, fields
):
    policy = make_policy(world)
    file_application(world, policy, make_worker(world, user=world.users["social_worker"]))
    before = snapshot(policy)
    with pytest.raises(ValidationError) as refused:
        policy_update(actor=admin, policy=policy, **changes)
    assert refused.value.message_dict == {field: [LOCKED] for field in fields}
    assert snapshot(policy) == before


def test_the_budget_never_falls_below_what_is_committed(world, admin):
    policy = make_policy(world, budget=Decimal("100000"))
    application = file_application(world, policy, make_worker(world))
    for persona in ("agency_admin", "street_admin", "district_admin"):
        application = application_review(
            actor=world.users[persona], application=application, decision="approve"
        )
    before = snapshot(policy)
    with pytest.raises(ValidationError) as refused:
        policy_update(actor=admin, policy=policy, budget="4000")
    assert refused.value.message_dict == {
        "budget": ["预算不能低于已承诺的5000.00元（其中已支付0.00元）。"]
    }
    with pytest.raises(ValidationError) as refused:
        policy_update(actor=admin, policy=policy, budget="90000")
    assert refused.value.message_dict == {"budget": ["已有申请提交：预算只能增加，不能减少。"]}
    assert snapshot(policy) == before


def test_only_the_district_edits(world):
    policy = make_policy(world)
    with pytest.raises(PermissionDenied):
        policy_update(actor=world.users["street_admin"], policy=policy, name="改名")
    with pytest.raises(ValidationError) as refused:
        policy_update(actor=world.users["district_admin"], policy=policy, kind="selection")
    assert "kind" in refused.value.message_dict
    assert Policy.objects.get(pk=policy.pk).name == "测试奖励"


def test_the_page_shows_the_lock_and_the_message_next_to_the_field(client_for, world):
    policy = make_policy(world)
    file_application(world, policy, make_worker(world, user=world.users["social_worker"]))
    client = client_for("district_admin")
    url = reverse("talent:policy_edit", args=[policy.pk])
    page = client.get(url)
    assert page.status_code == 200
    assert page.context["form"]["amount_flat"].value() == "5000.00"
    assert 'data-testid="policy-locked"' in page.content.decode()
    data = {
        key: value
        for key, value in page.context["form"].initial.items()
        if value not in (None, False)
    }
    data.update(chain="agency_street_district", amount_flat="8000", name="奖励（改）")
    answer = client.post(url, data)
    assert answer.status_code == 200
    assert answer.context["form"].errors["amount_basis"] == [LOCKED]
    assert Policy.objects.get(pk=policy.pk).name == "测试奖励"
    data.update(amount_flat="5000", notice_days="8")
    assert client.post(url, data).status_code == 302
    policy.refresh_from_db()
    assert (policy.name, policy.notice_days) == ("奖励（改）", 8)
    assert client_for("street_admin").get(url).status_code == 404


def test_the_api_patches_and_refuses_with_json(world):
    policy = make_policy(world)
    file_application(world, policy, make_worker(world, user=world.users["social_worker"]))
    _token, raw = token_issue(user=world.users["district_admin"], name="test")
    api = Client(headers={"Authorization": f"Bearer {raw}"})
    url = f"/api/v1/talent/policies/{policy.pk}"
    refused = api.patch(url, {"criteria": [], "notice_days": 9}, content_type="application/json")
    assert refused.status_code == 400
    assert refused.json()["errors"] == {"criteria": [LOCKED]}
    assert Policy.objects.get(pk=policy.pk).notice_days == 5
    saved = api.patch(url, {"notice_days": 9}, content_type="application/json")
    assert saved.status_code == 200 and saved.json()["notice_days"] == 9
    _token, raw = token_issue(user=world.users["street_admin"], name="test")
    street = Client(headers={"Authorization": f"Bearer {raw}"})
    assert street.patch(url, {"name": "x"}, content_type="application/json").status_code == 404


def test_the_locked_fields_say_so_and_the_open_ones_do_not(client_for, world):
    policy = make_policy(world)
    file_application(world, policy, make_worker(world, user=world.users["social_worker"]))
    form = client_for("district_admin").get(reverse("talent:policy_edit", args=[policy.pk]))
    form = form.context["form"]
    for name in ("amount_flat", "chain", "c_level", "annual_cap", "year", "opens_on"):
        assert form.fields[name].help_text == "已锁定：已有申请提交。", name
    for name in ("name", "closes_on", "notice_days", "budget"):
        assert form.fields[name].help_text != "已锁定：已有申请提交。", name


def test_a_window_closing_before_it_opens_is_said_on_the_field_only(world, admin):
    policy = make_policy(world)
    with pytest.raises(ValidationError) as refused:
        policy_update(
            actor=admin, policy=policy, closes_on=policy.opens_on - datetime.timedelta(days=1)
        )
    assert refused.value.message_dict == {"closes_on": ["申请截止日不能早于开始日。"]}


def test_a_years_cap_above_the_lifetime_cap_is_refused(world, admin):
    policy = make_policy(world)
    with pytest.raises(ValidationError) as refused:
        policy_update(
            actor=admin, policy=policy, annual_cap=Decimal("5000"), lifetime_cap=Decimal("1000")
        )
    assert refused.value.message_dict == {"annual_cap": ["年度上限不能高于终身上限。"]}
    assert Policy.objects.get(pk=policy.pk).annual_cap is None
