from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from shegong.core.access import log_access
from shegong.core.exports import XLSX, xlsx_response
from shegong.core.forms import apply_service_errors
from shegong.core.models import AccessLog
from shegong.imports.choices import ImportStatus
from shegong.imports.forms import CasesImportForm, PeopleImportForm
from shegong.imports.models import ImportJob
from shegong.imports.runner import column_labels, live_processed_rows
from shegong.imports.selectors import job_errors, jobs_for
from shegong.imports.services import import_job_cancel, import_job_confirm, import_job_create
from shegong.imports.templates_xlsx import cases_template_xlsx, people_template_xlsx

ERRORS_SHOWN = 200


def _require_people_importer(user):
    from shegong.people.importers import may_import_people

    if not may_import_people(user):
        raise PermissionDenied


def _require_case_importer(user):
    from shegong.cases.importers import may_import_cases

    if not may_import_cases(user):
        raise PermissionDenied


def _job_context(job: ImportJob) -> dict:
    labels = column_labels(job.kind)
    processed = live_processed_rows(job)
    # The check goes through every row of the file; the import through the valid ones.
    total = job.valid_rows if job.status == ImportStatus.IMPORTING else job.total_rows
    total = max(total, processed, 1)
    errors = job_errors(job, ERRORS_SHOWN) if job.awaiting_choice or job.error_rows else []
    for error in errors:
        error.column_label = labels.get(error.column, error.column)
    return {
        "job": job,
        "processed": processed,
        "total": total,
        "percent": 100
        if job.is_finished or job.awaiting_choice
        else min(99, processed * 100 // total),
        "errors": errors,
        "more_errors": max(0, job.row_errors.count() - len(errors)) if errors else 0,
        "with_sheet": any(error.sheet for error in errors),
    }


@login_required
def job_list(request):
    _require_people_importer(request.user)  # the only kind of import there is, so far
    from shegong.cases.importers import may_import_cases

    return render(
        request,
        "imports/job_list.html",
        {"jobs": jobs_for(request.user)[:100], "may_import_cases": may_import_cases(request.user)},
    )


@login_required
def people_new(request):
    _require_people_importer(request.user)
    form = PeopleImportForm(request.POST or None, request.FILES or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        from shegong.people.selectors import user_agency

        try:
            job = import_job_create(
                actor=request.user,
                upload=form.cleaned_data["file"],
                community=form.cleaned_data["community"],
                agency=user_agency(request.user),
                language=request.LANGUAGE_CODE,
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            return redirect("imports:detail", pk=job.pk)
    return render(request, "imports/people_new.html", {"form": form})


@login_required
def cases_new(request):
    """Upload a legacy case register; its cases go into the agency the uploader leads."""
    _require_case_importer(request.user)
    form = CasesImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        from shegong.agencies.models import Agency
        from shegong.cases.selectors import lead_agency_ids
        from shegong.imports.choices import ImportKind

        agency = Agency.objects.filter(pk__in=lead_agency_ids(request.user)).order_by("pk").first()
        try:
            job = import_job_create(
                actor=request.user,
                upload=form.cleaned_data["file"],
                kind=ImportKind.CASES,
                agency=agency,
                language=request.LANGUAGE_CODE,
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            return redirect("imports:detail", pk=job.pk)
    return render(request, "imports/cases_new.html", {"form": form})


@login_required
def cases_template(request):
    _require_case_importer(request.user)
    return xlsx_response(cases_template_xlsx(), "case-register-template", stamped=False)


@login_required
def people_template(request):
    _require_people_importer(request.user)
    return xlsx_response(people_template_xlsx(), "people-import-template", stamped=False)


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
