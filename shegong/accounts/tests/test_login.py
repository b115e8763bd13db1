"""Login page, wrong-password message and the django-axes lockout (page and API)."""

import pytest
from django.conf import settings
from django.test import Client

from shegong.core.demo import DEMO_PASSWORD


@pytest.mark.django_db
def test_login_page_is_in_chinese(client):
    response = client.get("/accounts/login/")
    body = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="zh-hans">' in body
    assert "密码" in body  # the password label, from Django's own Chinese catalogue


def test_wrong_password_shows_message_and_stays_logged_out(client, world):
    response = client.post(
        "/accounts/login/", {"username": "street_admin", "password": "not-the-password"}
    )
    assert response.status_code == 200
    assert "请输入一个正确的" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_right_password_logs_in(client, world):
    response = client.post(
        "/accounts/login/", {"username": "street_admin", "password": DEMO_PASSWORD}
    )
    assert response.status_code == 302
    assert response["Location"] == "/"
    assert client.get("/").status_code == 200


def test_lockout_after_repeated_failures_blocks_page_and_api(world):
    client = Client()
    for _attempt in range(settings.AXES_FAILURE_LIMIT):
        client.post("/accounts/login/", {"username": "social_worker", "password": "wrong-guess"})

    locked = client.post(
        "/accounts/login/", {"username": "social_worker", "password": DEMO_PASSWORD}
    )
    assert locked.status_code == 429
    assert locked["Retry-After"] == "3600"  # the one-hour lockout
    assert "accounts/locked_out.html" in [t.name for t in locked.templates]
    assert 'data-testid="locked-out"' in locked.content.decode()
    assert "_auth_user_id" not in client.session

    api = client.post(
        "/api/v1/auth/token",
        {"username": "social_worker", "password": DEMO_PASSWORD},
        content_type="application/json",
    )
    assert api.status_code == 429
    assert api["Retry-After"] == "3600"
    assert api.json()["detail"]
    assert "token" not in api.json()

    # Other accounts are unaffected.
    other = client.post("/accounts/login/", {"username": "supervisor", "password": DEMO_PASSWORD})
    assert other.status_code == 302


def test_failed_api_logins_count_towards_the_lockout(world):
    client = Client()
    statuses = [
        client.post(
            "/api/v1/auth/token",
            {"username": "volunteer", "password": "wrong-guess"},
            content_type="application/json",
        ).status_code
        for _attempt in range(settings.AXES_FAILURE_LIMIT)
    ]
    # The attempt that reaches the limit is already answered as a lockout.
    assert statuses == [401] * (settings.AXES_FAILURE_LIMIT - 1) + [429]
    locked = client.post("/accounts/login/", {"username": "volunteer", "password": DEMO_PASSWORD})
    assert locked.status_code == 429


def test_a_stranger_behind_the_proxy_cannot_lock_the_user_out(settings, world):
    # Behind the reverse proxy every request arrives from 127.0.0.1; the lockout must still key
    # on the client's own address, or anyone could lock district_admin out of the district.
    settings.SHEGONG_TRUSTED_PROXIES = ["127.0.0.1"]
    stranger = Client(REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.9")
    statuses = [
        stranger.post(
            "/api/v1/auth/token",
            {"username": "district_admin", "password": "wrong-guess"},
            content_type="application/json",
        ).status_code
        for _attempt in range(settings.AXES_FAILURE_LIMIT)
    ]
    assert statuses[-1] == 429

    owner = Client(REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="198.51.100.7")
    response = owner.post(
        "/accounts/login/", {"username": "district_admin", "password": DEMO_PASSWORD}
    )
    assert response.status_code == 302
