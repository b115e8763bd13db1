"""Background case list exports: the page with the progress bar, then the owner's download."""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render

from shegong.cases import export_jobs
from shegong.cases.models import CaseExport
from shegong.core.exports import xlsx_response


def _own_export_or_404(request, pk) -> CaseExport:
    """Only the user who asked sees an export (its scope rule is owner-only); anyone else gets
    the answer for a missing one."""
    return CaseExport.objects.get_for_user_or_404(request.user, pk=pk)


@login_required
def export_job(request, pk):
    export = _own_export_or_404(request, pk)
    template = "cases/_export_status.html" if request.htmx else "cases/export_job.html"
    return render(request, template, {"export": export})


@login_required
def export_download(request, pk):
    export = _own_export_or_404(request, pk)
    try:
        content = export_jobs.case_export_download(
            actor=request.user, export=export, request=request
        )
    except CaseExport.DoesNotExist as exc:  # not ready, already fetched or expired
        raise Http404 from exc
    return xlsx_response(content, "cases")
