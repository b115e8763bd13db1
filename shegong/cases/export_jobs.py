"""Case list exports too long to write during the request (SHEGONG_EXPORT_INLINE_MAX_ROWS).

The request fixes which cases the export holds: the ids its user's scope and filter give at that
moment, in the export's order. The task worker then writes them through the same cells, masks
and access log as an inline export, fetching them chunk by chunk, still through the owner's
scope (a case they lost meanwhile is left out), and records its progress for the page's bar.
Only the owner downloads the file, once: it is deleted then, or after
SHEGONG_EXPORT_RETENTION_HOURS.
"""

import datetime
import logging

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from shegong.cases.exports import ROW_RELATIONS, case_cells, headers_for
from shegong.cases.models import Case, CaseExport
from shegong.core.access import log_access
from shegong.core.exports import xlsx_export
from shegong.core.models import AccessLog
from shegong.core.scope import VIEW

logger = logging.getLogger(__name__)

CHUNK = 500  # ids per query: well inside SQLite's limit on parameters
PROGRESS_EVERY = 1000  # rows between two progress writes


def inline_max_rows() -> int:
    return int(settings.SHEGONG_EXPORT_INLINE_MAX_ROWS)


def case_export_start(*, actor, cases, filters: str) -> CaseExport:
    """Queue the export of ``cases`` (the user's filtered, scoped queryset) for ``actor``."""
    from shegong.cases.tasks import run_case_export

    case_exports_purge()
    ids = list(cases.order_by("community__code", "intake_date", "id").values_list("pk", flat=True))
    with transaction.atomic():
        export = CaseExport(owner=actor, case_ids=ids, total=len(ids), filters=filters[:500])
        export.full_clean()
        export.save()
    run_case_export.enqueue(export.pk)
    return export


def _rows(export: CaseExport):
    """The export's cases in its order, through the owner's scope, counting progress."""
    from shegong.cases.selectors import with_content_flag

    written = 0
    ids = export.case_ids
    for start in range(0, len(ids), CHUNK):
        part = ids[start : start + CHUNK]
        scoped = Case.objects.for_user(export.owner, VIEW).filter(pk__in=part)
        found = {
            case.pk: case
            for case in with_content_flag(scoped, export.owner).select_related(*ROW_RELATIONS)
        }
        for pk in part:
            if pk in found:
                yield found[pk]
            written += 1
            if written % PROGRESS_EVERY == 0:
                CaseExport.objects.filter(pk=export.pk).update(written=written)


def case_export_run(export_id: int) -> str:
    """Write the workbook (the task's body); a failure marks the export failed, never stuck."""
    from shegong.cases.selectors import may_list_content

    export = CaseExport.objects.select_related("owner").get(pk=export_id)
    if export.status != CaseExport.Status.QUEUED:
        return export.status
    CaseExport.objects.filter(pk=export.pk).update(status=CaseExport.Status.RUNNING)
    try:
        with_content = may_list_content(export.owner)
        content = xlsx_export(
            _rows(export),
            cells=case_cells(with_content),
            sheet_title=_sheet_title(),
            headers=headers_for(with_content),
            object_type="cases.Case",
            user=export.owner,
            filters=f"background export {export.pk}; {export.filters}",
        )
        export.file.save(f"{export.pk}.xlsx", ContentFile(content), save=False)
        export.written = export.total
        export.status = CaseExport.Status.DONE
        export.save(update_fields=["file", "written", "status", "updated_at"])
    except Exception:
        logger.exception("Case export %s failed", export_id)
        CaseExport.objects.filter(pk=export.pk).update(
            status=CaseExport.Status.FAILED, error="unexpected error"
        )
    return CaseExport.objects.get(pk=export.pk).status


def _sheet_title() -> str:
    from django.utils.translation import gettext

    return gettext("Cases")


def case_export_download(*, actor, export: CaseExport, request=None) -> bytes:
    """The file's content for its owner, once: logged, then the file is deleted."""
    if export.owner_id != actor.pk or export.status != CaseExport.Status.DONE:
        raise CaseExport.DoesNotExist
    with export.file.open("rb") as handle:
        content = handle.read()
    log_access(
        user=actor,
        action=AccessLog.Action.EXPORT,
        object_type="cases.Case",
        detail=f"download of background export {export.pk}: {export.total} rows",
        request=request,
    )
    _drop_file(export, CaseExport.Status.DOWNLOADED)
    return content


def _drop_file(export: CaseExport, status: str) -> None:
    if export.file:
        export.file.delete(save=False)
    export.file = ""
    export.status = status
    export.case_ids = []
    export.save(update_fields=["file", "status", "case_ids", "updated_at"])


def case_exports_purge(now: datetime.datetime | None = None) -> int:
    """Delete the files nobody fetched within the retention time; returns how many."""
    now = now or timezone.now()
    cutoff = now - datetime.timedelta(hours=int(settings.SHEGONG_EXPORT_RETENTION_HOURS))
    stale = CaseExport.objects.filter(
        created_at__lt=cutoff,
        status__in=[CaseExport.Status.DONE, CaseExport.Status.FAILED, CaseExport.Status.QUEUED],
    )
    count = 0
    for export in stale:
        _drop_file(export, CaseExport.Status.EXPIRED)
        count += 1
    return count
