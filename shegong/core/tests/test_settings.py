"""Configuration: production refuses to start without its secrets; env helpers fail loudly."""

import os
import subprocess
import sys

import pytest
from django.core.exceptions import ImproperlyConfigured

from shegong.env import env_bool, env_int, env_list, env_networks, env_positive_int, env_rate

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(__file__))))


def run_check(env: dict) -> subprocess.CompletedProcess:
    base = {
        k: v
        for k, v in os.environ.items()
        if k not in ("SECRET_KEY", "SHEGONG_FIELD_KEYS", "SHEGONG_INDEX_KEY", "DATABASE_URL")
    }
    return subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=ROOT,
        env={**base, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_refuses_to_start_without_field_keys():
    result = run_check(
        {
            "SHEGONG_ENV": "production",
            "SECRET_KEY": "x" * 60,
            "SHEGONG_INDEX_KEY": "k",
            "ALLOWED_HOSTS": "example.org",
        }
    )
    assert result.returncode != 0
    assert "SHEGONG_FIELD_KEYS" in result.stderr


def test_production_refuses_to_start_without_index_key():
    result = run_check(
        {
            "SHEGONG_ENV": "production",
            "SECRET_KEY": "x" * 60,
            "SHEGONG_FIELD_KEYS": "a2V5a2V5a2V5a2V5a2V5a2V5a2V5a2V5a2V5a2V5a2U=",
            "ALLOWED_HOSTS": "example.org",
        }
    )
    assert result.returncode != 0
    assert "SHEGONG_INDEX_KEY" in result.stderr


def test_env_helpers_reject_malformed_values(monkeypatch):
    monkeypatch.setenv("SHEGONG_TEST_FLAG", "maybe")
    with pytest.raises(ImproperlyConfigured, match="SHEGONG_TEST_FLAG"):
        env_bool("SHEGONG_TEST_FLAG", False)
    monkeypatch.setenv("SHEGONG_TEST_INT", "ten")
    with pytest.raises(ImproperlyConfigured, match="SHEGONG_TEST_INT"):
        env_int("SHEGONG_TEST_INT", 1)
    monkeypatch.setenv("SHEGONG_TEST_LIST", "a, b,,c")
    assert env_list("SHEGONG_TEST_LIST", []) == ["a", "b", "c"]


GOOD_FIELD_KEY = "a2V5a2V5a2V5a2V5a2V5a2V5a2V5a2V5a2V5a2V5a2U="
GOOD_INDEX_KEY = "an-index-key-of-enough-random-characters-0123"


@pytest.mark.parametrize(
    ("field_keys", "index_key", "named"),
    [
        ("", GOOD_INDEX_KEY, "SHEGONG_FIELD_KEYS"),
        ("not-a-key", GOOD_INDEX_KEY, "SHEGONG_FIELD_KEYS"),
        (f"{GOOD_FIELD_KEY},c2hvcnQ=", GOOD_INDEX_KEY, "SHEGONG_FIELD_KEYS: key 2"),
        (GOOD_FIELD_KEY, "", "SHEGONG_INDEX_KEY"),
        (GOOD_FIELD_KEY, "short", "SHEGONG_INDEX_KEY"),
    ],
)
def test_production_refuses_to_start_with_empty_or_malformed_keys(field_keys, index_key, named):
    result = run_check(
        {
            "SHEGONG_ENV": "production",
            "SECRET_KEY": "x" * 60,
            "SHEGONG_FIELD_KEYS": field_keys,
            "SHEGONG_INDEX_KEY": index_key,
            "ALLOWED_HOSTS": "example.org",
        }
    )
    assert result.returncode != 0
    assert named in result.stderr


def test_production_starts_with_well_formed_keys():
    result = run_check(
        {
            "SHEGONG_ENV": "production",
            "SECRET_KEY": "x" * 60,
            "SHEGONG_FIELD_KEYS": GOOD_FIELD_KEY,
            "SHEGONG_INDEX_KEY": GOOD_INDEX_KEY,
            "ALLOWED_HOSTS": "example.org",
        }
    )
    assert result.returncode == 0, result.stderr


def test_trusted_proxies_must_be_addresses(monkeypatch):
    monkeypatch.setenv("SHEGONG_TEST_PROXIES", "127.0.0.1,nginx")
    with pytest.raises(ImproperlyConfigured, match="nginx"):
        env_networks("SHEGONG_TEST_PROXIES")
    monkeypatch.setenv("SHEGONG_TEST_PROXIES", "127.0.0.1, 10.0.0.0/8")
    assert env_networks("SHEGONG_TEST_PROXIES") == ["127.0.0.1", "10.0.0.0/8"]


def test_rate_and_token_lifetime_must_be_well_formed(monkeypatch):
    monkeypatch.setenv("SHEGONG_TEST_RATE", "20 per minute")
    with pytest.raises(ImproperlyConfigured, match="SHEGONG_TEST_RATE"):
        env_rate("SHEGONG_TEST_RATE", "20/m")
    monkeypatch.setenv("SHEGONG_TEST_RATE", "5/10m")
    assert env_rate("SHEGONG_TEST_RATE", "20/m") == "5/10m"
    monkeypatch.setenv("SHEGONG_TEST_DAYS", "0")
    with pytest.raises(ImproperlyConfigured, match="SHEGONG_TEST_DAYS"):
        env_positive_int("SHEGONG_TEST_DAYS", 90)
