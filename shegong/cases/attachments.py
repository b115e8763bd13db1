"""Note attachments: which files are accepted, and how they are kept.

Accepted: scans, photos, documents and plain text, by extension AND by the file's first bytes,
so a renamed ``.exe`` or an ``.html``/``.svg`` page (script run from our origin) is refused.
Kept sealed (``core/sealed_files.py``): encrypted at rest under a random file name.
"""

from django.utils.translation import gettext as _

from shegong.core.sealed_files import (
    content_matches,
    extension_of,
    head_of,
    sealed,
)
from shegong.core.sealed_files import plain_size as plain_file_size
from shegong.core.sealed_files import (
    read_plain as read_plain_file,
)
from shegong.core.sealed_files import (
    reseal_all as reseal_all_files,
)

MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024
# Scans, photos, documents and plain text.
ALLOWED = ("pdf", "jpg", "jpeg", "png", "heic", "docx", "xlsx", "doc", "xls", "txt")

__all__ = ["MAX_ATTACHMENT_BYTES", "plain_size", "read_plain", "reseal_all", "sealed"]


def upload_errors(upload) -> list[str]:
    """Why this upload cannot be attached (empty when it can)."""
    extension = extension_of(upload.name)
    if extension not in ALLOWED:
        return [
            _("Attach a PDF, JPG, PNG, HEIC, Word, Excel or text file (not .%(ext)s).")
            % {"ext": extension or "?"}
        ]
    if upload.size > MAX_ATTACHMENT_BYTES:
        return [_("An attachment may be at most 10 MB.")]
    if not content_matches(extension, head_of(upload)):
        return [
            _("The content of %(name)s is not a .%(ext)s file.")
            % {"name": upload.name, "ext": extension}
        ]
    return []


def plain_size(attachment) -> int:
    return plain_file_size(attachment.file)


def read_plain(attachment) -> bytes:
    return read_plain_file(attachment.file)


def reseal_all() -> int:
    """Every note attachment under the first key (for ``rotate_field_keys``)."""
    from shegong.cases.models import NoteAttachment

    return reseal_all_files(NoteAttachment, "file")
