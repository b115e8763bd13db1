"""Organisations applying for themselves (a policy for organisations): the database holds each
application to exactly one applicant of the policy's kind and one live application per agency
and policy; the director applies for their own agency after the eligibility check; the
application is the agency's and the reviewers', nobody else's; every page, export and API
operation that names an applicant names the organisation, in full."""

import datetime
from decimal import Decimal
from io import BytesIO

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.test import Client
from openpyxl import load_workbook

from shegong.accounts.services import token_issue
from shegong.core.scope import OutOfScope
from shegong.talent.models import Application, Payment
from shegong.talent.services import (
    application_file,
    application_file_for_agency,
    application_resubmit,
    application_review,
    notice_close,
    payment_record,
)
from shegong.talent.tests.factories import (
    file_for_agency,
    make_director,
    make_org_policy,
    make_policy,
    make_tenant,
    make_worker,
    months_ago,
    pdf,
    register_agency,
    today,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def tenant_a(world):
    """Agency A: registered two years ago, a tenant of the park."""
    register_agency(world, world.agency_a, months_ago_=24)
    make_tenant(world, world.agency_a)
    return world.agency_a


def through(world, application, personas=("street_admin", "district_admin"), *, on=None):
    """Approved at each step; ``on``: the day the public notice starts."""
    for persona in personas:
        application = application_review(
            actor=world.users[persona], application=application, decision="approve", on=on
        )
    return application


# --- the database ---------------------------------------------------------------------------


def _row(world, policy, **applicant):
    return Application(
        policy=policy,
        community=world.home_community,
        created_by=world.users["district_admin"],
        number=f"X{Application.objects.count() + 1:05d}",
        status="in_review",
        **applicant,
    )


def test_the_database_holds_an_application_to_one_applicant_of_the_policys_kind(world):
    worker = make_worker(world)
    org_policy = make_org_policy(world)
    person_policy = make_policy(world)
    refused = [
        # Both applicants at once.
        _row(
            world,
            org_policy,
            applicant_kind="organisation",
            profile=worker,
            applicant_agency=world.agency_a,
        ),
        # An organisation's policy naming a person, and a person's naming an agency.
        _row(world, org_policy, applicant_kind="organisation", profile=worker),
        _row(world, person_policy, applicant_kind="worker", applicant_agency=world.agency_a),
        # Nobody.
        _row(world, person_policy, applicant_kind="worker"),
    ]
    for row in refused:
        with pytest.raises(IntegrityError), transaction.atomic():
            row.save()
    assert not Application.objects.exists()
    _row(world, org_policy, applicant_kind="organisation", applicant_agency=world.agency_a).save()
    _row(world, person_policy, applicant_kind="worker", profile=worker).save()


def test_the_database_refuses_a_second_live_application_of_an_agency(world):
    policy = make_org_policy(world)
    _row(world, policy, applicant_kind="organisation", applicant_agency=world.agency_a).save()
    with pytest.raises(IntegrityError), transaction.atomic():
        _row(world, policy, applicant_kind="organisation", applicant_agency=world.agency_a).save()
    # Another agency, or the same agency after its first was rejected, may.
    _row(world, policy, applicant_kind="organisation", applicant_agency=world.agency_b).save()
    Application.objects.filter(applicant_agency=world.agency_a).update(status="rejected")
    _row(world, policy, applicant_kind="organisation", applicant_agency=world.agency_a).save()


# --- filing ---------------------------------------------------------------------------------


def test_the_director_applies_for_the_agency_with_its_reasons_kept(world, tenant_a):
    policy = make_org_policy(world)
    application = file_for_agency(world, policy, tenant_a)
    assert application.status == "in_review"
    assert application.awaiting_role == "street_admin"
    assert application.applicant_kind == "organisation"
    assert application.applicant_agency == tenant_a and application.profile is None
    # No agency confirms its own application: the agency column stays empty.
    assert application.agency is None
    assert application.community == tenant_a.community
    assert application.amount == Decimal("12000.00")
    kinds = [v["kind"] for v in application.eligibility]
    assert kinds == ["agency_registered_months", "park_tenant", "not_paid_before", "window"]
    assert all(v["passed"] for v in application.eligibility)
    assert tenant_a.name in application.eligibility[0]["text"]


def test_an_agency_registered_eleven_months_ago_is_refused_and_nothing_is_written(world):
    register_agency(world, world.agency_a, on=months_ago(11))
    make_tenant(world, world.agency_a)
    policy = make_org_policy(world)
    with pytest.raises(ValidationError) as error:
        file_for_agency(world, policy, world.agency_a)
    message = " ".join(error.value.message_dict["policy"])
    assert message.startswith(f"{world.agency_a.name}不符合条件：")
    assert "已满11个月；本政策要求12个月" in message
    assert not Application.objects.exists()
    # A month later (registered twelve months ago) it qualifies.
    register_agency(world, world.agency_a, on=months_ago(12))
    assert file_for_agency(world, policy, world.agency_a).status == "in_review"


def test_an_agency_that_is_not_a_park_tenant_is_refused(world):
    register_agency(world, world.agency_a, months_ago_=24)
    # Its only tenancy ended yesterday.
    make_tenant(
        world,
        world.agency_a,
        start=months_ago(24),
        end=today() - datetime.timedelta(days=1),
    )
    with pytest.raises(ValidationError) as error:
        file_for_agency(world, make_org_policy(world), world.agency_a)
    assert any("服务园" in m or "park" in m for m in error.value.message_dict["policy"])
    assert not Application.objects.exists()


def test_only_the_agencys_director_files_for_it(world, tenant_a):
    policy = make_org_policy(world)
    register_agency(world, world.agency_b, months_ago_=24)
    make_tenant(world, world.agency_b)
    # Agency A's director for agency B: out of scope, as if it did not exist.
    with pytest.raises(OutOfScope):
        file_for_agency(world, policy, world.agency_b)
    # The street sees agency A but does not speak for it; nor does its social worker.
    for persona in ("street_admin", "social_worker"):
        with pytest.raises((PermissionDenied, OutOfScope)):
            file_for_agency(world, policy, tenant_a, actor=world.users[persona])
    assert not Application.objects.exists()


def test_the_kinds_of_policy_and_applicant_must_match(world, tenant_a):
    worker = make_worker(world, user=world.users["social_worker"])
    with pytest.raises(ValidationError) as error:
        application_file(
            actor=world.users["social_worker"],
            policy=make_org_policy(world),
            profile=worker,
            attachment=pdf(),
        )
    assert "policy" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        application_file_for_agency(
            actor=world.users["agency_admin"],
            policy=make_policy(world, criteria=[]),
            agency=tenant_a,
            attachment=pdf(),
        )
    assert "policy" in error.value.message_dict
    assert not Application.objects.exists()


def test_a_policy_for_organisations_takes_only_criteria_that_judge_organisations(world):
    with pytest.raises(ValidationError) as error:
        make_org_policy(
            world,
            criteria=[
                {"kind": "park_tenant", "params": {}},
                {"kind": "qualification_min", "params": {"level": "assistant"}},
            ],
            steps=["agency_admin", "street_admin", "district_admin"],
        )
    errors = error.value.message_dict
    assert "criteria.1.kind" in errors and "criteria.0.kind" not in errors
    assert "steps" in errors
    with pytest.raises(ValidationError) as error:
        make_policy(world, criteria=[{"kind": "park_tenant", "params": {}}])
    assert "criteria.0.kind" in error.value.message_dict


def test_paid_once_an_agency_is_told_why_it_cannot_apply_again(world, tenant_a):
    policy = make_org_policy(world)
    started = today() - datetime.timedelta(days=30)
    application = through(world, file_for_agency(world, policy, tenant_a), on=started)
    assert application.status == "in_notice"
    application = notice_close(
        actor=world.users["district_admin"],
        application=application,
        on=application.notice_ends + datetime.timedelta(days=1),
    )
    payment = Payment.objects.get(application=application)
    payment_record(actor=world.users["district_admin"], payment=payment, paid_on=today())
    assert Application.objects.get(pk=application.pk).status == "paid"
    with pytest.raises(ValidationError) as error:
        file_for_agency(world, policy, tenant_a)
    assert "12000" in " ".join(error.value.message_dict["policy"])
    assert Application.objects.filter(applicant_agency=tenant_a).count() == 1


def test_a_returned_application_is_resubmitted_by_the_director(world, tenant_a):
    application = file_for_agency(world, make_org_policy(world), tenant_a)
    application_review(
        actor=world.users["street_admin"],
        application=application,
        decision="return",
        comment="请补充租赁合同。",
    )
    director_b = make_director(world, world.agency_b)
    with pytest.raises((PermissionDenied, OutOfScope)):
        application_resubmit(actor=director_b, application=application, attachment=pdf())
    again = application_resubmit(
        actor=world.users["agency_admin"], application=application, attachment=pdf()
    )
    assert again.status == "in_review" and again.awaiting_role == "street_admin"


# --- pages ----------------------------------------------------------------------------------


def test_the_director_applies_through_the_page_and_another_director_finds_nothing(
    client_for, world, tenant_a
):
    policy = make_org_policy(world, name="园区租金减免")
    client = client_for("agency_admin")
    page = client.get(f"/talent/policies/{policy.pk}/apply/").content.decode()
    # The check before submitting names the organisation and its reasons.
    assert f"{tenant_a.name}符合条件" in page
    assert "入驻机构" in page and "登记" in page
    response = client.post(
        f"/talent/policies/{policy.pk}/apply/",
        {"agency": tenant_a.pk, "statement": "申请租金减免", "attachment": pdf()},
    )
    application = Application.objects.get(applicant_agency=tenant_a)
    assert response.status_code == 302
    assert response["Location"] == f"/talent/applications/{application.pk}/"
    detail = client.get(response["Location"]).content.decode()
    assert tenant_a.name in detail
    # The street that reviews it finds it in its queue; agency B's director finds nothing.
    queue = client_for("street_admin").get("/talent/applications/?queue=1").content.decode()
    assert application.number in queue and tenant_a.name in queue
    other = Client()
    other.force_login(make_director(world, world.agency_b))
    assert other.get(f"/talent/applications/{application.pk}/").status_code == 404
    assert application.number not in other.get("/talent/applications/").content.decode()
    # Agency A's social worker does not apply for the agency, nor read its application.
    worker = client_for("social_worker")
    assert worker.get(f"/talent/policies/{policy.pk}/apply/").status_code == 404
    assert worker.get(f"/talent/applications/{application.pk}/").status_code == 404


def test_the_apply_page_says_why_an_agency_does_not_qualify(client_for, world):
    register_agency(world, world.agency_a, on=months_ago(11))
    policy = make_org_policy(world)
    client = client_for("agency_admin")
    page = client.get(f"/talent/policies/{policy.pk}/apply/").content.decode()
    assert f"{world.agency_a.name}暂不符合条件" in page
    assert "已满11个月；本政策要求12个月" in page
    assert "没有生效的服务园入驻合同" in page
    response = client.post(
        f"/talent/policies/{policy.pk}/apply/",
        {"agency": world.agency_a.pk, "statement": "仍然申请", "attachment": pdf()},
    )
    assert response.status_code == 200
    assert "不符合条件" in response.content.decode()
    assert not Application.objects.exists()


def test_the_public_notice_names_an_organisation_in_full(client, world, tenant_a):
    person_policy = make_policy(world, name="个人奖励")
    worker = make_worker(world, user=world.users["social_worker"], name="欧阳娜娜")
    from shegong.talent.tests.factories import file_application

    through(
        world,
        file_application(world, person_policy, worker),
        ("agency_admin", "street_admin", "district_admin"),
    )
    through(world, file_for_agency(world, make_org_policy(world, name="园区租金减免"), tenant_a))
    page = client.get("/talent/notices/").content.decode()
    assert tenant_a.name in page and "园区租金减免" in page
    assert "机构名称全文公示" in page
    assert "欧**娜" in page and "欧阳娜娜" not in page
    api = client.get("/api/v1/talent/notices").json()["items"]
    assert {row["name"] for row in api} == {tenant_a.name, "欧**娜"}


def test_the_finance_spreadsheets_name_the_organisation(client_for, world, tenant_a):
    policy = make_org_policy(world)
    application = through(world, file_for_agency(world, policy, tenant_a))
    notice_close(
        actor=world.users["district_admin"],
        application=application,
        on=application.notice_ends + datetime.timedelta(days=1),
    )
    client = client_for("district_admin")
    for kind in ("approved", "payments"):
        response = client.get(f"/talent/policies/{policy.pk}/{kind}.xlsx")
        assert response.status_code == 200
        rows = list(load_workbook(BytesIO(response.content)).active.values)
        assert rows[1][:3] == (application.number, tenant_a.name, tenant_a.name)


def test_the_application_list_finds_an_organisation_by_name(client_for, world, tenant_a):
    application = file_for_agency(world, make_org_policy(world), tenant_a)
    page = client_for("district_admin").get(f"/talent/applications/?q={tenant_a.name[:6]}")
    assert application.number in page.content.decode()


def test_the_director_is_told_of_a_returned_application_on_the_workbench(world, tenant_a):
    from shegong.talent.workbench import talent_todos

    application = file_for_agency(world, make_org_policy(world), tenant_a)
    application_review(
        actor=world.users["street_admin"],
        application=application,
        decision="return",
        comment="请补充材料。",
    )
    todos = {t.testid: t for t in talent_todos(world.users["agency_admin"])}
    assert todos["todo-talent-agency-returned"].count == 1
    director_b = make_director(world, world.agency_b)
    todos_b = {t.testid: t for t in talent_todos(director_b)}
    assert todos_b["todo-talent-agency-returned"].count == 0


# --- API ------------------------------------------------------------------------------------


def _api(user) -> Client:
    _token, raw = token_issue(user=user, name="test")
    return Client(headers={"Authorization": f"Bearer {raw}"})


def test_apply_for_the_agency_and_read_it_through_the_api(world, tenant_a):
    policy = make_org_policy(world)
    director = _api(world.users["agency_admin"])
    refused = director.post(
        "/api/v1/talent/applications",
        {"policy_id": policy.pk, "agency_id": world.agency_b.pk, "attachment": pdf()},
    )
    assert refused.status_code == 400 and "agency" in refused.json()["errors"]
    response = director.post(
        "/api/v1/talent/applications",
        {
            "policy_id": policy.pk,
            "agency_id": tenant_a.pk,
            "statement": "接口",
            "attachment": pdf(),
        },
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["applicant_kind"] == "organisation"
    assert body["applicant_agency_id"] == tenant_a.pk and body["profile_id"] is None
    assert body["applicant_name"] == tenant_a.name
    read = director.get(f"/api/v1/talent/applications/{body['id']}")
    assert read.status_code == 200 and read.json()["applicant_name"] == tenant_a.name
    street = _api(world.users["street_admin"]).get("/api/v1/talent/applications?queue=true")
    assert [row["id"] for row in street.json()["items"]] == [body["id"]]
    other = _api(make_director(world, world.agency_b))
    assert other.get(f"/api/v1/talent/applications/{body['id']}").status_code == 404
    assert Application.objects.count() == 1


# --- at the same moment ---------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_the_same_agency_filing_at_once_makes_one_application(world):
    from shegong.talent.tests.test_concurrency import AT_ONCE, race

    register_agency(world, world.agency_a, months_ago_=24)
    make_tenant(world, world.agency_a)
    policy = make_org_policy(world)

    def file(_index):
        file_for_agency(world, policy, world.agency_a)

    outcomes, errors = race(file)
    assert errors == []
    assert outcomes == ["ok"] + ["refused"] * (AT_ONCE - 1)
    assert Application.objects.filter(applicant_agency=world.agency_a).count() == 1


@pytest.mark.django_db(transaction=True)
def test_final_approvals_of_an_agency_at_once_commit_its_money_once(world):
    from shegong.talent.models import Policy
    from shegong.talent.tests.test_concurrency import AT_ONCE, race

    register_agency(world, world.agency_a, months_ago_=24)
    make_tenant(world, world.agency_a)
    policy = make_org_policy(world)
    application = through(world, file_for_agency(world, policy, world.agency_a), ["street_admin"])

    def approve(_index):
        application_review(
            actor=world.users["district_admin"],
            application=Application.objects.get(pk=application.pk),
            decision="approve",
        )

    outcomes, errors = race(approve)
    assert errors == []
    assert outcomes == ["ok"] + ["refused"] * (AT_ONCE - 1)
    assert Policy.objects.get(pk=policy.pk).committed == Decimal("12000.00")


def test_the_district_publishes_a_policy_for_organisations_from_the_page(client_for, world):
    from shegong.talent.models import Policy

    data = {
        "name": "新办社会组织补贴",
        "year": today().year,
        "kind": "subsidy",
        "applicant_kind": "organisation",
        "budget": "100000",
        "opens_on": "2026-01-01",
        "closes_on": "2026-12-31",
        "amount_basis": "flat",
        "amount_flat": "20000",
        "payment_mode": "one_off",
        "months": "1",
        "notice_days": "5",
        "chain": "street_district",
        "c_agency_months": "6",
        "c_agency_at_most": "36",
        "c_not_paid": "on",
        # A person's criterion on a policy for organisations: refused, said on the page.
        "c_level": "assistant",
    }
    client = client_for("district_admin")
    response = client.post("/talent/policies/new/", data)
    assert response.status_code == 200
    assert "该条件用于判断个人，而本政策面向机构。" in response.content.decode()
    assert not Policy.objects.exists()
    data.pop("c_level")
    response = client.post("/talent/policies/new/", data)
    assert response.status_code == 302
    policy = Policy.objects.get()
    assert policy.applicant_kind == "organisation"
    assert [(c.kind, c.params) for c in policy.criteria.all()] == [
        ("not_paid_before", {}),
        ("agency_registered_months", {"months": 6, "at_most": 36}),
    ]
    # An organisation does not confirm its own application.
    response = client.post(
        "/talent/policies/new/", {**data, "name": "另一个", "chain": "agency_street_district"}
    )
    assert "机构不能确认本机构的申请" in response.content.decode()
    assert Policy.objects.count() == 1


def test_the_demo_park_tenants_apply_for_their_organisations(world):
    from shegong.park import demo as park_demo
    from shegong.talent import demo

    park_demo.build(world)
    world.users["agency_admin_b"] = make_director(world, world.agency_b, username="agency_admin_b")
    policies = demo._policies(
        world, world.users["district_admin"], today(), keys=("park", "new_org")
    )
    assert demo._organisations(world, policies, today()) == 2
    rent = Application.objects.get(policy=policies["park"])
    assert rent.applicant_agency == world.agency_a
    assert rent.awaiting_role == "district_admin"
    assert [v["kind"] for v in rent.eligibility if v["passed"]] == [
        "agency_registered_months",
        "park_tenant",
        "not_paid_before",
        "window",
    ]
    grant = Application.objects.get(policy=policies["new_org"])
    assert grant.applicant_agency == world.agency_b and grant.awaiting_role == "street_admin"
    # The long-registered demo agency is past the new organisations' limit.
    from shegong.talent.services import check_agency_eligibility

    assert not check_agency_eligibility(policies["new_org"], world.agency_a).eligible


# --- the batch ------------------------------------------------------------------------------


def test_the_organisations_batch_is_three_queries_however_many_agencies(world, tenant_a):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from shegong.talent.eligibility import (
        evaluate_many,
        load_agency_facts,
        policies_with_criteria,
    )

    rent = make_org_policy(world)
    make_policy(world, name="个人政策")  # not an organisation's: left out of the pairs
    file_for_agency(world, rent, tenant_a)
    for agency in world.agencies[1:4]:
        register_agency(world, agency, months_ago_=6)
        make_tenant(world, agency)
    policies = policies_with_criteria()

    def batch(ids):
        with CaptureQueriesContext(connection) as captured:
            facts = load_agency_facts(ids, district_id=world.district.pk)
            results = evaluate_many(policies, facts, today(), organisations=True)
        return facts, results, len(captured)

    _facts, one, one_queries = batch([tenant_a.pk])
    facts, every, every_queries = batch(None)
    assert one_queries == every_queries == 3
    assert len(every) == len(world.agencies) and set(one) == {(tenant_a.pk, rent.pk)}
    # Agency A qualifies and has applied (the review queue shows the status); the others that
    # are tenants are too new.
    assert every[(tenant_a.pk, rent.pk)].eligible
    assert facts[tenant_a.pk].applied == {rent.pk: "in_review"}
    b = every[(world.agency_b.pk, rent.pk)]
    assert not b.eligible
    assert [v.kind for v in b.verdicts if not v.passed] == ["agency_registered_months"]


# --- red team: separation of duties, inactive agencies, mixed ids ------------------------------


def test_nobody_decides_their_own_organisations_application(world, tenant_a):
    from shegong.accounts.models import User
    from shegong.accounts.services import role_grant

    policy = make_org_policy(world)
    # The street's administrator also directs agency A (a role the district may give).
    role_grant(
        actor=world.users["district_admin"],
        user=world.users["street_admin"],
        role="agency_admin",
        node=world.agency_a,
    )
    street = User.objects.get(username=world.users["street_admin"].username)
    application = file_for_agency(world, policy, world.agency_a, actor=street)
    with pytest.raises(ValidationError) as refused:
        application_review(actor=street, application=application, decision="approve")
    assert "decision" in refused.value.message_dict
    application.refresh_from_db()
    assert (application.step, application.reviews.count()) == (1, 0)


def test_an_inactive_agency_cannot_apply(world, tenant_a):
    from shegong.agencies.models import Agency

    Agency.objects.filter(pk=world.agency_a.pk).update(is_active=False)
    world.agency_a.refresh_from_db()
    with pytest.raises(ValidationError) as refused:
        file_for_agency(world, make_org_policy(world), world.agency_a)
    assert set(refused.value.message_dict) == {"agency"}
    assert not Application.objects.exists()


def test_the_api_refuses_the_id_of_the_other_kind_of_applicant(world, tenant_a):
    _token, raw = token_issue(user=world.users["agency_admin"], name="t")
    client = Client(headers={"Authorization": f"Bearer {raw}"})
    org_policy = make_org_policy(world)
    worker = make_worker(world, user=world.users["social_worker"])
    both = {"policy_id": org_policy.pk, "agency_id": world.agency_a.pk, "profile_id": worker.pk}
    answer = client.post("/api/v1/talent/applications", {**both, "attachment": pdf()})
    assert answer.status_code == 400 and "profile" in answer.json()["errors"]
    person_policy = make_policy(world, name="个人政策")
    mixed = {"policy_id": person_policy.pk, "agency_id": world.agency_b.pk, "profile_id": worker.pk}
    answer = client.post("/api/v1/talent/applications", {**mixed, "attachment": pdf()})
    assert answer.status_code == 400 and "agency" in answer.json()["errors"]
    assert not Application.objects.exists()
