"""Note attachments: which files are accepted, and how they are kept.

Accepted: scans, photos, documents and plain text, by extension AND by the file's first bytes,
so a renamed ``.exe`` or an ``.html``/``.svg`` page (script run from our origin) is refused.
Kept: encrypted at rest with the field keys (shegong/core/crypto.py) under a random file name,
since the original name often names the client; ``rotate_field_keys`` re-encrypts them and
seals files stored before encryption existed.
"""

import logging
import uuid
from pathlib import PurePath

from django.core.files.base import ContentFile
from django.utils.translation import gettext as _

from shegong.core import crypto

logger = logging.getLogger(__name__)

MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024
# What sealing adds to a file: magic, key id, nonce and the 16-byte GCM tag.
SEALED_OVERHEAD = len(crypto.FILE_MAGIC) + crypto.KEY_ID_CHARS + crypto.NONCE_BYTES + 16
SEALED_SUFFIX = ".enc"

ZIP = (b"PK\x03\x04",)
OLE = (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",)
# extension -> accepted leading bytes (None: plain text, checked by decoding)
ALLOWED_TYPES = {
    "pdf": (b"%PDF-",),
    "jpg": (b"\xff\xd8\xff",),
    "jpeg": (b"\xff\xd8\xff",),
    "png": (b"\x89PNG\r\n\x1a\n",),
    "heic": None,  # checked by its ISO-BMFF brand below
    "docx": ZIP,
    "xlsx": ZIP,
    "doc": OLE,
    "xls": OLE,
    "txt": None,
}
HEIC_BRANDS = (b"heic", b"heix", b"mif1", b"msf1", b"hevc")


def _extension(name: str) -> str:
    return PurePath(name or "").suffix.lower().lstrip(".")


def _content_matches(extension: str, head: bytes) -> bool:
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
    return head.startswith(ALLOWED_TYPES[extension])


def upload_errors(upload) -> list[str]:
    """Why this upload cannot be attached (empty when it can)."""
    extension = _extension(upload.name)
    if extension not in ALLOWED_TYPES:
        return [
            _("Attach a PDF, JPG, PNG, HEIC, Word, Excel or text file (not .%(ext)s).")
            % {"ext": extension or "?"}
        ]
    if upload.size > MAX_ATTACHMENT_BYTES:
        return [_("An attachment may be at most 10 MB.")]
    upload.seek(0)
    head = upload.read(4096)
    upload.seek(0)
    if not _content_matches(extension, head):
        return [
            _("The content of %(name)s is not a .%(ext)s file.")
            % {"name": upload.name, "ext": extension}
        ]
    return []


def sealed(upload) -> ContentFile:
    """The upload encrypted, under a random name that says nothing about the client."""
    upload.seek(0)
    sealed_bytes = crypto.encrypt_bytes(upload.read())
    return ContentFile(sealed_bytes, name=f"{uuid.uuid4().hex}{SEALED_SUFFIX}")


def plain_size(attachment) -> int:
    """The size the user uploaded (sealed files are named ``*.enc``; older ones are plaintext)."""
    size = attachment.file.size
    return size - SEALED_OVERHEAD if attachment.file.name.endswith(SEALED_SUFFIX) else size


def read_plain(attachment) -> bytes:
    """The attachment's content as uploaded (files stored before encryption are read as is)."""
    with attachment.file.open("rb") as handle:
        blob = handle.read()
    return crypto.decrypt_bytes(blob) if crypto.is_sealed(blob) else blob


def reseal(attachment) -> bool:
    """Re-encrypt under the first key (and seal a plaintext file); False if already current."""
    with attachment.file.open("rb") as handle:
        blob = handle.read()
    primary, _ring = crypto.keyring()
    if crypto.is_sealed(blob) and crypto.sealed_key_id(blob) == primary:
        return False
    plain = crypto.decrypt_bytes(blob) if crypto.is_sealed(blob) else blob
    old_name = attachment.file.name
    storage = attachment.file.storage
    attachment.file.save(
        f"{uuid.uuid4().hex}{SEALED_SUFFIX}", ContentFile(crypto.encrypt_bytes(plain)), save=False
    )
    type(attachment).objects.filter(pk=attachment.pk).update(file=attachment.file.name)
    storage.delete(old_name)
    return True


def reseal_all() -> int:
    """Every note attachment under the first key (for ``rotate_field_keys``)."""
    from shegong.cases.models import NoteAttachment

    count = 0
    for attachment in NoteAttachment.objects.only("pk", "file").iterator(chunk_size=200):
        try:
            count += reseal(attachment)
        except FileNotFoundError:
            logger.warning("Attachment %s: file missing, not re-encrypted", attachment.pk)
    return count
