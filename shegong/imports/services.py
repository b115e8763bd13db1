"""Writes to import jobs: upload (checked at once for format and columns), confirm, cancel."""

from __future__ import annotations

import contextlib
import tempfile
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext as _

from shegong.core.audit import set_actor
from shegong.imports import registry, runner
from shegong.imports.choices import ImportStatus
from shegong.imports.models import ImportJob
from shegong.imports.readers import SpreadsheetError, format_of


def _check_upload(upload, kind: str) -> tuple[str, int]:
    """Format, size and header of an upload, before anything is stored. Returns the format
    and the estimated row count; raises a ValidationError on the ``file`` field."""
    file_format = format_of(upload.name)
    if file_format is None:
        raise ValidationError({"file": [_("Upload an .xlsx or .csv file.")]})
    if upload.size > settings.SHEGONG_IMPORT_MAX_BYTES:
        raise ValidationError(
            {
                "file": [
                    _("The file is larger than %(limit)s: split it into smaller files.")
                    % {"limit": filesizeformat(settings.SHEGONG_IMPORT_MAX_BYTES)}
                ]
            }
        )
    with tempfile.TemporaryDirectory() as directory:
        path = Path(directory) / f"upload.{file_format}"
        with path.open("wb") as handle:
            for piece in upload.chunks():
                handle.write(piece)
        upload.seek(0)
        try:
            estimated = runner.check_structure(kind, path, file_format)
        except ValidationError as exc:
            raise ValidationError({"file": exc.messages}) from exc
        except SpreadsheetError as exc:
            raise ValidationError({"file": [str(exc)]}) from exc
    if not estimated:
        raise ValidationError({"file": [_("The file has no rows to import.")]})
    return file_format, estimated


def import_job_create(
    *, actor, upload, kind: str, community=None, agency=None, language=""
) -> ImportJob:
    """Store an upload as a new job and queue the check of its rows.

    A file that is not a spreadsheet, is too large or lacks required columns is refused here,
    with nothing stored. Only the header is read here; the rows are read by the task.

    Reading the header and storing the file take as long as the file makes them: both happen
    before the transaction, which only writes the job and its task (SQLite has one writer:
    a transaction held open here would make every other write in the app wait).
    """
    try:
        spec = registry.get(kind)
    except LookupError:
        raise ValidationError({"kind": [_("Unknown import kind.")]}) from None
    spec.check_target(actor, community, agency)
    file_format, estimated = _check_upload(upload, kind)
    with set_actor(actor):
        job = ImportJob(
            kind=kind,
            created_by=actor,
            original_filename=Path(upload.name).name[:255],
            file_format=file_format,
            language=language or settings.LANGUAGE_CODE,
            community=community,
            agency=agency,
            total_rows=estimated,
        )
        job.full_clean(exclude=["file", "error_report"])
        job.file.save(upload.name, upload, save=False)
        try:
            with transaction.atomic():
                job.save()
                # Queued in the same transaction as the job: the worker sees both or neither.
                _enqueue(job, "validate")
        except Exception:
            job.file.delete(save=False)
            raise
    return job


def _enqueue(job: ImportJob, step: str) -> None:
    """Queue a task for the job, in the caller's transaction, and remember its id."""
    from shegong.imports.tasks import run_import, validate_import

    task = validate_import if step == "validate" else run_import
    result = task.enqueue(job.pk)
    job.task_id = str(result.id)[:64]
    ImportJob.objects.filter(pk=job.pk).update(task_id=job.task_id)


@transaction.atomic
def import_job_confirm(*, actor, job: ImportJob) -> ImportJob:
    """The user chose to import only the valid rows of a file with errors."""
    job = ImportJob.objects.select_for_update().get(pk=job.pk)
    if job.created_by_id != actor.pk:
        raise PermissionDenied
    if job.status != ImportStatus.VALIDATED or not job.valid_rows:
        raise ValidationError(_("This import is not waiting for your choice."))
    with set_actor(actor):
        job.status = ImportStatus.IMPORTING
        job.processed_rows = 0
        job.heartbeat_at = timezone.now()
        job.save()
    _enqueue(job, "import")
    return job


@transaction.atomic
def import_job_retry(*, actor, job: ImportJob) -> ImportJob:
    """Start an interrupted job's step again (its worker was killed or restarted).

    Nothing of an interrupted import was committed (it runs in one transaction) and an
    interrupted check is done again from the start, so a retry neither loses nor doubles rows.
    """
    job = ImportJob.objects.select_for_update().get(pk=job.pk)
    if job.created_by_id != actor.pk:
        raise PermissionDenied
    if not runner.is_interrupted(job):
        raise ValidationError(_("This import is not interrupted."))
    step = "import" if job.status == ImportStatus.IMPORTING else "validate"
    gone = not job.file or (step == "import" and not runner.staging_file(job).exists())
    with set_actor(actor):
        _abandon_task(job)
        job.attempt += 1  # a task of the old attempt that still runs stops at its next beat
        if gone:
            runner.discard_upload(job)
            job.file = ""
            job.status = ImportStatus.FAILED
            job.message = _("The uploaded file is gone: upload it again.")
            job.finished_at = timezone.now()
            job.save()
            return job
        job.status = ImportStatus.IMPORTING if step == "import" else ImportStatus.UPLOADED
        job.processed_rows = 0
        job.heartbeat_at = timezone.now()
        job.save()
    _enqueue(job, step)
    return job


@transaction.atomic
def import_job_cancel(*, actor, job: ImportJob) -> ImportJob:
    """Cancel a job waiting for the user's choice, or an interrupted one; the upload is
    deleted at once."""
    job = ImportJob.objects.select_for_update().get(pk=job.pk)
    if job.created_by_id != actor.pk:
        raise PermissionDenied
    if job.status != ImportStatus.VALIDATED and not runner.is_interrupted(job):
        raise ValidationError(_("This import is not waiting for your choice."))
    with set_actor(actor):
        _abandon_task(job)
        job.attempt += 1
        runner.discard_upload(job)
        job.file = ""
        job.status = ImportStatus.CANCELLED
        job.finished_at = timezone.now()
        job.save()
    return job


def _abandon_task(job: ImportJob) -> None:
    """The queue still shows the dead worker's task as running: mark it failed."""
    if not job.task_id or not apps.is_installed("django_tasks_db"):
        return
    from django_tasks.base import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    with contextlib.suppress(ValidationError, ValueError):  # not a task id of this backend
        DBTaskResult.objects.filter(id=job.task_id, status=TaskResultStatus.RUNNING).update(
            status=TaskResultStatus.FAILED, finished_at=timezone.now()
        )
