"""Fund pages and API: the list with balances, the ledger with filters and its export, the
forms with Chinese field errors that keep the input, and the API's answers."""

from decimal import Decimal
from io import BytesIO

import pytest
from django.test import Client
from openpyxl import load_workbook

from shegong.accounts.services import token_issue
from shegong.funds.models import Entry
from shegong.funds.tests.factories import DisbursementFactory, DonationFactory, FundFactory
from shegong.places.models import Community


@pytest.fixture
def api_for(world):
    def make(persona: str) -> Client:
        _token, raw = token_issue(user=world.users[persona], name="test")
        return Client(headers={"Authorization": f"Bearer {raw}"})

    return make


@pytest.fixture
def fund(world):
    fund = FundFactory(name="兴隆测试基金")
    DonationFactory(fund=fund, donor_name="陈女士", amount=Decimal("500"))
    DisbursementFactory(fund=fund, purpose="长者助餐", amount=Decimal("120"))
    return fund


def test_list_shows_balances_in_scope(client_for, world, fund):
    far = FundFactory(
        community=Community.objects.filter(street=world.other_street).first(),
        actor=world.users["district_admin"],
    )
    page = client_for("street_admin").get("/funds/").content.decode()
    assert "兴隆测试基金" in page and "380.00" in page
    assert far.name not in page
    assert client_for("social_worker").get("/funds/").status_code == 404


def test_ledger_filters_and_export(client_for, fund):
    client = client_for("street_admin")
    page = client.get(f"/funds/{fund.pk}/", {"kind": "disbursement"}).content.decode()
    assert "长者助餐" in page and "陈女士" not in page
    # Overseers read the ledger but get no recording buttons.
    assert "donation-new" not in page
    response = client.get(f"/funds/{fund.pk}/ledger.xlsx", {"kind": "donation"})
    rows = list(load_workbook(BytesIO(response.content)).active.iter_rows(values_only=True))
    assert len(rows) == 2 and rows[1][5] == "陈女士"
    bad = client.get(f"/funds/{fund.pk}/", {"date_from": "not-a-date"}).content.decode()
    assert "陈女士" not in bad and "长者助餐" not in bad


def test_disbursement_form_shows_the_refusal_and_keeps_input(client_for, fund):
    client = client_for("community_staff")
    response = client.post(
        f"/funds/{fund.pk}/disbursements/new/",
        {"amount": "1000", "purpose": "困难家庭慰问", "occurred_on": "2026-01-05"},
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "已拒绝：基金余额为 380.00 元" in page and "困难家庭慰问" in page
    assert Entry.objects.filter(fund=fund).count() == 2


def test_donation_and_reversal_through_the_pages(client_for, fund):
    client = client_for("community_staff")
    response = client.post(
        f"/funds/{fund.pk}/donations/new/",
        {
            "donor_type": "organisation",
            "donor_name": "某某公司",
            "form": "money",
            "amount": "200",
            "occurred_on": "2026-01-05",
        },
    )
    assert response.status_code == 302
    entry = Entry.objects.get(fund=fund, donor_name="某某公司")
    response = client.post(
        f"/funds/{fund.pk}/entries/{entry.pk}/reverse/",
        {"note": "重复登记", "occurred_on": "2026-01-06"},
    )
    assert response.status_code == 302
    fund.refresh_from_db()
    assert fund.balance == Decimal("380.00") and fund.last_receipt_no == 4
    again = client.post(
        f"/funds/{fund.pk}/entries/{entry.pk}/reverse/",
        {"note": "再来", "occurred_on": "2026-01-06"},
    )
    assert "该记录已冲正。" in again.content.decode()


def test_api_lists_records_and_refuses(api_for, world, fund):
    staff = api_for("community_staff")
    items = staff.get("/api/v1/funds").json()["items"]
    assert [(i["name"], i["balance"]) for i in items] == [("兴隆测试基金", "380.00")]
    entries = staff.get(f"/api/v1/funds/{fund.pk}/entries", {"kind": "donation"}).json()
    assert [e["donor_name"] for e in entries["items"]] == ["陈女士"]
    response = staff.post(
        f"/api/v1/funds/{fund.pk}/disbursements",
        {"amount": "381", "purpose": "超支"},
        content_type="application/json",
    )
    assert response.status_code == 400 and "amount" in response.json()["errors"]
    response = staff.post(
        f"/api/v1/funds/{fund.pk}/donations",
        {"donor_name": "API捐赠", "amount": "50.5"},
        content_type="application/json",
    )
    assert response.status_code == 201 and response.json()["receipt_no"] == 3
    # The street oversees: it reads but does not record.
    street = api_for("street_admin")
    assert street.get(f"/api/v1/funds/{fund.pk}").status_code == 200
    assert (
        street.post(
            f"/api/v1/funds/{fund.pk}/donations",
            {"donor_name": "越权", "amount": "1"},
            content_type="application/json",
        ).status_code
        == 404
    )
    assert api_for("social_worker").get(f"/api/v1/funds/{fund.pk}").status_code == 404


def test_workbench_figures_follow_the_ledger(world, fund):
    from shegong.core.registry import figures_for

    figures = {f.testid: f for f in figures_for(world.users["community_staff"])}
    assert figures["fund-balance"].value == 380
    assert figures["fund-donations"].value == 1
    assert "fund-balance" not in {f.testid for f in figures_for(world.users["social_worker"])}
