"""The API's anonymous endpoints are rate-limited per client address (429, the API's format)."""

import pytest
from django.test import Client

from shegong.core.demo import DEMO_PASSWORD


@pytest.fixture
def low_limit(settings):
    # A daily window: the count cannot roll over in the middle of the test.
    settings.SHEGONG_API_ANON_RATE = "3/d"
    settings.SHEGONG_TRUSTED_PROXIES = ["127.0.0.1"]


WRONG = "wrong-guess"


def _token(client: Client, password: str):
    return client.post(
        "/api/v1/auth/token",
        {"username": "volunteer", "password": password},
        content_type="application/json",
    )


def test_token_requests_past_the_limit_get_429_json(low_limit, world):
    client = Client(REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.9")
    statuses = [_token(client, WRONG).status_code for _attempt in range(3)]
    assert statuses == [401, 401, 401]

    limited = _token(client, password=DEMO_PASSWORD)
    assert limited.status_code == 429
    assert limited["Retry-After"] == "86400"  # the window of the rate (3/d here)
    body = limited.json()
    assert "请求过多" in body["detail"]
    assert body["errors"] == {}
    assert "token" not in body


def test_the_limit_counts_each_client_address_apart(low_limit, world):
    stranger = Client(REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.9")
    for _attempt in range(4):
        _token(stranger, WRONG)
    owner = Client(REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="198.51.100.7")
    assert _token(owner, password=DEMO_PASSWORD).status_code == 201


def test_a_request_without_a_peer_address_is_counted_not_crashed(low_limit, world):
    # gunicorn bound to a unix socket leaves REMOTE_ADDR empty.
    assert _token(Client(REMOTE_ADDR=""), WRONG).status_code == 401
