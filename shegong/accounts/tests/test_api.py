"""Accounts API: /users mirrors the user-administration pages (scope, services, errors)."""

import pytest
from django.test import Client

from shegong.accounts.models import RoleAssignment, User
from shegong.accounts.services import token_issue
from shegong.places.models import Community

# Not allowed looks exactly like missing (DESIGN §4.2).
REFUSED = 404

JSON = "application/json"


@pytest.fixture
def api_for(world):
    def make(persona: str) -> Client:
        _token, raw = token_issue(user=world.users[persona], name="test")
        return Client(headers={"Authorization": f"Bearer {raw}"})

    return make


def test_me_lists_roles(api_for, world):
    body = api_for("street_admin").get("/api/v1/me").json()
    assert body["roles"][0]["role"] == "street_admin"
    assert body["roles"][0]["node_name"] == world.home_street.name


def test_list_users_is_scoped(api_for, world):
    response = api_for("street_admin").get("/api/v1/users")
    assert response.status_code == 200
    names = {item["username"] for item in response.json()["items"]}
    assert {"community_staff", "social_worker"} <= names
    assert "social_worker_b" not in names
    filtered = api_for("street_admin").get("/api/v1/users", {"role": "volunteer"}).json()
    assert [u["username"] for u in filtered["items"]] == ["volunteer"]


def test_list_users_sorts_like_the_page(api_for):
    def usernames(sort):
        items = api_for("district_admin").get("/api/v1/users", {"sort": sort}).json()["items"]
        return [u["username"] for u in items]

    ascending = usernames("username")
    assert ascending == sorted(ascending)
    assert usernames("-username") == ascending[::-1]


def test_non_admin_is_refused(api_for):
    assert api_for("social_worker").get("/api/v1/users").status_code == REFUSED


def test_create_user_and_grant_and_revoke(api_for, world):
    client = api_for("street_admin")
    created = client.post(
        "/api/v1/users",
        {"username": "api_user", "password": "long-enough-pw-1", "display_name": "接口用户"},
        content_type=JSON,
    )
    assert created.status_code == 201
    user_id = created.json()["id"]

    granted = client.post(
        f"/api/v1/users/{user_id}/roles",
        {"role": "community_staff", "node_kind": "community", "node_id": world.home_community.pk},
        content_type=JSON,
    )
    assert granted.status_code == 201
    assignment_id = granted.json()["id"]
    detail = client.get(f"/api/v1/users/{user_id}").json()
    assert [r["role"] for r in detail["roles"]] == ["community_staff"]

    revoked = client.delete(f"/api/v1/users/{user_id}/roles/{assignment_id}")
    assert revoked.status_code == 204
    assert not RoleAssignment.objects.get(pk=assignment_id).is_active


def test_create_user_with_bad_password_is_400_and_writes_nothing(api_for):
    response = api_for("street_admin").post(
        "/api/v1/users", {"username": "weak", "password": "123"}, content_type=JSON
    )
    assert response.status_code == 400
    assert response.json()["errors"]["password"]
    assert not User.objects.filter(username="weak").exists()


def test_refused_grants_are_400_and_write_nothing(api_for, world):
    client = api_for("street_admin")
    user_id = client.post(
        "/api/v1/users", {"username": "api_t", "password": "long-enough-pw-1"}, content_type=JSON
    ).json()["id"]
    other = Community.objects.filter(street=world.other_street).first()
    for payload in (
        {"role": "district_admin", "node_kind": "district", "node_id": world.district.pk},
        {"role": "community_staff", "node_kind": "community", "node_id": other.pk},
        {"role": "social_worker", "node_kind": "agency", "node_id": world.agency_a.pk},
    ):
        response = client.post(f"/api/v1/users/{user_id}/roles", payload, content_type=JSON)
        assert response.status_code == 400
        assert response.json()["errors"]
    missing = client.post(
        f"/api/v1/users/{user_id}/roles",
        {"role": "volunteer", "node_kind": "community", "node_id": 999999},
        content_type=JSON,
    )
    assert missing.status_code == 400
    assert not RoleAssignment.objects.filter(user_id=user_id).exists()


def test_users_outside_scope_are_404(api_for, world):
    client = api_for("street_admin")
    worker_b = world.users["social_worker_b"]
    assert client.get(f"/api/v1/users/{worker_b.pk}").status_code == 404
    assignment = worker_b.role_assignments.get()
    assert client.delete(f"/api/v1/users/{worker_b.pk}/roles/{assignment.pk}").status_code == 404
    assignment.refresh_from_db()
    assert assignment.is_active
