"""The park API: the same services and scope as the pages; refusals as JSON 4xx naming the
field, with nothing written."""

import json

import pytest

from shegong.accounts.services import token_issue
from shegong.park.models import Contract, Payment
from shegong.park.tests.factories import ContractFactory, ParkFactory, UnitFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def api(world, client):
    def call(persona, method, path, body=None):
        _token, raw = token_issue(user=world.users[persona])
        return client.generic(
            method,
            f"/api/v1/park{path}",
            data=json.dumps(body or {}),
            content_type="application/json",
            HTTP_AUTHORIZATION=f"Bearer {raw}",
        )

    return call


def test_draft_activate_pay_and_read_the_schedule(world, api):
    park = ParkFactory()
    unit = UnitFactory(park=park)
    response = api(
        "district_admin",
        "POST",
        "/contracts",
        {
            "park_id": park.pk,
            "unit_ids": [unit.pk],
            "agency_id": world.agency_a.pk,
            "start_date": "2020-01-01",
            "end_date": "2023-12-31",
        },
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["status"] == "draft"
    assert body["schedule"][0]["amount"] == "0.00"
    assert body["schedule"][-1]["amount"] == "500.00"
    contract_id = body["id"]
    assert api("district_admin", "POST", f"/contracts/{contract_id}/activate").status_code == 200
    paid = api("district_admin", "POST", f"/contracts/{contract_id}/payments", {"amount": "1000"})
    assert paid.status_code == 201
    detail = api("agency_admin", "GET", f"/contracts/{contract_id}").json()
    assert detail["standing"]["arrears"] == "5000.00"
    assert detail["standing"]["months_overdue"] == 10
    arrears = api("agency_admin", "GET", "/arrears").json()
    assert [row["contract_id"] for row in arrears] == [contract_id]


def test_refusals_are_field_errors_and_write_nothing(world, api):
    unit = UnitFactory(code="Z1")
    ContractFactory(units=[unit])
    before = Contract.objects.count()
    response = api(
        "district_admin",
        "POST",
        "/contracts",
        {
            "park_id": unit.park_id,
            "unit_ids": [unit.pk],
            "tenant_name": "重叠团队",
            "start_date": "2026-03-01",
            "end_date": "2026-02-01",
        },
    )
    assert response.status_code == 400
    assert response.json()["errors"]["end_date"] == ["结束日期不能早于开始日期。"]
    draft = Contract.objects.get(units=unit)
    response = api("district_admin", "POST", f"/contracts/{draft.pk}/payments", {"amount": "5"})
    assert response.status_code == 400
    assert "amount" in response.json()["errors"]
    assert Contract.objects.count() == before
    assert Payment.objects.count() == 0


def test_not_yours_is_not_found(world, api):
    other = ContractFactory(agency=world.agency_b)
    assert api("agency_admin", "GET", f"/contracts/{other.pk}").status_code == 404
    assert api("street_admin", "POST", f"/contracts/{other.pk}/activate").status_code == 404
    assert Contract.objects.get(pk=other.pk).status == "draft"


def test_a_bad_filter_is_a_400_naming_the_field(world, api):
    response = api("district_admin", "GET", "/contracts?in_arrears=maybe")
    assert response.status_code == 400
    assert "in_arrears" in response.json()["errors"]


def test_the_contract_list_bounds_its_limit_and_offset(world, api):
    ContractFactory()
    for query in ("offset=99999999999999999999", "offset=-1", "limit=0", "limit=101"):
        response = api("district_admin", "GET", f"/contracts?{query}")
        assert response.status_code == 422, query
        assert set(response.json()["errors"]) <= {"limit", "offset"}
    assert len(api("district_admin", "GET", "/contracts?limit=1&offset=0").json()) == 1
    assert api("district_admin", "GET", "/contracts?offset=1").json() == []
