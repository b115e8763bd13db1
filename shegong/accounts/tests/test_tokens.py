"""API tokens: issued once, hashed at rest, usable as Bearer, refused once revoked or expired."""

import datetime
import hashlib

from django.test import Client
from django.utils import timezone

from shegong.accounts.models import ApiToken
from shegong.accounts.services import token_issue
from shegong.core.demo import DEMO_PASSWORD


def _bearer(raw: str) -> Client:
    return Client(headers={"Authorization": f"Bearer {raw}"})


def test_page_creates_token_shown_once_and_stored_hashed(client_for, world):
    client = client_for("social_worker")
    response = client.post("/accounts/tokens/", {"name": "手机", "expires_in_days": "30"})
    assert response.status_code == 200
    raw = response.context["new_token"]["raw"]
    assert raw in response.content.decode()
    assert response["Cache-Control"] == "no-store"

    token = ApiToken.objects.get(user=world.users["social_worker"], name="手机")
    assert token.token_hash == hashlib.sha256(raw.encode()).hexdigest()
    stored = [str(v) for v in ApiToken.objects.filter(pk=token.pk).values().get().values()]
    assert raw not in stored
    assert token.expires_at > timezone.now() + datetime.timedelta(days=29)

    again = client.get("/accounts/tokens/").content.decode()
    assert raw not in again
    assert token.hint in again


def test_issued_token_works_as_bearer(world):
    _token, raw = token_issue(user=world.users["street_admin"], name="script")
    response = _bearer(raw).get("/api/v1/me")
    assert response.status_code == 200
    assert response.json()["username"] == "street_admin"
    assert ApiToken.objects.get(name="script").last_used_at is not None


def test_token_endpoint_issues_working_token(world):
    response = Client().post(
        "/api/v1/auth/token",
        {"username": "agency_admin", "password": DEMO_PASSWORD, "name": "app"},
        content_type="application/json",
    )
    assert response.status_code == 201
    raw = response.json()["token"]
    assert not ApiToken.objects.filter(token_hash=raw).exists()
    assert _bearer(raw).get("/api/v1/me").json()["username"] == "agency_admin"


def test_revoked_token_gets_401(client_for, world):
    token, raw = token_issue(user=world.users["social_worker"], name="old")
    assert _bearer(raw).get("/api/v1/me").status_code == 200
    response = client_for("social_worker").post(f"/accounts/tokens/{token.pk}/revoke/")
    assert response.status_code == 302
    assert _bearer(raw).get("/api/v1/me").status_code == 401


def test_revoke_through_api(world):
    token, raw = token_issue(user=world.users["social_worker"], name="api")
    client = _bearer(raw)
    assert client.delete(f"/api/v1/auth/tokens/{token.pk}").status_code == 204
    assert client.get("/api/v1/me").status_code == 401


def test_expired_token_gets_401(world):
    _token, raw = token_issue(
        user=world.users["social_worker"],
        name="short",
        expires_at=timezone.now() - datetime.timedelta(minutes=1),
    )
    assert _bearer(raw).get("/api/v1/me").status_code == 401


def test_made_up_token_gets_401(world):
    assert _bearer("sg_not-a-real-token").get("/api/v1/me").status_code == 401


def test_user_sees_and_revokes_only_own_tokens(client_for, world):
    mine, _raw = token_issue(user=world.users["social_worker"], name="mine")
    theirs, _raw2 = token_issue(user=world.users["social_worker_b"], name="theirs")
    client = client_for("social_worker")
    page = client.get("/accounts/tokens/")
    names = {t.name for t in page.context["tokens"]}
    assert names == {"mine"}
    assert client.post(f"/accounts/tokens/{theirs.pk}/revoke/").status_code == 404
    theirs.refresh_from_db()
    assert theirs.revoked_at is None


def test_user_menu_links_to_tokens(client_for):
    body = client_for("volunteer").get("/").content.decode()
    assert 'href="/accounts/tokens/"' in body
