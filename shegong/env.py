"""Small helpers that read configuration from the environment and fail loudly.

Settings never read ``os.environ`` directly: every value goes through one of these so that a
missing or malformed variable stops the process with a message naming the variable.
"""

import base64
import binascii
import ipaddress
import json
import os
import re
import secrets
import sys
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

TRUE_WORDS = {"1", "true", "yes", "on"}
FALSE_WORDS = {"0", "false", "no", "off", ""}


def env_str(name: str, default: str | None = None) -> str:
    value = os.environ.get(name)
    if value is None:
        if default is None:
            raise ImproperlyConfigured(f"Environment variable {name} is required.")
        return default
    return value


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    lowered = value.strip().lower()
    if lowered in TRUE_WORDS:
        return True
    if lowered in FALSE_WORDS:
        return False
    raise ImproperlyConfigured(f"Environment variable {name} must be a boolean, got {value!r}.")


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    if value is None:
        return default
    try:
        return int(value)
    except ValueError as exc:
        raise ImproperlyConfigured(f"Environment variable {name} must be an integer.") from exc


def env_list(name: str, default: list[str]) -> list[str]:
    value = os.environ.get(name)
    if value is None:
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


def _new_field_key() -> str:
    # 32 random bytes, base64url: one AES-256 key (see shegong.core.crypto).
    return base64.urlsafe_b64encode(secrets.token_bytes(32)).decode()


def local_keys(path: Path) -> dict[str, str]:
    """Keys for the embedded default: created once in ``var/`` and reused after.

    Production never gets here: it must set SHEGONG_FIELD_KEYS and SHEGONG_INDEX_KEY.
    """
    if path.exists():
        return json.loads(path.read_text())
    path.parent.mkdir(parents=True, exist_ok=True)
    keys = {
        "SECRET_KEY": secrets.token_urlsafe(50),
        "SHEGONG_FIELD_KEYS": _new_field_key(),
        "SHEGONG_INDEX_KEY": secrets.token_urlsafe(32),
    }
    path.write_text(json.dumps(keys, indent=2))
    path.chmod(0o600)
    print(
        f"Shegong: generated local keys in {path} (keep this file; it decrypts your data).",
        file=sys.stderr,
    )
    return keys


def env_networks(name: str) -> list[str]:
    """A comma-separated list of addresses or networks (``127.0.0.1,10.0.0.0/8``)."""
    entries = env_list(name, [])
    for entry in entries:
        try:
            ipaddress.ip_network(entry, strict=False)
        except ValueError as exc:
            raise ImproperlyConfigured(
                f"Environment variable {name}: {entry!r} is not an address or network."
            ) from exc
    return entries


MIN_INDEX_KEY_CHARS = 32


def check_field_keys(keys: list[str]) -> list[str]:
    """Each key must be 32 bytes in base64url; a bad one would only fail at the first save."""
    if not keys:
        raise ImproperlyConfigured("SHEGONG_FIELD_KEYS must list at least one key.")
    for position, key in enumerate(keys, start=1):
        try:
            raw = base64.urlsafe_b64decode(key.encode())
        except (binascii.Error, ValueError) as exc:
            raise ImproperlyConfigured(
                f"SHEGONG_FIELD_KEYS: key {position} is not base64url."
            ) from exc
        if len(raw) != 32:
            raise ImproperlyConfigured(
                f"SHEGONG_FIELD_KEYS: key {position} is {len(raw)} bytes; each key must be 32 "
                "random bytes in base64url."
            )
    return keys


def check_index_key(key: str) -> str:
    if len(key.strip()) < MIN_INDEX_KEY_CHARS:
        raise ImproperlyConfigured(
            f"SHEGONG_INDEX_KEY must be at least {MIN_INDEX_KEY_CHARS} characters of random text."
        )
    return key


RATE = re.compile(r"\d+/\d*[smhd]")


def env_rate(name: str, default: str) -> str:
    """A django-ratelimit rate: ``20/m`` (per second, minute, hour or day; ``5/10m`` works)."""
    value = env_str(name, default).strip()
    if not RATE.fullmatch(value):
        raise ImproperlyConfigured(
            f"Environment variable {name} must be a rate like 20/m, got {value!r}."
        )
    return value


def env_positive_int(name: str, default: int) -> int:
    value = env_int(name, default)
    if value < 1:
        raise ImproperlyConfigured(f"Environment variable {name} must be at least 1.")
    return value
