"""The park's pages: forms that show the services' refusals next to their fields and keep what
was typed, the contract page with its schedule and arrears, the overview, the arrears export,
and what an agency's director and the street see."""

import datetime as dt
from decimal import Decimal as D
from io import BytesIO

import pytest
from openpyxl import load_workbook

from shegong.park.models import Contract, Payment, Unit
from shegong.park.services import contract_activate, payment_record
from shegong.park.tests.factories import ContractFactory, ParkFactory, UnitFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client_for):
    return client_for("district_admin")


def in_arrears(world, **kwargs):
    contract = ContractFactory(
        start_date=dt.date(2020, 1, 1), end_date=dt.date(2023, 12, 31), **kwargs
    )
    contract_activate(actor=world.users["district_admin"], contract=contract)
    return contract


def test_unit_form_shows_field_errors_and_keeps_the_input(admin_client):
    park = ParkFactory()
    UnitFactory(park=park, code="A101")
    before = Unit.objects.count()
    response = admin_client.post(
        "/park/units/new/",
        {
            "park": park.pk,
            "code": "A101",
            "kind": "room",
            "floor": "2",
            "area": "30",
            "rent_basis": "per_m2",
            "rent_rate": "45",
            "status": "in_service",
        },
    )
    assert response.status_code == 200
    assert response.context["form"].errors["code"] == ["园区已有该编号的房间/工位。"]
    assert 'value="30"' in response.content.decode()
    assert Unit.objects.count() == before


def test_a_contract_made_on_the_page_shows_its_free_months(world, admin_client):
    park = ParkFactory()
    unit = UnitFactory(park=park, code="C301")
    response = admin_client.post(
        "/park/contracts/new/",
        {
            "park": park.pk,
            "agency": world.agency_a.pk,
            "units": [unit.pk],
            "start_date": "2026-01-01",
            "end_date": "2029-12-31",
        },
    )
    contract = Contract.objects.get(units=unit)
    assert response.status_code == 302
    assert response["Location"] == f"/park/contracts/{contract.pk}/"
    page = admin_client.get(f"/park/contracts/{contract.pk}/").content.decode()
    assert page.count('data-phase="free"') == 36
    assert page.count('data-phase="charged"') == 12
    assert 'data-testid="contract-activate"' in page


def test_an_overlapping_contract_is_refused_on_the_page(world, admin_client):
    unit = UnitFactory(code="C302")
    ContractFactory(units=[unit])
    before = Contract.objects.count()
    response = admin_client.post(
        "/park/contracts/new/",
        {
            "park": unit.park_id,
            "tenant_name": "后来的团队",
            "units": [unit.pk],
            "start_date": "2026-06-01",
            "end_date": "2027-05-31",
        },
    )
    assert response.status_code == 200
    assert "同一时间只能有一个承租方" in response.context["form"].errors["units"][0]
    assert 'value="后来的团队"' in response.content.decode()
    assert Contract.objects.count() == before


def test_a_payment_updates_the_arrears(world, admin_client):
    contract = in_arrears(world)
    page = admin_client.get(f"/park/contracts/{contract.pk}/")
    assert page.context["standing"].arrears == D("6000.00")
    response = admin_client.post(
        f"/park/contracts/{contract.pk}/payments/new/",
        {"amount": "1500", "paid_on": "2024-01-10", "reference": "转账"},
    )
    assert response.status_code == 302
    page = admin_client.get(f"/park/contracts/{contract.pk}/")
    assert page.context["standing"].arrears == D("4500.00")
    assert page.context["standing"].months_overdue == 9


def test_a_refused_payment_writes_nothing(world, admin_client):
    contract = ContractFactory()
    response = admin_client.post(
        f"/park/contracts/{contract.pk}/payments/new/", {"amount": "10", "paid_on": "2026-01-05"}
    )
    assert response.status_code == 200
    assert response.context["form"].errors["amount"] == [
        "合同为草稿状态：只有生效中或已结束的合同才能登记租金。"
    ]
    assert Payment.objects.count() == 0


def test_the_flow_buttons_move_the_contract_and_say_why_not(world, admin_client):
    contract = ContractFactory()
    admin_client.post(f"/park/contracts/{contract.pk}/activate/")
    assert Contract.objects.get(pk=contract.pk).status == "active"
    response = admin_client.post(f"/park/contracts/{contract.pk}/end/", follow=True)
    assert "合同至 2028-12-31 到期" in response.content.decode()
    assert Contract.objects.get(pk=contract.pk).status == "active"


def test_the_overview_shows_occupancy_and_arrears(world, admin_client):
    park = ParkFactory()
    let, _vacant = UnitFactory(park=park), UnitFactory(park=park)
    contract = ContractFactory(
        units=[let], start_date=dt.date(2020, 1, 1), end_date=dt.date(2099, 12, 31)
    )
    contract_activate(actor=world.users["district_admin"], contract=contract)
    response = admin_client.get("/park/")
    row = next(r for r in response.context["parks"] if r.park == park)
    assert (row.units, row.let, row.percent) == (2, 1, 50)
    assert [r.contract for r in response.context["arrears"]] == [contract]


def test_the_arrears_export_lists_what_is_owed(world, admin_client):
    contract = in_arrears(world, tenant_name="欠租团队")
    payment_record(actor=world.users["district_admin"], contract=contract, amount="500")
    response = admin_client.get("/park/arrears.xlsx")
    sheet = load_workbook(BytesIO(response.content), read_only=True).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "承租方"
    assert [(r[0], r[6], float(r[8])) for r in rows[1:]] == [("欠租团队", 11, 5500.0)]


def test_the_agency_director_reads_only_their_own(world, client_for):
    own = in_arrears(world, agency=world.agency_a)
    other = in_arrears(world, agency=world.agency_b)
    client = client_for("agency_admin")
    assert client.get(f"/park/contracts/{own.pk}/").status_code == 200
    assert client.get(f"/park/contracts/{other.pk}/").status_code == 404
    assert client.get(f"/park/contracts/{own.pk}/payments/new/").status_code == 404
    assert client.get("/park/units/").status_code == 404
    listed = client.get("/park/contracts/")
    assert [c.pk for c in listed.context["page_obj"]] == [own.pk]
    page = client.get(f"/park/contracts/{own.pk}/").content.decode()
    assert 'data-testid="payment-new"' not in page


def test_bad_filter_input_shows_no_rows(world, admin_client):
    in_arrears(world)
    response = admin_client.get("/park/contracts/", {"status": "nonsense"})
    assert list(response.context["page_obj"]) == []
    assert response.context["filter"].errors["status"]


def test_the_in_arrears_filter(world, admin_client):
    owing = in_arrears(world)
    clear = ContractFactory(tenant_name="不欠租团队")
    yes = admin_client.get("/park/contracts/", {"in_arrears": "yes"}).context["page_obj"]
    no = admin_client.get("/park/contracts/", {"in_arrears": "no"}).context["page_obj"]
    assert [c.pk for c in yes] == [owing.pk]
    assert [c.pk for c in no] == [clear.pk]
