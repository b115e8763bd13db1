"""Configuration: production refuses to start without its secrets; env helpers fail loudly."""

import os
import subprocess
import sys

import pytest
from django.core.exceptions import ImproperlyConfigured

from shegong.env import env_bool, env_int, env_list

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
