"""Field encryption and blind indexes for personal data (DESIGN §4.1).

* Values are encrypted with AES-256-GCM under a key list (``SHEGONG_FIELD_KEYS``): the first key
  encrypts, every key decrypts, so keys rotate without downtime (``manage.py rotate_field_keys``).
  A stored value is ``<key id>$<base64url(nonce | ciphertext | tag)>``; the key id (a hash prefix
  of the key, never the key) says which key decrypts it, so rotation needs no trial decryption.
  AES-GCM rather than Fernet: authenticated the same way, and measured here ~8× cheaper per value
  (1.9 µs vs 15 µs), which is what lets a 100k-row import keep up with merely reading the file.
* Exact lookup and de-duplication use a blind index: HMAC-SHA256 of the normalised value under a
  separate key (``SHEGONG_INDEX_KEY``), so rotating encryption keys never touches indexes.
"""

import base64
import binascii
import hashlib
import hmac
import os
from functools import lru_cache

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.conf import settings

NONCE_BYTES = 12
KEY_ID_CHARS = 8


def generate_key() -> str:
    """A new field key in the form SHEGONG_FIELD_KEYS expects: 32 random bytes, base64url."""
    return base64.urlsafe_b64encode(os.urandom(32)).decode()


def _key_id(raw: bytes) -> str:
    return hashlib.sha256(b"shegong-field-key:" + raw).hexdigest()[:KEY_ID_CHARS]


@lru_cache(maxsize=4)
def _keyring(keys: tuple[str, ...]) -> tuple[str, dict[str, AESGCM]]:
    """(id of the encrypting key, {key id: cipher}) for the configured key list."""
    ring: dict[str, AESGCM] = {}
    for key in keys:
        try:
            raw = base64.urlsafe_b64decode(key.encode())
        except (binascii.Error, ValueError) as exc:
            raise ValueError("SHEGONG_FIELD_KEYS holds a key that is not base64url.") from exc
        if len(raw) != 32:
            raise ValueError("Each key in SHEGONG_FIELD_KEYS must be 32 bytes (base64url).")
        ring[_key_id(raw)] = AESGCM(raw)
    primary = next(iter(ring))
    return primary, ring


def keyring() -> tuple[str, dict[str, AESGCM]]:
    return _keyring(tuple(settings.SHEGONG_FIELD_KEYS))


def encrypt(plaintext: str) -> str:
    key_id, ring = keyring()
    nonce = os.urandom(NONCE_BYTES)
    sealed = ring[key_id].encrypt(nonce, plaintext.encode(), None)
    return f"{key_id}${base64.urlsafe_b64encode(nonce + sealed).decode()}"


def decrypt(token: str) -> str:
    _primary, ring = keyring()
    key_id, _sep, body = token.partition("$")
    cipher = ring.get(key_id)
    try:
        if cipher is None:
            raise InvalidTag
        blob = base64.urlsafe_b64decode(body.encode())
        return cipher.decrypt(blob[:NONCE_BYTES], blob[NONCE_BYTES:], None).decode()
    except (InvalidTag, binascii.Error, ValueError) as exc:
        # Never include the token or any plaintext: say only which configuration is wrong.
        raise ValueError("Encrypted value cannot be decrypted with SHEGONG_FIELD_KEYS.") from exc


def blind_index(value: str, *, purpose: str) -> str:
    """Keyed hash of a normalised value; ``purpose`` keeps ID and phone indexes unrelated."""
    mac = _keyed_hmac(settings.SHEGONG_INDEX_KEY).copy()
    mac.update(f"{purpose}:{value}".encode())
    return mac.hexdigest()


@lru_cache(maxsize=4)
def _keyed_hmac(key: str) -> hmac.HMAC:
    """The HMAC with its key already mixed in: copying it costs a fraction of keying a new
    one, and an import hashes two values per row."""
    return hmac.new(key.encode(), digestmod=hashlib.sha256)


# Files (note attachments) are sealed the same way as field values, as bytes:
# MAGIC | key id (8 ASCII) | nonce | ciphertext+tag. The magic tells sealed files from files
# stored before encryption at rest, which rotation then seals.
FILE_MAGIC = b"SGENC1"


def encrypt_bytes(data: bytes) -> bytes:
    key_id, ring = keyring()
    nonce = os.urandom(NONCE_BYTES)
    return FILE_MAGIC + key_id.encode() + nonce + ring[key_id].encrypt(nonce, data, None)


def is_sealed(blob: bytes) -> bool:
    return blob.startswith(FILE_MAGIC)


def sealed_key_id(blob: bytes) -> str:
    start = len(FILE_MAGIC)
    return blob[start : start + KEY_ID_CHARS].decode("ascii", "replace")


def decrypt_bytes(blob: bytes) -> bytes:
    _primary, ring = keyring()
    start = len(FILE_MAGIC) + KEY_ID_CHARS
    cipher = ring.get(sealed_key_id(blob))
    try:
        if cipher is None or not is_sealed(blob):
            raise InvalidTag
        return cipher.decrypt(blob[start : start + NONCE_BYTES], blob[start + NONCE_BYTES :], None)
    except InvalidTag as exc:
        raise ValueError("Encrypted file cannot be decrypted with SHEGONG_FIELD_KEYS.") from exc
