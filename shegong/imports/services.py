"""Writes to import jobs: upload (checked at once for format and columns), confirm, cancel."""

from __future__ import annotations

import tempfile
from pathlib import Path

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from shegong.core.audit import set_actor
from shegong.imports import runner
from shegong.imports.choices import ImportKind, ImportStatus
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


def _check_people_target(actor, community, agency) -> None:
    from shegong.people.importers import may_import_people
    from shegong.people.selectors import person_community_choices, user_agency

    if not may_import_people(actor):
        raise PermissionDenied
    if (
        community is not None
        and not person_community_choices(actor).filter(pk=community.pk).exists()
    ):
        raise ValidationError({"community": [_("Choose a community inside your own scope.")]})
    if agency is not None and not actor.is_superuser and agency != user_agency(actor):
        raise ValidationError({"community": [_("Choose a community inside your own scope.")]})


def _check_cases_target(actor, agency) -> None:
    """A legacy case register goes into the agency its director or a supervisor leads."""
    from shegong.cases.importers import may_import_cases
    from shegong.cases.selectors import lead_agency_ids

    if not may_import_cases(actor) or agency is None or agency.pk not in lead_agency_ids(actor):
        raise PermissionDenied


@transaction.atomic
def import_job_create(
    *, actor, upload, kind: str = ImportKind.PEOPLE, community=None, agency=None, language=""
) -> ImportJob:
    """Store an upload as a new job and queue the check of its rows.

    A file that is not a spreadsheet, is too large or lacks required columns is refused here,
    with nothing stored.
    """
    if kind == ImportKind.PEOPLE:
        _check_people_target(actor, community, agency)
    elif kind == ImportKind.CASES:
        _check_cases_target(actor, agency)
    else:
        raise ValidationError({"kind": [_("Unknown import kind.")]})
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
        job.file.save(upload.name, upload, save=False)
        try:
            job.full_clean(exclude=["file", "error_report"])
            job.save()
        except Exception:
            job.file.delete(save=False)
            raise
    # Queued in the same transaction as the job: the worker sees both or neither.
    from shegong.imports.tasks import validate_import

    validate_import.enqueue(job.pk)
    return job


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
        job.save()
    from shegong.imports.tasks import run_import

    run_import.enqueue(job.pk)
    return job


@transaction.atomic
def import_job_cancel(*, actor, job: ImportJob) -> ImportJob:
    job = ImportJob.objects.select_for_update().get(pk=job.pk)
    if job.created_by_id != actor.pk:
        raise PermissionDenied
    if job.status != ImportStatus.VALIDATED:
        raise ValidationError(_("This import is not waiting for your choice."))
    with set_actor(actor):
        runner.discard_upload(job)
        runner.set_status(job, ImportStatus.CANCELLED)
    return job
