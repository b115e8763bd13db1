"""Pairing pages, API and workbench: the filtered list and export, creating and reviewing
through the pages, ticking commitments, and the to-dos that follow the work."""

from io import BytesIO

import pytest
from django.test import Client
from django.utils import timezone
from openpyxl import load_workbook

from shegong.accounts.services import token_issue
from shegong.core.registry import figures_for, todos_for
from shegong.pairing import services
from shegong.pairing.choices import Side
from shegong.pairing.models import AnnualReview, PairingAgreement
from shegong.pairing.tests.factories import AgreementFactory
from shegong.places.models import Community


@pytest.fixture
def api_for(world):
    def make(persona: str) -> Client:
        _token, raw = token_issue(user=world.users[persona], name="test")
        return Client(headers={"Authorization": f"Bearer {raw}"})

    return make


def counts(user) -> dict:
    return {todo.testid: todo.count for todo in todos_for(user)}


def test_list_filters_and_export(client_for, world):
    home = AgreementFactory(title="兴隆开心结对", agency=world.agency_a)
    far = AgreementFactory(
        title="金山致和结对",
        community=Community.objects.filter(street=world.other_street).first(),
        agency=world.agency_b,
    )
    client = client_for("district_admin")
    page = client.get("/pairing/", {"agency": world.agency_b.pk}).content.decode()
    assert far.title in page and home.title not in page
    year = timezone.localdate().year
    assert home.title in client.get("/pairing/", {"year": year}).content.decode()
    assert home.title not in client.get("/pairing/", {"year": year + 5}).content.decode()
    assert home.title not in client.get("/pairing/", {"status": "ended"}).content.decode()
    response = client.get("/pairing/export.xlsx", {"street": world.home_street.pk})
    rows = list(load_workbook(BytesIO(response.content)).active.iter_rows(values_only=True))
    assert [r[0] for r in rows[1:]] == ["兴隆开心结对"]
    # Agency A's worker sees their own agreement only.
    mine = client_for("social_worker").get("/pairing/").content.decode()
    assert home.title in mine and far.title not in mine


def test_create_and_review_through_the_pages(client_for, world):
    client = client_for("street_admin")
    year = timezone.localdate().year
    response = client.post(
        "/pairing/new/",
        {
            "title": "页面结对",
            "community": world.home_community.pk,
            "agency": world.agency_a.pk,
            "starts_on": f"{year}-01-01",
            "ends_on": f"{year}-12-31",
            "c0_text": "提供场地",
            "c0_side": "community",
            "c0_due_on": f"{year}-03-01",
        },
    )
    agreement = PairingAgreement.objects.get(title="页面结对")
    assert response.status_code == 302 and agreement.commitments.count() == 1
    client.post(f"/pairing/{agreement.pk}/transition/", {"action": "activate"})
    agreement.refresh_from_db()
    assert agreement.status == "active"
    bad = client.post(f"/pairing/{agreement.pk}/reviews/new/", {"year": year, "score": "120"})
    assert bad.status_code == 200 and not AnnualReview.objects.exists()
    client.post(f"/pairing/{agreement.pk}/reviews/new/", {"year": year, "score": "90"})
    assert AnnualReview.objects.get().score == 90


def test_bad_agreement_form_keeps_input(client_for, world):
    response = client_for("street_admin").post(
        "/pairing/new/",
        {
            "title": "倒序结对",
            "community": world.home_community.pk,
            "agency": world.agency_a.pk,
            "starts_on": "2026-06-01",
            "ends_on": "2026-01-01",
        },
    )
    page = response.content.decode()
    assert "结束日期不能早于开始日期。" in page and "倒序结对" in page
    assert not PairingAgreement.objects.exists()


def test_commitment_tick_on_the_page_and_api(client_for, api_for, world):
    agreement = AgreementFactory(agency=world.agency_a)
    community_c = agreement.commitments.get(side=Side.COMMUNITY)
    agency_c = agreement.commitments.get(side=Side.AGENCY)
    response = client_for("community_staff").post(
        f"/pairing/{agreement.pk}/commitments/{community_c.pk}/done/", {"done": "1"}
    )
    assert response.status_code == 302
    community_c.refresh_from_db()
    assert community_c.done
    response = api_for("community_staff").post(
        f"/api/v1/pairing/{agreement.pk}/commitments/{agency_c.pk}/done",
        {"done": True},
        content_type="application/json",
    )
    assert response.status_code == 400 and "done" in response.json()["errors"]
    response = api_for("social_worker").post(
        f"/api/v1/pairing/{agreement.pk}/commitments/{agency_c.pk}/done",
        {"done": True},
        content_type="application/json",
    )
    assert response.status_code == 200 and response.json()["done"] is True
    assert api_for("social_worker_b").get(f"/api/v1/pairing/{agreement.pk}").status_code == 404


def test_api_create_and_detail(api_for, world):
    year = timezone.localdate().year
    response = api_for("district_admin").post(
        "/api/v1/pairing",
        {
            "title": "接口结对",
            "community_id": world.home_community.pk,
            "agency_id": world.agency_a.pk,
            "starts_on": f"{year}-01-01",
            "ends_on": f"{year + 1}-12-31",
            "commitments": [{"text": "共建", "side": "agency", "due_on": f"{year}-06-01"}],
        },
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["status"] == "draft" and body["commitments"][0]["text"] == "共建"
    assert body["agency_name"] == world.agency_a.name
    refused = api_for("community_staff").post(
        "/api/v1/pairing", {}, content_type="application/json"
    )
    assert refused.status_code in (404, 422)


def test_workbench_reviews_due_and_overdue_commitments(world, client_for):
    agreement = AgreementFactory(agency=world.agency_a)
    assert counts(world.users["street_admin"])["pairing-reviews-due"] == 1
    AgreementFactory(title="另一份待评议", agency=world.agency_b, active=False)
    due = client_for("street_admin").get("/pairing/?review_due=true").content.decode()
    assert agreement.title in due and "另一份待评议" not in due
    assert counts(world.users["community_staff"])["pairing-overdue"] == 1
    assert counts(world.users["social_worker"])["pairing-overdue"] == 1
    assert "pairing-overdue" not in counts(world.users["street_admin"])
    assert counts(world.users["social_worker_b"])["pairing-overdue"] == 0
    services.review_record(
        actor=world.users["street_admin"],
        agreement=agreement,
        year=timezone.localdate().year,
        score=85,
    )
    services.commitment_mark(
        actor=world.users["community_staff"],
        commitment=agreement.commitments.get(side=Side.COMMUNITY),
    )
    assert counts(world.users["street_admin"])["pairing-reviews-due"] == 0
    assert counts(world.users["community_staff"])["pairing-overdue"] == 0
    assert counts(world.users["social_worker"])["pairing-overdue"] == 1
    figures = {f.testid: f.value for f in figures_for(world.users["district_admin"])}
    assert figures["pairing-active"] == 1
