"""What the import tasks do: check every row, then import the valid ones in one transaction.

Kept apart from ``tasks.py`` so the benchmark and tests run exactly this code without a queue.

The check does all the per-row work (validation, duplicates, encryption, hashing) and keeps
the valid rows, ready for the database and without any plaintext ID number or mobile, in a
staging file; the import only inserts them. So the all-or-nothing transaction is short.

Progress: while rows are checked, the job row is updated every half second. The import itself
runs in ONE transaction (all or nothing), whose writes nobody else can see before the commit, so
its progress goes to a small side file next to the upload that the job page reads instead.
"""

from __future__ import annotations

import datetime
import logging
import marshal
import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from shegong.core.audit import set_actor
from shegong.imports import parallel, registry
from shegong.imports.choices import FINISHED, WORKING, ImportStatus
from shegong.imports.columns import RowsChanged
from shegong.imports.models import ImportJob, ImportRowError
from shegong.imports.readers import SpreadsheetError
from shegong.imports.reports import ErrorReport
from shegong.notifications.services import notify

logger = logging.getLogger(__name__)

PROGRESS_EVERY = 0.5  # seconds between progress writes
ERROR_BATCH = 2000


class Superseded(Exception):
    """The job was retried or cancelled since this task started: it stops without writing."""


def importer_for(job: ImportJob):
    return registry.get(job.kind).importer(job)


def check_structure(kind: str, path, file_format: str) -> int:
    """Whether an upload can be imported at all (format, sheets, required columns), before it is
    stored, reading no more than its header. Returns the estimated number of rows; raises
    ValidationError or SpreadsheetError."""
    spec = registry.get(kind)
    if file_format not in spec.formats:
        raise SpreadsheetError(
            _("Upload a file of this format: %(formats)s.")
            % {"formats": "、".join(f".{name}" for name in spec.formats)}
        )
    return spec.check_structure(path, file_format)


def column_labels(kind: str) -> dict:
    try:
        return registry.get(kind).column_labels
    except LookupError:
        return {}


# --- progress and heartbeat -------------------------------------------------------------------
def progress_file(job: ImportJob) -> Path:
    return Path(settings.MEDIA_ROOT) / "imports" / "progress" / f"{job.pk}.txt"


def staging_file(job: ImportJob) -> Path:
    return Path(settings.MEDIA_ROOT) / "imports" / "staging" / f"{job.pk}.bin"


def live_processed_rows(job: ImportJob) -> int:
    """Rows processed so far, including an import transaction that has not committed yet."""
    if job.status == ImportStatus.IMPORTING:
        try:
            return int(progress_file(job).read_text() or 0)
        except (OSError, ValueError):
            return job.processed_rows
    return job.processed_rows


def last_heartbeat(job: ImportJob) -> datetime.datetime | None:
    """When the task working on the job last showed progress. While rows are imported the job
    row cannot change outside the import's transaction, so the side file's time counts too."""
    beats = [job.heartbeat_at or job.updated_at]
    if job.status == ImportStatus.IMPORTING:
        try:
            mtime = progress_file(job).stat().st_mtime
        except OSError:
            pass
        else:
            beats.append(datetime.datetime.fromtimestamp(mtime, tz=datetime.UTC))
    beats = [beat for beat in beats if beat is not None]
    return max(beats) if beats else None


def is_interrupted(job: ImportJob) -> bool:
    """A job checking or importing rows whose task stopped showing progress: its worker was
    killed or restarted. (A job still waiting for a worker is not: it has not started.)"""
    if job.status not in (ImportStatus.VALIDATING, ImportStatus.IMPORTING):
        return False
    beat = last_heartbeat(job)
    limit = datetime.timedelta(seconds=settings.SHEGONG_IMPORT_STALE_SECONDS)
    return beat is None or timezone.now() - beat > limit


class Progress:
    """Counts rows for the job page, and is the task's heartbeat."""

    def __init__(self, job: ImportJob, *, side_file: bool):
        self.job = job
        self.attempt = job.attempt
        self.side_file = progress_file(job) if side_file else None
        self.last = 0.0
        if self.side_file:
            self.side_file.parent.mkdir(parents=True, exist_ok=True)

    def report(self, processed: int, *, force: bool = False) -> None:
        now = time.monotonic()
        if not force and now - self.last < PROGRESS_EVERY:
            return
        self.last = now
        if self.side_file:
            temporary = self.side_file.with_suffix(".tmp")
            temporary.write_text(str(processed))
            os.replace(temporary, self.side_file)
            return
        updated = ImportJob.objects.filter(pk=self.job.pk, attempt=self.attempt).update(
            processed_rows=processed, heartbeat_at=timezone.now()
        )
        if not updated:
            raise Superseded

    def clear(self) -> None:
        if self.side_file:
            self.side_file.unlink(missing_ok=True)


