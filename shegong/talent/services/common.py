"""Helpers the talent services share: who acts as what, dates, uploads."""

import datetime

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from shegong.core.scope import user_assignments
from shegong.core.sealed_files import content_matches, extension_of, head_of

# The 公示 period is counted on the holiday calendar; re-exported for the application services.
from shegong.core.workdays import add_working_days  # noqa: F401

MAX_UPLOAD_BYTES = 10 * 1024 * 1024
# Evidence and attachments: certificates and forms, as PDF or photos. Checked by content too,
# and kept sealed (core/sealed_files.py): they carry ID numbers and signatures.
UPLOAD_TYPES = ("pdf", "jpg", "jpeg", "png")


def today() -> datetime.date:
    return timezone.localdate()


def upload_errors(upload) -> list[str]:
    """Why this file cannot be kept as evidence (empty when it can)."""
    extension = extension_of(getattr(upload, "name", "") or "")
    if extension not in UPLOAD_TYPES:
        return [_("Attach a PDF, JPG or PNG file.")]
    if upload.size > MAX_UPLOAD_BYTES:
        return [_("A file may be at most 10 MB.")]
    if not content_matches(extension, head_of(upload)):
        return [_("The file's content does not match its .%(ext)s name.") % {"ext": extension}]
    return []


def roles_of(user) -> set[str]:
    if not getattr(user, "is_authenticated", False):
        return set()
    return {a.role for a in user_assignments(user)}


def acts_as(user, role: str, model, instance) -> bool:
    """Whether one of ``user``'s assignments of ``role`` reaches ``instance`` by its node (an
    agency director at the application's agency, a street admin above its community)."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    if user.is_superuser:
        return True
    rule = model.scope_rule
    for assignment in user_assignments(user):
        if assignment.role != role:
            continue
        if model.objects.filter(rule.q_for(assignment), pk=instance.pk).exists():
            return True
    return False


def add_months(start: datetime.date, months: int) -> datetime.date:
    month = start.month - 1 + months
    year = start.year + month // 12
    month = month % 12 + 1
    import calendar

    return datetime.date(year, month, min(start.day, calendar.monthrange(year, month)[1]))


def text(data: dict, name: str) -> str:
    value = data.get(name)
    return "" if value is None else str(value).strip()


def require_field(value, field: str, message: str) -> None:
    if value in (None, ""):
        raise ValidationError({field: [message]})
