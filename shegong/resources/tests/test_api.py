"""The lists' API: the same scope, FilterSets and services as the pages."""

import pytest
from django.test import Client
from django.utils import timezone

from shegong.accounts.services import token_issue
from shegong.places.models import Community
from shegong.resources.choices import NeedStatus
from shegong.resources.models import Need, Resource
from shegong.resources.tests.factories import dispatched_need, make_resource, raise_need

BASE = "/api/v1/resources"


@pytest.fixture
def api(world):
    def client(persona):
        _token, raw = token_issue(user=world.users[persona])
        return Client(headers={"Authorization": f"Bearer {raw}"})

    return client


def test_the_whole_flow_through_the_api(world, api):
    staff, lead = api("community_staff"), api("agency_admin")
    resource = make_resource(world, name="开心助老服务队", community=world.home_community)
    created = staff.post(
        f"{BASE}/needs",
        {
            "title": "独居老人助餐",
            "category": "elderly",
            "community_id": world.home_community.pk,
            "people_affected": 6,
        },
        content_type="application/json",
    )
    assert created.status_code == 201, created.content
    need_id = created.json()["id"]
    suggestions = staff.get(f"{BASE}/needs/{need_id}/suggestions").json()
    assert suggestions[0]["resource_id"] == resource.pk
    assert suggestions[0]["total"] == 100
    assert {r["criterion"] for r in suggestions[0]["reasons"]} == {
        "category",
        "place",
        "capacity",
        "availability",
    }
    dispatched = staff.post(
        f"{BASE}/needs/{need_id}/dispatch",
        {"resource_id": resource.pk},
        content_type="application/json",
    )
    assert dispatched.json()["status"] == "dispatched"
    assert dispatched.json()["agency_id"] == world.agency_a.pk
    assert (
        lead.post(f"{BASE}/needs/{need_id}/claim", {}, content_type="application/json").json()[
            "status"
        ]
        == "claimed"
    )
    delivered = api("social_worker").post(
        f"{BASE}/needs/{need_id}/deliver",
        {"delivered_on": timezone.localdate().isoformat(), "summary": "送餐"},
        content_type="application/json",
    )
    assert delivered.json()["status"] == "delivered"
    rated = staff.post(
        f"{BASE}/needs/{need_id}/rate", {"rating": 5}, content_type="application/json"
    )
    assert rated.json()["status"] == "rated" and rated.json()["rating"] == 5
    events = staff.get(f"{BASE}/needs/{need_id}/events").json()
    assert [e["kind"] for e in events] == ["raised", "dispatched", "claimed", "delivered", "rated"]


def test_an_illegal_move_is_a_400_naming_the_reason(world, api):
    need = raise_need(world)
    response = api("community_staff").post(
        f"{BASE}/needs/{need.pk}/rate", {"rating": 5}, content_type="application/json"
    )
    assert response.status_code == 400
    assert "已服务" in response.json()["detail"] + str(response.json()["errors"])
    assert Need.objects.get(pk=need.pk).status == NeedStatus.RAISED


def test_out_of_scope_references_are_refused_like_missing_ones(world, api):
    other = Community.objects.exclude(street=world.home_street).first()
    response = api("community_staff").post(
        f"{BASE}/needs",
        {"title": "越界", "category": "elderly", "community_id": other.pk},
        content_type="application/json",
    )
    assert response.status_code == 400 and "community" in response.json()["errors"]
    need = raise_need(world)
    far = make_resource(world, owner_agency=world.agency_b, community=other)
    response = api("community_staff").post(
        f"{BASE}/needs/{need.pk}/dispatch",
        {"resource_id": far.pk},
        content_type="application/json",
    )
    assert response.status_code == 400 and "resource" in response.json()["errors"]
    response = api("community_staff").post(
        f"{BASE}/needs/{need.pk}/dispatch",
        {"agency_id": world.agency_b.pk},
        content_type="application/json",
    )
    assert response.status_code == 400 and "agency" in response.json()["errors"]
    assert Need.objects.get(pk=need.pk).status == NeedStatus.RAISED
    assert Need.objects.filter(title="越界").count() == 0


def test_scope_other_agency_and_street_get_404(world, api):
    need = dispatched_need(world)
    for persona in ("social_worker_b", "volunteer", "auditor"):
        assert api(persona).get(f"{BASE}/needs/{need.pk}").status_code == 404
    assert api("social_worker").get(f"{BASE}/needs/{need.pk}").status_code == 200
    listed = api("social_worker_b").get(f"{BASE}/needs")
    assert listed.status_code == 200
    ids = [n["id"] for n in listed.json()["items"]]
    assert need.pk not in ids


def test_list_filters_are_validated_and_applied(world, api):
    raise_need(world, title="助餐需求", category="elderly")
    raise_need(world, title="课业辅导", category="minors")
    client = api("community_staff")
    titles = [
        n["title"] for n in client.get(f"{BASE}/needs", {"category": "minors"}).json()["items"]
    ]
    assert "课业辅导" in titles and "助餐需求" not in titles
    bad = client.get(f"{BASE}/needs", {"status": "flying"})
    assert bad.status_code in (400, 422)


def test_resources_crud_and_agency_ownership(world, api):
    director = api("agency_admin")
    created = director.post(
        BASE,
        {
            "name": "心理咨询室",
            "kind": "venue",
            "owner_agency_id": world.agency_a.pk,
            "categories": ["mental_health"],
            "capacity": 8,
        },
        content_type="application/json",
    )
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["community_id"] == world.agency_a.community_id
    assert body["categories"] == ["mental_health"]
    patched = director.patch(
        f"{BASE}/{body['id']}", {"capacity": 12}, content_type="application/json"
    )
    assert patched.json()["capacity"] == 12
    # Another agency's resource cannot be claimed as one's own.
    refused = director.post(
        BASE,
        {"name": "冒名资源", "kind": "goods", "owner_agency_id": world.agency_b.pk},
        content_type="application/json",
    )
    assert refused.status_code == 400 and "owner_agency" in refused.json()["errors"]
    assert not Resource.objects.filter(name="冒名资源").exists()
    assert api("social_worker_b").get(f"{BASE}/{body['id']}").status_code == 404


def test_projects_link_needs_of_their_community(world, api):
    need = raise_need(world)
    client = api("community_staff")
    created = client.post(
        f"{BASE}/projects",
        {
            "title": "银龄助餐项目",
            "community_id": world.home_community.pk,
            "starts_on": "2026-01-05",
            "need_ids": [need.pk],
            "lead_agency_id": world.agency_a.pk,
        },
        content_type="application/json",
    )
    assert created.status_code == 201, created.content
    assert created.json()["need_ids"] == [need.pk]
    bad = client.patch(
        f"{BASE}/projects/{created.json()['id']}",
        {"ends_on": "2025-01-01"},
        content_type="application/json",
    )
    assert bad.status_code == 400 and "ends_on" in bad.json()["errors"]
    # The lead agency's staff see the project.
    assert api("social_worker").get(f"{BASE}/projects/{created.json()['id']}").status_code == 200
