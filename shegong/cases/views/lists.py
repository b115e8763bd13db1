"""Case lists: the register with its filters and export, and the worker's own My work."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from shegong.cases import selectors
from shegong.cases.choices import risk_rank
from shegong.cases.exports import case_list_xlsx, my_cases_xlsx
from shegong.cases.filters import CaseFilter
from shegong.cases.views._common import _require_agency_role, _require_view_cases
from shegong.core.exports import xlsx_response
from shegong.core.lists import Column, headers, page_of
from shegong.people.selectors import user_agency

# Sort keys are the CaseFilter's (``?sort=``), so the page and the API sort alike.
NUMBER = Column(_("Case number"), sort="number")
STATUS = Column(_("Status"), sort="status")
RISK = Column(_("Risk level"), sort="risk_level")
INTAKE = Column(_("Intake date"), sort="intake_date")
LAST_CONTACT = Column(_("Last contact"), sort="last_contact_date")
PERSON_TIMES = Column(_("Person-times"), sort="person_times", css="text-end")
CLIENT = Column(_("Client"))
COMMUNITY = Column(_("Community"), sort="community")


def case_columns(show_content: bool) -> list[Column]:
    """Place roles get the existence columns only (DESIGN §4.2): no client, no worker."""
    if not show_content:
        return [NUMBER, STATUS, RISK, COMMUNITY, INTAKE, PERSON_TIMES]
    worker = Column(_("Social worker"))
    return [NUMBER, CLIENT, STATUS, RISK, COMMUNITY, worker, INTAKE, LAST_CONTACT, PERSON_TIMES]


MY_COLUMNS = [
    NUMBER,
    CLIENT,
    STATUS,
    RISK,
    Column(_("Overdue tasks"), css="text-end"),
    LAST_CONTACT,
    Column(_("No recent contact")),
    INTAKE,
    PERSON_TIMES,
]


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
    context = {
        "filter": filterset,
        "page_obj": page_of(request, rows),
        "headers": headers(request, case_columns(show_content)),
        "show_content": show_content,
        "query": request.GET.urlencode(),
        "may_open": user_agency(request.user) is not None,
    }
    template = "cases/_case_table.html" if request.htmx else "cases/case_list.html"
    return render(request, template, context)


@login_required
def case_export(request):
    _require_view_cases(request.user)
    filterset = _list_filter(request, selectors.cases_for(request.user))
    content = case_list_xlsx(
        _filtered(filterset), user=request.user, request=request, filters=filterset.describe()
    )
    return xlsx_response(content, "cases")


def _no_contact_days(request) -> int:
    try:
        days = int(request.GET.get("days", ""))
    except ValueError:
        return selectors.no_contact_days_default()
    return max(1, min(days, 3650))


OVERDUE_SHOWN = 10


def _overdue_tasks(user, today) -> dict:
    """The longest-overdue tasks above the list; "with overdue tasks" lists all their cases."""
    tasks = selectors.overdue_tasks_of(user, today=today)
    shown = list(tasks[:OVERDUE_SHOWN])
    total = len(shown) if len(shown) < OVERDUE_SHOWN else tasks.count()
    return {"overdue": shown, "overdue_total": total}


def _my_rows(request, today):
    """My work's filterset and rows: the worker's open cases, narrowed by the view chosen
    (overdue tasks, no contact for ``days``) and the filters; the page and its export share it."""
    days = _no_contact_days(request)
    queryset = selectors.my_cases(request.user, today=today, no_contact_days=days)
    show = request.GET.get("show", "")
    if show == "overdue":
        queryset = queryset.filter(overdue_tasks__gt=0)
    elif show == "no_contact":
        queryset = queryset.filter(no_contact=True)
    filterset = _list_filter(request, queryset)
    # The list is the worker's own: the worker filter would only offer themselves.
    filterset.form.fields.pop("worker", None)
    rows = _filtered(filterset)
    if not request.GET.get("sort"):  # the most urgent first
        rows = rows.order_by(risk_rank().desc(), "last_contact_date", "id")
    return filterset, rows, days, show


@login_required
def my_work(request):
    _require_agency_role(request.user)
    today = timezone.localdate()
    filterset, rows, days, show = _my_rows(request, today)
    context = {
        "filter": filterset,
        "page_obj": page_of(request, rows),
        "headers": headers(request, MY_COLUMNS),
        "days": days,
        "show": show,
        **_overdue_tasks(request.user, today),
        "extra_hidden": [("days", days)] + ([("show", show)] if show else []),
        "query": request.GET.urlencode(),
    }
    template = "cases/_my_table.html" if request.htmx else "cases/my_work.html"
    return render(request, template, context)


@login_required
def my_work_export(request):
    _require_agency_role(request.user)
    filterset, rows, days, show = _my_rows(request, timezone.localdate())
    described = "&".join(
        part for part in (filterset.describe(), f"show={show}" if show else "") if part
    )
    content = my_cases_xlsx(rows, user=request.user, request=request, filters=described)
    return xlsx_response(content, "my-cases")
