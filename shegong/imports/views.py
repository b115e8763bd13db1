from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from shegong.core.access import log_access
from shegong.core.exports import XLSX, xlsx_response
from shegong.core.forms import apply_service_errors
from shegong.core.models import AccessLog
from shegong.imports import registry
from shegong.imports.choices import ImportStatus
from shegong.imports.models import ImportJob
from shegong.imports.runner import column_labels, is_interrupted, live_processed_rows
from shegong.imports.selectors import job_errors, jobs_for
from shegong.imports.services import (
    import_job_cancel,
    import_job_confirm,
    import_job_create,
    import_job_retry,
)

ERRORS_SHOWN = 200


def _kind_for(user, code: str):
    kind = registry.get(code)
    if not kind.may_import(user):
        raise PermissionDenied
    return kind


def _job_context(job: ImportJob) -> dict:
    labels = column_labels(job.kind)
    processed = live_processed_rows(job)
    interrupted = is_interrupted(job)
    # The check goes through every row of the file; the import through the valid ones.
    total = job.valid_rows if job.status == ImportStatus.IMPORTING else job.total_rows
    total = max(total, processed, 1)
    errors = job_errors(job, ERRORS_SHOWN) if job.awaiting_choice or job.error_rows else []
    for error in errors:
        error.column_label = labels.get(error.column, error.column)
    return {
        "job": job,
        "interrupted": interrupted,
        "polling": job.is_working and not interrupted,
        "done_message": _done_message(job),
        "done_url": _done_url(job),
        "processed": processed,
        "total": total,
        "percent": 100
        if job.is_finished or job.awaiting_choice
        else min(99, processed * 100 // total),
        "errors": errors,
        "more_errors": max(0, job.row_errors.count() - len(errors)) if errors else 0,
        "with_sheet": any(error.sheet for error in errors),
    }


def _done_message(job: ImportJob) -> str:
    try:
        kind = registry.get(job.kind)
    except LookupError:
        return ""
    return kind.done_message(job) if kind.done_message else ""


def _done_url(job: ImportJob) -> tuple[str, str] | None:
    try:
        kind = registry.get(job.kind)
    except LookupError:
        return None
    return (reverse(kind.done_url), kind.done_link) if kind.done_url else None


@login_required
def job_list(request):
    kinds = registry.kinds_for(request.user)
    if not kinds:
        raise PermissionDenied
    return render(
        request, "imports/job_list.html", {"jobs": jobs_for(request.user)[:100], "kinds": kinds}
    )


@login_required
def job_new(request, kind):
    """The upload page of one kind of import: its form, then a job that checks the rows."""
    spec = _kind_for(request.user, kind)
    form = spec.upload_form(request.POST or None, request.FILES or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            job = import_job_create(
                actor=request.user,
                upload=form.cleaned_data["file"],
                kind=spec.code,
                language=request.LANGUAGE_CODE,
                **spec.target(request.user, form.cleaned_data),
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            return redirect("imports:detail", pk=job.pk)
    return render(request, spec.upload_template, {"form": form, "kind": spec})


@login_required
def job_template(request, kind):
    spec = _kind_for(request.user, kind)
    return xlsx_response(spec.template_xlsx(), spec.template_name, stamped=False)


@login_required
def job_detail(request, pk):
    job = ImportJob.objects.get_for_user_or_404(request.user, pk=pk)
    return render(request, "imports/job_detail.html", _job_context(job))


@login_required
def job_progress(request, pk):
    """The part of the job page that polls while the job works (htmx, every second)."""
    job = ImportJob.objects.get_for_user_or_404(request.user, pk=pk)
    return render(request, "imports/_job_status.html", _job_context(job))


@login_required
@require_POST
def job_confirm(request, pk):
    job = ImportJob.objects.get_for_user_or_404(request.user, "change", pk=pk)
    try:
        import_job_confirm(actor=request.user, job=job)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect("imports:detail", pk=job.pk)


@login_required
@require_POST
def job_retry(request, pk):
    job = ImportJob.objects.get_for_user_or_404(request.user, "change", pk=pk)
    try:
        import_job_retry(actor=request.user, job=job)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect("imports:detail", pk=job.pk)


@login_required
@require_POST
def job_cancel(request, pk):
    job = ImportJob.objects.get_for_user_or_404(request.user, "change", pk=pk)
    try:
        import_job_cancel(actor=request.user, job=job)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.info(request, _("Import cancelled: nothing was imported."))
    return redirect("imports:detail", pk=job.pk)


@login_required
def job_report(request, pk):
    job = ImportJob.objects.get_for_user_or_404(request.user, pk=pk)
    if not job.error_report:
        raise Http404
    try:
        handle = job.error_report.open("rb")
    except OSError as exc:
        raise Http404 from exc
    log_access(
        user=request.user,
        action=AccessLog.Action.EXPORT,
        obj=job,
        detail=f"error report, {job.error_rows} rows",
        request=request,
    )
    return FileResponse(
        handle,
        as_attachment=True,
        filename=f"import-{job.pk}-errors.xlsx",
        content_type=XLSX,
    )
