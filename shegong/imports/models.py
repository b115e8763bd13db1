"""Import jobs: one uploaded file, checked and then imported by background tasks.

The uploaded file holds personal data in plain text, so it lives under MEDIA_ROOT/imports/ (no
URL serves it) and is deleted as soon as the job is over. The error report keeps row numbers,
columns and reasons, never a full ID number.
"""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from shegong.core.models import BaseModel
from shegong.core.scope import ScopedManager, ScopeRule
from shegong.core.validators import single_line_text
from shegong.imports.choices import FINISHED, WORKING, ImportStatus


def upload_path(job, filename: str) -> str:
    # A random name: the original file name may itself be personal ("张三家庭成员.xlsx").
    suffix = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"imports/uploads/{uuid.uuid4().hex}.{suffix}"


def report_path(job, filename: str) -> str:
    return f"imports/reports/{uuid.uuid4().hex}.xlsx"


class ImportJob(BaseModel):
    # The code of an ImportKind some app registered (shegong.imports.registry).
    kind = models.CharField(_("kind"), max_length=16, validators=[single_line_text])
    status = models.CharField(
        _("status"), max_length=16, choices=ImportStatus.choices, default=ImportStatus.UPLOADED
    )
    file = models.FileField(_("file"), upload_to=upload_path, max_length=200, blank=True)
    original_filename = models.CharField(
        _("file name"), max_length=255, validators=[single_line_text]
    )
    file_format = models.CharField(_("format"), max_length=8, validators=[single_line_text])
    language = models.CharField(
        _("language"), max_length=16, default=settings.LANGUAGE_CODE, validators=[single_line_text]
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="import_jobs",
        verbose_name=_("uploaded by"),
    )
    # Where the imported rows go: the default home community for rows that name none, and the
    # agency that keeps the files when an agency worker imports.
    community = models.ForeignKey(
        "places.Community",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("default community"),
    )
    agency = models.ForeignKey(
        "agencies.Agency",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("agency"),
    )
    total_rows = models.PositiveIntegerField(_("rows"), default=0)
    processed_rows = models.PositiveIntegerField(_("rows processed"), default=0)
    valid_rows = models.PositiveIntegerField(_("valid rows"), default=0)
    error_rows = models.PositiveIntegerField(_("rows with errors"), default=0)
    imported_rows = models.PositiveIntegerField(_("rows imported"), default=0)
    error_report = models.FileField(
        _("error report"), upload_to=report_path, max_length=200, blank=True
    )
    message = models.CharField(
        _("message"), max_length=300, blank=True, validators=[single_line_text]
    )
    # The task working on the job writes this as it goes; a working job whose heartbeat is old
    # lost its worker (killed, restarted) and is shown as interrupted, to retry or cancel.
    heartbeat_at = models.DateTimeField(_("last sign of work"), null=True, blank=True)
    # Raised by every retry and cancel: a task still running an older attempt stops at its
    # next heartbeat instead of writing over the new one.
    attempt = models.PositiveIntegerField(_("attempt"), default=0)
    task_id = models.CharField(_("task"), max_length=64, blank=True, validators=[single_line_text])
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    objects = ScopedManager()
    # A job is its uploader's own business: nobody else sees its rows or errors.
    scope_rule = ScopeRule(roles={}, own="created_by", owner_only=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("import")
        verbose_name_plural = _("imports")

    def __str__(self):
        return f"{self.kind_label} #{self.pk}"

    @property
    def kind_label(self) -> str:
        from shegong.imports import registry

        try:
            return str(registry.get(self.kind).label)
        except LookupError:
            return self.kind

    @property
    def is_working(self) -> bool:
        return self.status in WORKING

    @property
    def is_finished(self) -> bool:
        return self.status in FINISHED

    @property
    def awaiting_choice(self) -> bool:
        return self.status == ImportStatus.VALIDATED


class ImportRowError(models.Model):
    """One problem in one cell (or row) of an uploaded file."""

    job = models.ForeignKey(
        ImportJob, on_delete=models.CASCADE, related_name="row_errors", verbose_name=_("import")
    )
    # The sheet of a workbook with several (the case register); empty for single-sheet files.
    sheet = models.CharField(_("sheet"), max_length=32, blank=True, validators=[single_line_text])
    row_number = models.PositiveIntegerField(_("row"))
    column = models.CharField(_("column"), max_length=32, blank=True, validators=[single_line_text])
    message = models.CharField(_("reason"), max_length=300, validators=[single_line_text])

    class Meta:
        ordering = ["row_number", "id"]
        verbose_name = _("import error")
        verbose_name_plural = _("import errors")

    def __str__(self):
        return f"{self.row_number}: {self.message}"
