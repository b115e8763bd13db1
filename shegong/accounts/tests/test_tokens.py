"""API tokens: issued once, hashed at rest, usable as Bearer, refused once revoked or expired."""

import datetime
import hashlib

import pytest
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


def test_tokens_expire_after_the_configured_default(settings, world):
    settings.SHEGONG_API_TOKEN_DAYS = 60
    token, _raw = token_issue(user=world.users["social_worker"], name="default")
    lifetime = token.expires_at - timezone.now()
    assert datetime.timedelta(days=59) < lifetime <= datetime.timedelta(days=60)


def test_token_page_offers_no_token_that_never_expires(client_for, world):
    client = client_for("social_worker")
    response = client.post("/accounts/tokens/", {"name": "forever", "expires_in_days": "0"})
    assert response.status_code == 200
    assert response.context["form"].errors["expires_in_days"]
    assert not ApiToken.objects.filter(name="forever").exists()
    choices = [
        value for value, _label in response.context["form"].fields["expires_in_days"].choices
    ]
    assert max(choices) == 90
    assert "90 天后" in response.content.decode()


def test_token_endpoint_and_list_show_the_expiry(world):
    issued = (
        Client()
        .post(
            "/api/v1/auth/token",
            {"username": "agency_admin", "password": DEMO_PASSWORD, "name": "app"},
            content_type="application/json",
        )
        .json()
    )
    expires_at = datetime.datetime.fromisoformat(issued["expires_at"])
    assert expires_at > timezone.now() + datetime.timedelta(days=89)

    listed = _bearer(issued["token"]).get("/api/v1/auth/tokens").json()
    assert [(t["id"], t["usable"]) for t in listed] == [(issued["id"], True)]
    assert datetime.datetime.fromisoformat(listed[0]["expires_at"]) == expires_at


def test_changing_the_password_revokes_every_token(client_for, world):
    user = world.users["social_worker"]
    _token, raw = token_issue(user=user, name="phone")
    response = client_for("social_worker").post(
        "/accounts/password/",
        {
            "old_password": DEMO_PASSWORD,
            "new_password1": "a-new-long-passphrase-7",
            "new_password2": "a-new-long-passphrase-7",
        },
    )
    assert response.status_code == 302
    assert _bearer(raw).get("/api/v1/me").status_code == 401
    assert ApiToken.objects.get(name="phone").revoked_at is not None


def test_an_administrator_reset_revokes_every_token(world):
    user = world.users["volunteer"]
    _token, raw = token_issue(user=user, name="script")
    user.set_password("reset-by-the-administrator-1")
    user.save()
    assert _bearer(raw).get("/api/v1/me").status_code == 401


def test_deactivating_the_user_revokes_tokens_for_good(world):
    user = world.users["volunteer"]
    _token, raw = token_issue(user=user, name="script")
    user.is_active = False
    user.save(update_fields=["is_active"])
    user.is_active = True
    user.save(update_fields=["is_active"])
    assert _bearer(raw).get("/api/v1/me").status_code == 401


@pytest.mark.parametrize("name", ["app\x00", "app\x07", "app\u202e", "\u3164"])
def test_a_token_name_with_control_or_blank_characters_is_refused(world, name):
    response = Client().post(
        "/api/v1/auth/token",
        {"username": "agency_admin", "password": DEMO_PASSWORD, "name": name},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert "name" in response.json()["errors"]
    assert not ApiToken.objects.exists()


def test_the_token_page_shows_the_name_error_and_issues_nothing(client_for, world):
    response = client_for("social_worker").post(
        "/accounts/tokens/", {"name": "手机\u202e", "expires_in_days": "30"}
    )
    assert response.status_code == 200
    assert response.context["new_token"] is None
    assert response.context["form"].errors["name"] == ["请删除文本中的控制字符或不可见的格式字符。"]
    assert not ApiToken.objects.exists()
