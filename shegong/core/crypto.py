"""Field encryption and blind indexes for personal data (DESIGN §4.1).

* Values are encrypted with Fernet (AES-128-CBC + HMAC-SHA256) under a key list: the first key
  encrypts, every key decrypts, so keys rotate without downtime (``manage.py rotate_field_keys``).
* Exact lookup and de-duplication use a blind index: HMAC-SHA256 of the normalised value under a
  separate key, so rotating encryption keys never touches indexes.
"""

import hashlib
import hmac
from functools import lru_cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings


@lru_cache(maxsize=4)
def _multi_fernet(keys: tuple[str, ...]) -> MultiFernet:
    return MultiFernet([Fernet(key.encode()) for key in keys])


def cipher() -> MultiFernet:
    return _multi_fernet(tuple(settings.SHEGONG_FIELD_KEYS))


def encrypt(plaintext: str) -> str:
    return cipher().encrypt(plaintext.encode()).decode()


def decrypt(token: str) -> str:
    try:
        return cipher().decrypt(token.encode()).decode()
    except InvalidToken as exc:
        # Never include the token or any plaintext: say only which configuration is wrong.
        raise ValueError("Encrypted value cannot be decrypted with SHEGONG_FIELD_KEYS.") from exc


def rotate(token: str) -> str:
    """Re-encrypt a token under the current first key."""
    return cipher().rotate(token.encode()).decode()


def blind_index(value: str, *, purpose: str) -> str:
    """Keyed hash of a normalised value; ``purpose`` keeps ID and phone indexes unrelated."""
    key = settings.SHEGONG_INDEX_KEY.encode()
    message = f"{purpose}:{value}".encode()
    return hmac.new(key, message, hashlib.sha256).hexdigest()
