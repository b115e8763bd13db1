"""Uploaded files with personal data (note attachments, signed forms, certificates): what is
accepted, and how they are kept.

Accepted: by extension AND by the file's first bytes, so a renamed ``.exe`` or an
``.html``/``.svg`` page (script run from our origin) is refused. Kept: encrypted at rest with
the field keys (``core/crypto.py``) under a random file name, since the original name often
names the person; ``rotate_field_keys`` re-encrypts them (each app registers its files with
``core.registry.add_sealed_files``) and seals files stored before encryption existed.
"""

import logging
import uuid
from pathlib import PurePath

from django.core.files.base import ContentFile

from shegong.core import crypto

logger = logging.getLogger(__name__)

# What sealing adds to a file: magic, key id, nonce and the 16-byte GCM tag.
SEALED_OVERHEAD = len(crypto.FILE_MAGIC) + crypto.KEY_ID_CHARS + crypto.NONCE_BYTES + 16
SEALED_SUFFIX = ".enc"

ZIP = (b"PK\x03\x04",)
OLE = (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",)
# extension -> accepted leading bytes (None: checked by the function below)
LEADING_BYTES = {
    "pdf": (b"%PDF-",),
    "jpg": (b"\xff\xd8\xff",),
    "jpeg": (b"\xff\xd8\xff",),
    "png": (b"\x89PNG\r\n\x1a\n",),
    "heic": None,  # checked by its ISO-BMFF brand
    "docx": ZIP,
    "xlsx": ZIP,
    "doc": OLE,
    "xls": OLE,
    "txt": None,  # checked by decoding
}
HEIC_BRANDS = (b"heic", b"heix", b"mif1", b"msf1", b"hevc")


def extension_of(name: str) -> str:
    return PurePath(name or "").suffix.lower().lstrip(".")


def content_matches(extension: str, head: bytes) -> bool:
    """Whether the first bytes of a file are what its (known) extension says."""
    if extension == "heic":
        return head[4:8] == b"ftyp" and head[8:12] in HEIC_BRANDS
    if extension == "txt":
        try:
            text = head.decode("utf-8")
        except UnicodeDecodeError:
            # The head may cut a multi-byte character: decode all but its last 3 bytes.
            try:
                text = head[:-3].decode("utf-8")
            except UnicodeDecodeError:
                return False
        return "\x00" not in text
    return head.startswith(LEADING_BYTES[extension])


def head_of(upload, size: int = 4096) -> bytes:
    upload.seek(0)
    head = upload.read(size)
    upload.seek(0)
    return head


def sealed(upload, *, keep_extension: bool = False) -> ContentFile:
    """The upload encrypted, under a random name that says nothing about the person (with the
    upload's extension before ``.enc`` if asked, for a model that keeps no file name)."""
    upload.seek(0)
    sealed_bytes = crypto.encrypt_bytes(upload.read())
    extension = extension_of(upload.name) if keep_extension else ""
    middle = f".{extension}" if extension else ""
    return ContentFile(sealed_bytes, name=f"{uuid.uuid4().hex}{middle}{SEALED_SUFFIX}")


def stored_extension(fieldfile) -> str:
    """The extension a file was uploaded with, from a name ``sealed(keep_extension=True)`` gave."""
    return extension_of(fieldfile.name.removesuffix(SEALED_SUFFIX))


def plain_size(fieldfile) -> int:
    """The size the user uploaded (sealed files are named ``*.enc``; older ones are plaintext)."""
    size = fieldfile.size
    return size - SEALED_OVERHEAD if fieldfile.name.endswith(SEALED_SUFFIX) else size


def read_plain(fieldfile) -> bytes:
    """The file's content as uploaded (files stored before encryption are read as is)."""
    with fieldfile.open("rb") as handle:
        blob = handle.read()
    return crypto.decrypt_bytes(blob) if crypto.is_sealed(blob) else blob


def reseal(instance, field: str) -> bool:
    """Re-encrypt ``instance``'s file under the first key (and seal a plaintext file); False if
    it is sealed under that key already."""
    fieldfile = getattr(instance, field)
    with fieldfile.open("rb") as handle:
        blob = handle.read()
    primary, _ring = crypto.keyring()
    if crypto.is_sealed(blob) and crypto.sealed_key_id(blob) == primary:
        return False
    plain = crypto.decrypt_bytes(blob) if crypto.is_sealed(blob) else blob
    old_name = fieldfile.name
    storage = fieldfile.storage
    fieldfile.save(
        f"{uuid.uuid4().hex}{SEALED_SUFFIX}", ContentFile(crypto.encrypt_bytes(plain)), save=False
    )
    type(instance).objects.filter(pk=instance.pk).update(**{field: fieldfile.name})
    storage.delete(old_name)
    return True


def reseal_all(model, field: str) -> int:
    """Every stored file of ``model.field`` under the first key; returns how many changed."""
    count = 0
    rows = model._default_manager.exclude(**{field: ""}).only("pk", field)
    for instance in rows.iterator(chunk_size=200):
        try:
            count += reseal(instance, field)
        except FileNotFoundError:
            logger.warning("%s %s: file missing, not re-encrypted", model.__name__, instance.pk)
    return count
