"""Reads for core pages: the audit trail and the holiday calendar."""

from auditlog.models import LogEntry
from django.core.exceptions import FieldDoesNotExist
from django.http import Http404

from shegong.core.models import AccessLog, CalendarDay


def change_entries():
    """Change history, newest first, with what the audit page and API show."""
    return LogEntry.objects.select_related("actor", "content_type").order_by("-timestamp", "-id")


def access_entries():
    """Access-log rows (unmasked views and exports), newest first."""
    return AccessLog.objects.select_related("user").order_by("-created_at", "-id")


def changed_field_names(entry) -> list[str]:
    """The names of the fields an entry changed, as raw names (values are never shown)."""
    changes = entry.changes_dict
    return sorted(changes.keys()) if isinstance(changes, dict) else []


def changed_field_labels(entry) -> list[str]:
    """The changed fields' human names, falling back to the raw name for fields since removed."""
    model = entry.content_type.model_class() if entry.content_type_id else None
    labels = []
    for name in changed_field_names(entry):
        try:
            labels.append(str(model._meta.get_field(name).verbose_name))
        except (AttributeError, FieldDoesNotExist):  # model or field since removed
            labels.append(name)
    return labels


def calendar_day_or_404(pk) -> CalendarDay:
    """One day of the holiday calendar (the caller has checked the keeper); an id beyond the
    database's integer range is as missing as any other."""
    try:
        return CalendarDay.objects.get(pk=pk)
    except (CalendarDay.DoesNotExist, ValueError, TypeError, OverflowError) as exc:
        raise Http404 from exc
