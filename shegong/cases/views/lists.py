"""Case lists: the register with its filters and export, and the worker's own My work."""

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django_tables2 import RequestConfig

from shegong.cases import selectors
from shegong.cases.exports import cases_xlsx
from shegong.cases.filters import CaseFilter
from shegong.cases.tables import CaseTable, MyCaseTable
from shegong.cases.views._common import _require_agency_role, _require_view_cases
from shegong.people.selectors import user_agency

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PER_PAGE = 25


# --- lists --------------------------------------------------------------------------------------


def _list_filter(request, queryset) -> CaseFilter:
    return CaseFilter(request.GET or None, queryset=queryset, user=request.user)


def _filtered(filterset: CaseFilter):
    # Bad filter input shows its errors and no rows, never an unfiltered list.
    if filterset.is_bound and not filterset.is_valid():
        return filterset.queryset.none()
    return filterset.qs


@login_required
def case_list(request):
    _require_view_cases(request.user)
    filterset = _list_filter(request, selectors.cases_for(request.user))
    rows = selectors.with_content_flag(_filtered(filterset), request.user)
    show_content = selectors.may_list_content(request.user)
    table = CaseTable(rows, show_content=show_content)
    RequestConfig(request, paginate={"per_page": PER_PAGE}).configure(table)
    context = {
        "filter": filterset,
        "table": table,
        "query": request.GET.urlencode(),
        "may_open": user_agency(request.user) is not None,
    }
    template = "cases/_case_table.html" if request.htmx else "cases/case_list.html"
    return render(request, template, context)


@login_required
def case_export(request):
    _require_view_cases(request.user)
    filterset = _list_filter(request, selectors.cases_for(request.user))
    rows = selectors.with_content_flag(_filtered(filterset), request.user)
    content = cases_xlsx(
        rows.order_by("community__code", "intake_date", "id"),
        user=request.user,
        with_content=selectors.may_list_content(request.user),
        request=request,
        filters=filterset.describe(),
    )
    response = HttpResponse(content, content_type=XLSX)
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    response["Content-Disposition"] = f'attachment; filename="cases-{stamp}.xlsx"'
    return response


def _no_contact_days(request) -> int:
    try:
        days = int(request.GET.get("days", ""))
    except ValueError:
        return selectors.no_contact_days_default()
    return max(1, min(days, 3650))


@login_required
def my_work(request):
    _require_agency_role(request.user)
    days = _no_contact_days(request)
    today = timezone.localdate()
    queryset = selectors.my_cases(request.user, today=today, no_contact_days=days)
    show = request.GET.get("show", "")
    if show == "overdue":
        queryset = queryset.filter(overdue_tasks__gt=0)
    elif show == "no_contact":
        queryset = queryset.filter(no_contact=True)
    filterset = _list_filter(request, queryset)
    # The list is the worker's own: the worker filter would only offer themselves.
    filterset.form.fields.pop("worker", None)
    table = MyCaseTable(_filtered(filterset).order_by("-risk_level", "last_contact_date", "id"))
    RequestConfig(request, paginate={"per_page": PER_PAGE}).configure(table)
    context = {
        "filter": filterset,
        "table": table,
        "days": days,
        "show": show,
        "overdue": selectors.overdue_tasks_of(request.user, today=today)[:50],
        "extra_hidden": [("days", days)] + ([("show", show)] if show else []),
        "query": request.GET.urlencode(),
    }
    template = "cases/_my_table.html" if request.htmx else "cases/my_work.html"
    return render(request, template, context)