# --- steps -----------------------------------------------------------------------------------
def set_status(job: ImportJob, status: str, **fields) -> None:
    """Save the job in its new status, unless it was retried or cancelled meanwhile (then
    raise Superseded: the newer attempt owns it)."""
    with transaction.atomic():
        current = (
            ImportJob.objects.select_for_update().filter(pk=job.pk).values_list("attempt").first()
        )
        if current is not None and current[0] != job.attempt:
            raise Superseded
        job.status = status
        for name, value in fields.items():
            setattr(job, name, value)
        job.heartbeat_at = timezone.now()
        if status in (ImportStatus.DONE, ImportStatus.FAILED, ImportStatus.CANCELLED):
            job.finished_at = timezone.now()
        job.save()


def discard_upload(job: ImportJob) -> None:
    """The upload holds personal data in plain text: delete it once the job needs it no more
    (and the staged rows and progress with it)."""
    if job.file:
        job.file.delete(save=False)
        ImportJob.objects.filter(pk=job.pk).update(file="")
    staging_file(job).unlink(missing_ok=True)
    progress_file(job).unlink(missing_ok=True)


def fail(job: ImportJob, message: str) -> None:
    discard_upload(job)
    set_status(job, ImportStatus.FAILED, message=message[:300])


def validate_job(job: ImportJob) -> ImportJob:
    """Check every row; record errors and the report. A clean file goes straight on to import."""
    with translation.override(job.language), set_actor(job.created_by):
        if job.status not in (ImportStatus.UPLOADED, ImportStatus.VALIDATING):
            return job
        set_status(job, ImportStatus.VALIDATING, processed_rows=0)
        job.row_errors.all().delete()
        if not job.file:
            fail(job, _("The file is gone."))
            return job
        importer = importer_for(job)
        parallel.start_server()
        try:
            chunks = importer.check_file(job.file.path, job.file_format)
            outcome = _check_all(job, importer, chunks)
        except (SpreadsheetError, OSError, ValidationError) as exc:
            fail(job, _file_problem(exc))
            return job
        processed, valid, bad, report = outcome
        if report.lines:
            report.save_to(job.error_report)
        job.total_rows = processed
        job.processed_rows = processed
        job.valid_rows = valid
        job.error_rows = bad
        if processed == 0:
            fail(job, _("The file has no rows to import."))
            return job
        set_status(job, ImportStatus.VALIDATED)
    if bad == 0:
        # A clean file is imported without asking: the upload page says so.
        return import_job(job)
    return job


def _file_problem(exc: Exception) -> str:
    if isinstance(exc, SpreadsheetError):
        return str(exc)
    if isinstance(exc, ValidationError):
        return " ".join(exc.messages)
    return _("The file is gone.")


def _check_all(job: ImportJob, importer, chunks) -> tuple[int, int, int, ErrorReport]:
    """``chunks`` yields lists of checked rows: (row number, staged row or None, errors or
    None, report cells), plus the sheet's name when the file has several sheets."""
    progress = Progress(job, side_file=False)
    with_sheet = getattr(importer, "several_sheets", False)
    report = ErrorReport(importer.column_labels, importer.report_headers, with_sheet=with_sheet)
    pending: list[ImportRowError] = []
    processed = valid = bad = 0
    staging = staging_file(job)
    staging.parent.mkdir(parents=True, exist_ok=True)
    with staging.open("wb") as staged_out:
        for chunk in chunks:
            staged = []
            processed += len(chunk)
            for checked in chunk:
                if checked[2] is None:  # no errors: the common case, kept short
                    staged.append(checked[1])
                    continue
                row_number, _none, errors, report_cells, *sheet = checked
                sheet = sheet[0] if sheet else ""
                bad += 1
                for column, message in errors:
                    pending.append(
                        ImportRowError(
                            job=job,
                            sheet=sheet,
                            row_number=row_number,
                            column=column,
                            message=message[:300],
                        )
                    )
                    report.add(row_number, column, message, report_cells, sheet=sheet)
            valid += len(staged)
            if staged:
                # marshal: staged rows are flat lists of str/int/None; writing them as JSON
                # measured at a fifth of the whole check. The file is ours (never uploaded).
                data = marshal.dumps(staged)
                staged_out.write(len(data).to_bytes(8, "little"))
                staged_out.write(data)
            if len(pending) >= ERROR_BATCH:
                ImportRowError.objects.bulk_create(pending)
                pending = []
            progress.report(processed)
    ImportRowError.objects.bulk_create(pending)
    return processed, valid, bad, report


def import_job(job: ImportJob) -> ImportJob:
    """Insert the staged valid rows, all or nothing, and mark the job done in the same
    transaction: the job's change-history entry commits with its rows or not at all. Rows
    with errors were never staged."""
    with translation.override(job.language), set_actor(job.created_by):
        if job.status not in (ImportStatus.VALIDATED, ImportStatus.IMPORTING):
            return job
        set_status(job, ImportStatus.IMPORTING, processed_rows=0)
        importer = importer_for(job)
        progress = Progress(job, side_file=True)
        try:
            _insert_all(job, importer, progress)
        except OSError:
            fail(job, _("The checked rows are gone: upload the file again."))
            return job
        except RowsChanged as exc:
            fail(
                job,
                _(
                    "Row %(row)s no longer passes the check (someone may have registered the "
                    "same person meanwhile). Nothing was imported: upload the file again."
                )
                % {"row": exc.row_number},
            )
            return job
        finally:
            progress.clear()
    _notify(job)
    return job


