"""Small helpers that read configuration from the environment and fail loudly.

Settings never read ``os.environ`` directly: every value goes through one of these so that a
missing or malformed variable stops the process with a message naming the variable.
"""

import base64
import json
import os
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
