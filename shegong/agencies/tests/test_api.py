"""Agencies API: same scope, filters and services as the pages; contact phone masked."""

import pytest
from django.test import Client

from shegong.accounts.services import token_issue
from shegong.agencies.models import Agency
from shegong.agencies.tests.factories import AgencyFactory, bad_checksum_uscc, valid_uscc
from shegong.places.models import Community

# Not allowed looks exactly like missing (DESIGN §4.2).
REFUSED = 404


@pytest.fixture
def api_for(world):
    def make(persona: str) -> Client:
        _token, raw = token_issue(user=world.users[persona], name="test")
        return Client(headers={"Authorization": f"Bearer {raw}"})

    return make


def _names(response):
    return {item["name"] for item in response.json()["items"]}


def test_list_is_scoped_and_masks_phone(api_for, world):
    world.agency_a.contact_phone = "13812345678"
    world.agency_a.save()
    response = api_for("street_admin").get("/api/v1/agencies")
    assert response.status_code == 200
    items = {item["name"]: item for item in response.json()["items"]}
    assert world.agency_a.name in items
    assert world.agency_b.name not in items
    assert items[world.agency_a.name]["contact_phone_masked"] == "138****5678"
    assert "13812345678" not in response.content.decode()


def test_list_uses_the_same_filters(api_for, world):
    AgencyFactory(name="已停用社工站", community=world.home_community, is_active=False)
    client = api_for("district_admin")
    assert _names(client.get("/api/v1/agencies", {"q": "开心"})) == {world.agency_a.name}
    assert _names(client.get("/api/v1/agencies", {"active": "false"})) == {"已停用社工站"}
    other = _names(client.get("/api/v1/agencies", {"street": world.other_street.pk}))
    assert world.agency_b.name in other and world.agency_a.name not in other
    bad = client.get("/api/v1/agencies", {"kind": "nonsense"})
    assert bad.status_code == 422
    assert "kind" in bad.json()["errors"]


def test_list_sorts_like_the_page(api_for, world):
    client = api_for("district_admin")

    def names(**params):
        return [item["name"] for item in client.get("/api/v1/agencies", params).json()["items"]]

    by_name = names()
    assert by_name == sorted(by_name)
    assert names(sort="-name") == by_name[::-1]


def test_detail_404_outside_scope(api_for, world):
    street = api_for("street_admin")
    assert street.get(f"/api/v1/agencies/{world.agency_a.pk}").status_code == 200
    assert street.get(f"/api/v1/agencies/{world.agency_b.pk}").status_code == 404
    worker_b = api_for("social_worker_b")
    assert worker_b.get(f"/api/v1/agencies/{world.agency_a.pk}").status_code == 404


def test_create_returns_201(api_for, world):
    response = api_for("street_admin").post(
        "/api/v1/agencies",
        {
            "name": "接口新机构",
            "uscc": valid_uscc(21),
            "community_id": world.home_community.pk,
            "contact_phone": "13900003333",
        },
        content_type="application/json",
    )
    assert response.status_code == 201
    body = response.json()
    assert body["contact_phone_masked"] == "139****3333"
    assert Agency.objects.get(pk=body["id"]).contact_phone == "13900003333"


def test_create_with_invalid_uscc_gives_field_error_and_writes_nothing(api_for, world):
    before = Agency.objects.count()
    response = api_for("district_admin").post(
        "/api/v1/agencies",
        {
            "name": "坏代码机构",
            "uscc": bad_checksum_uscc(),
            "community_id": world.home_community.pk,
        },
        content_type="application/json",
    )
    assert response.status_code == 400
    assert response.json()["errors"]["uscc"]
    assert Agency.objects.count() == before


def test_create_outside_scope_or_role_is_refused(api_for, world):
    other = Community.objects.filter(street=world.other_street).first()
    payload = {"name": "越界机构", "uscc": valid_uscc(22), "community_id": other.pk}
    refused = api_for("street_admin").post(
        "/api/v1/agencies", payload, content_type="application/json"
    )
    assert refused.status_code == 400
    assert "community" in refused.json()["errors"]
    forbidden = api_for("agency_admin").post(
        "/api/v1/agencies", payload, content_type="application/json"
    )
    assert forbidden.status_code == REFUSED
    assert not Agency.objects.filter(name="越界机构").exists()


def test_patch_updates_only_given_fields(api_for, world):
    client = api_for("agency_admin")
    response = client.patch(
        f"/api/v1/agencies/{world.agency_a.pk}",
        {"address": "兴隆路 9 号"},
        content_type="application/json",
    )
    assert response.status_code == 200
    assert response.json()["address"] == "兴隆路 9 号"
    assert response.json()["name"] == world.agency_a.name

    moved = client.patch(
        f"/api/v1/agencies/{world.agency_a.pk}",
        {"community_id": Community.objects.filter(street=world.other_street).first().pk},
        content_type="application/json",
    )
    assert moved.status_code == 400
    world.agency_a.refresh_from_db()
    assert world.agency_a.community == world.home_community


def test_patch_invalid_uscc_and_not_yours(api_for, world):
    client = api_for("agency_admin")
    bad = client.patch(
        f"/api/v1/agencies/{world.agency_a.pk}",
        {"uscc": "123"},
        content_type="application/json",
    )
    assert bad.status_code == 400
    assert "uscc" in bad.json()["errors"]
    world.agency_a.refresh_from_db()
    assert world.agency_a.uscc != "123"
    other = client.patch(
        f"/api/v1/agencies/{world.agency_b.pk}", {"address": "x"}, content_type="application/json"
    )
    assert other.status_code == 404
