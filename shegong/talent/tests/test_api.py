"""Talent API: the same services and scope as the pages; bad input answers a 4xx with field
errors and writes nothing."""

import pytest
from django.test import Client

from shegong.accounts.services import token_issue
from shegong.talent.models import Application, Policy
from shegong.talent.tests.factories import file_application, make_policy, make_worker, pdf

pytestmark = pytest.mark.django_db


@pytest.fixture
def api_for(world):
    def make(persona: str) -> Client:
        _token, raw = token_issue(user=world.users[persona], name="test")
        return Client(headers={"Authorization": f"Bearer {raw}"})

    return make


@pytest.fixture
def worker(world):
    return make_worker(world, user=world.users["social_worker"])


def test_my_eligibility_says_why(api_for, world, worker):
    make_policy(world, name="接口政策")
    body = api_for("social_worker").get("/api/v1/talent/me/eligibility").json()
    assert body[0]["policy_name"] == "接口政策" and body[0]["eligible"] is True
    assert any(v["kind"] == "qualification_min" and v["passed"] for v in body[0]["verdicts"])


def test_apply_review_and_read_through_the_api(api_for, world, worker):
    policy = make_policy(world)
    response = api_for("social_worker").post(
        "/api/v1/talent/applications",
        {"policy_id": policy.pk, "profile_id": worker.pk, "statement": "接口", "attachment": pdf()},
    )
    assert response.status_code == 201, response.content
    application_id = response.json()["id"]
    review = api_for("agency_admin").post(
        f"/api/v1/talent/applications/{application_id}/review",
        {"decision": "approve"},
        content_type="application/json",
    )
    assert review.status_code == 200 and review.json()["awaiting_role"] == "street_admin"
    listed = api_for("street_admin").get("/api/v1/talent/applications?queue=true").json()
    assert [row["id"] for row in listed["items"]] == [application_id]


def test_a_missing_attachment_is_a_field_error(api_for, world, worker):
    policy = make_policy(world)
    response = api_for("social_worker").post(
        "/api/v1/talent/applications", {"policy_id": policy.pk, "profile_id": worker.pk}
    )
    assert response.status_code == 400
    assert "attachment" in response.json()["errors"]
    assert not Application.objects.exists()


def test_a_policy_with_an_expression_for_a_criterion_is_refused(api_for, world):
    response = api_for("district_admin").post(
        "/api/v1/talent/policies",
        {
            "name": "坏政策",
            "year": 2026,
            "budget": "1000",
            "opens_on": "2026-01-01",
            "closes_on": "2026-12-31",
            "steps": ["district_admin"],
            "criteria": [{"kind": "age_max", "params": {"age": "__import__('os')"}}],
        },
        content_type="application/json",
    )
    assert response.status_code == 400
    assert "criteria.0.params.age" in response.json()["errors"]
    assert not Policy.objects.exists()


def test_amount_edit_after_approval_is_refused(api_for, world, worker):
    from shegong.talent.services import application_review

    application = file_application(world, make_policy(world), worker)
    for persona in ("agency_admin", "street_admin", "district_admin"):
        application = application_review(
            actor=world.users[persona], application=application, decision="approve"
        )
    response = api_for("district_admin").post(
        f"/api/v1/talent/applications/{application.pk}/amount",
        {"amount": "99999"},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert "amount" in response.json()["errors"]
    application.refresh_from_db()
    assert str(application.amount) == "5000.00"


def test_the_public_notice_api_needs_no_token(client, world, worker):
    assert client.get("/api/v1/talent/notices").status_code == 200


def test_my_eligibility_names_the_status_of_what_i_applied_for(api_for, world, worker):
    policy = make_policy(world, name="已申请政策")
    file_application(world, policy, worker)
    body = api_for("social_worker").get("/api/v1/talent/me/eligibility").json()
    assert [row["applied_status"] for row in body] == ["in_review"]