def _insert_all(job: ImportJob, importer, progress: Progress) -> int:
    imported = 0
    with (
        staging_file(job).open("rb") as staged_in,
        _bigger_sqlite_cache(),
        transaction.atomic(),
    ):
        for staged in _staged_chunks(staged_in):
            imported += importer.insert(staged)
            progress.report(imported)
        # The one change-history entry for the whole import (the rows themselves are inserted
        # in bulk, without an entry each); Superseded here rolls the rows back too.
        set_status(
            job, ImportStatus.DONE, imported_rows=imported, processed_rows=imported, message=""
        )
    discard_upload(job)
    return imported


def _staged_chunks(staged_in) -> Iterator[list]:
    """The chunks _check_all wrote: each a length, then the marshalled rows (read whole:
    marshal.load on a file reads in small pieces, measured at a quarter of the import)."""
    while size := int.from_bytes(staged_in.read(8), "little"):
        yield marshal.loads(staged_in.read(size))  # noqa: S302 - written by _check_all


@contextmanager
def _bigger_sqlite_cache(kib: int = 32 * 1024):
    """SQLite's default 2 MB page cache makes a bulk insert into a table with several indexes
    re-read index pages over and over (measured: a quarter slower at 60k rows)."""
    if connection.vendor != "sqlite":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA cache_size")
        previous = cursor.fetchone()[0]
        cursor.execute(f"PRAGMA cache_size = {-int(kib)}")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"PRAGMA cache_size = {int(previous)}")


# --- retention ---------------------------------------------------------------------------------
def clean_up(*, now: datetime.datetime | None = None) -> dict[str, int]:
    """Delete the plain-text uploads nobody needs any more (``manage.py imports_cleanup``).

    - a finished job keeps no upload, staged rows or progress file (normally deleted when it
      ended; this catches a crash between the two);
    - a job older than SHEGONG_IMPORT_RETENTION_DAYS that is still waiting for its user's
      choice, or was interrupted, is failed and its upload deleted;
    - files under imports/ that no job refers to and older than the retention are deleted.
    """
    now = now or timezone.now()
    cutoff = now - datetime.timedelta(days=settings.SHEGONG_IMPORT_RETENTION_DAYS)
    counts = {"finished": 0, "expired": 0, "orphans": 0}
    for job in ImportJob.objects.filter(status__in=FINISHED).exclude(file=""):
        discard_upload(job)
        counts["finished"] += 1
    for job in ImportJob.objects.filter(status__in=WORKING | {ImportStatus.VALIDATED}).filter(
        created_at__lt=cutoff
    ):
        if job.status in WORKING and not is_interrupted(job):
            continue  # a worker is on it right now
        with translation.override(job.language):
            try:
                fail(
                    job,
                    _("The upload was deleted after %(days)s days: upload the file again.")
                    % {"days": settings.SHEGONG_IMPORT_RETENTION_DAYS},
                )
            except Superseded:
                continue
        counts["expired"] += 1
    referred = set(ImportJob.objects.exclude(file="").values_list("file", flat=True))
    referred |= set(
        ImportJob.objects.exclude(error_report="").values_list("error_report", flat=True)
    )
    working = {
        str(pk)
        for pk in ImportJob.objects.exclude(status__in=FINISHED).values_list("pk", flat=True)
    }
    root = Path(settings.MEDIA_ROOT) / "imports"
    for folder in ("uploads", "staging", "progress"):
        for path in (root / folder).glob("*") if (root / folder).is_dir() else ():
            name = f"imports/{folder}/{path.name}"
            if name in referred or path.stem in working and folder != "uploads":
                continue
            modified = datetime.datetime.fromtimestamp(path.stat().st_mtime, tz=datetime.UTC)
            if folder == "uploads" and modified >= cutoff:
                continue  # perhaps an upload being saved right now
            path.unlink(missing_ok=True)
            counts["orphans"] += 1
    return counts


def _notify(job: ImportJob) -> None:
    """Tell the uploader the import is done: they may have left the page long ago."""
    with translation.override(job.language):
        notify(
            job.created_by,
            _("Import finished: %(count)s rows imported from %(file)s.")
            % {"count": job.imported_rows, "file": job.original_filename},
            reverse("imports:detail", args=[job.pk]),
        )


def run_safely(step, job_id: int) -> str:
    """Run one step for a task; an unexpected error marks the job failed instead of leaving it
    "working" forever. The log names the job, never a row's content."""
    job = ImportJob.objects.select_related("created_by", "community", "agency").get(pk=job_id)
    try:
        return step(job).status
    except Superseded:
        # Retried or cancelled while this task ran: the newer attempt owns the job.
        return ImportJob.objects.values_list("status", flat=True).get(pk=job_id)
    except Exception:
        logger.exception("Import job %s failed", job_id)
        job.refresh_from_db()
        with translation.override(job.language):
            fail(job, _("The import failed unexpectedly; nothing was imported. Try again later."))
        return job.status
