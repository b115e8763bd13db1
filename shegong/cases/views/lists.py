"""Case lists: the register with its filters and export, and the worker's own My work."""

import datetime
from collections import Counter

from django.contrib.auth.decorators import login_required
from django.db.models import F
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from shegong.cases import export_jobs, selectors
from shegong.cases.choices import CaseStatus, RiskLevel, risk_rank
from shegong.cases.exports import case_list_xlsx, my_cases_xlsx
from shegong.cases.filters import CaseFilter
from shegong.cases.views._common import _require_agency_role, _require_view_cases
from shegong.core.exports import xlsx_response
from shegong.core.lists import Column, headers, page_of
from shegong.core.rows import render_rows
from shegong.core.scope import user_assignments
from shegong.people.models import AGENCY_ROLES

# Sort keys are the CaseFilter's (``?sort=``), so the page and the API sort alike.
NUMBER = Column(_("Case number"), sort="number")
STATUS = Column(_("Status"), sort="status")
RISK = Column(_("Risk level"), sort="risk_level")
INTAKE = Column(_("Intake date"), sort="intake_date")
LAST_CONTACT = Column(_("Last contact"), sort="last_contact_date")
PERSON_TIMES = Column(_("Person-times"), sort="person_times", css="text-end")
CLIENT = Column(_("Client"))
COMMUNITY = Column(_("Community"), sort="community")


def case_columns(show_content: bool, *, sort_contact: bool = True) -> list[Column]:
    """Place roles get the existence columns only (DESIGN §4.2): no client, no worker.
    ``sort_contact``: whether the last contact sorts (not where some rows hide it)."""
    if not show_content:
        return [NUMBER, STATUS, RISK, COMMUNITY, INTAKE, PERSON_TIMES]
    worker = Column(_("Social worker"))
    contact = LAST_CONTACT if sort_contact else Column(_("Last contact"))
    return [NUMBER, CLIENT, STATUS, RISK, COMMUNITY, worker, INTAKE, contact, PERSON_TIMES]


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


# What a row of each list shows: fetched as dicts (``page_of(values=...)``), not model instances.
CASE_ROW = ("number", "status", "risk_level", "intake_date", "person_times", "community__name")
CONTENT_ROW = (
    "has_content",
    "client__name",
    "last_contact_date",
    "worker__display_name",
    "worker__first_name",
    "worker__last_name",
    "worker__username",
)
MY_ROW = (
    "number",
    "status",
    "risk_level",
    "intake_date",
    "last_contact_date",
    "person_times",
    "client__name",
)


def _labelled(page, *, worker: bool = False):
    """Add the rows' link, status and risk labels (and the worker's name, as ``User.__str__``
    gives it), reversed and translated once per page rather than once per cell: in a Django
    template a ``{% url %}`` or a translated string in every row costs more than the row."""
    statuses = {value: str(label) for value, label in CaseStatus.choices}
    risks = {value: str(label) for value, label in RiskLevel.choices}
    detail = reverse("cases:detail", args=[0])[: -len("0/")]  # "/cases/"
    for row in page:
        row["url"] = f"{detail}{row['pk']}/"
        row["status_label"] = statuses.get(row["status"], row["status"])
        row["risk_label"] = risks.get(row["risk_level"], row["risk_level"])
        if worker:
            full = f"{row['worker__first_name'] or ''} {row['worker__last_name'] or ''}".strip()
            row["worker_name"] = row["worker__display_name"] or full or row["worker__username"]
    return page


def _works_at_agency(user) -> bool:
    """Whether the user holds an agency role, so may open cases (from the assignments the request
    has loaded already, without loading the agency)."""
    return any(a.agency_id and a.role in AGENCY_ROLES for a in user_assignments(user))


def _my_flags(page, overdue: list[dict], cutoff: datetime.date):
    """Each row's overdue task count (from the worker's overdue tasks) with its badge ("逾期 2
    项"), and whether it has had no contact since ``cutoff`` (as
    ``selectors.without_contact_since``), computed from the row rather than in SQL."""
    counts = Counter(task["plan__case_id"] for task in overdue)
    for row in page:
        count = row["overdue_tasks"] = counts.get(row["pk"], 0)
        if count:
            row["overdue_label"] = ngettext("%(n)s overdue", "%(n)s overdue", count) % {"n": count}
        last = row["last_contact_date"]
        row["no_contact"] = last < cutoff if last is not None else row["intake_date"] < cutoff
    return page


# --- lists --------------------------------------------------------------------------------------


def _list_filter(request, queryset) -> CaseFilter:
    return CaseFilter(request.GET or None, queryset=queryset, user=request.user)


def _filter_on(request, filterset: CaseFilter) -> bool:
    """Whether a filter narrows the list: an empty list then says to clear them, and My work
    keeps its filters open on a phone."""
    return any(request.GET.get(name) for name in filterset.form.fields if name != "sort")


def _filtered(filterset: CaseFilter):
    # Bad filter input shows its errors and no rows, never an unfiltered list.
    if filterset.is_bound and not filterset.is_valid():
        return filterset.queryset.none()
    return filterset.qs


@login_required
def case_list(request):
    _require_view_cases(request.user)
    filterset = _list_filter(request, selectors.cases_for(request.user))
    show_content = selectors.may_list_content(request.user)
    rows = _filtered(filterset)
    values = CASE_ROW
    if show_content:
        # The rows come from cases_for: the user may view every one of them.
        rows = selectors.with_content_flag(rows, request.user, viewable=True)
        values += CONTENT_ROW
    page = _labelled(page_of(request, rows, values=values), worker=show_content)
    context = {
        "filter": filterset,
        "page_obj": page,
        "rows_html": render_rows(
            "cases/case_rows.html", {"rows": page.object_list, "show_content": show_content}
        ),
        "headers": headers(
            request,
            case_columns(
                show_content, sort_contact=selectors.reads_inside_every_viewable(request.user)
            ),
        ),
        "show_content": show_content,
        "query": request.GET.urlencode(),
        "may_open": _works_at_agency(request.user),
        "filtered": _filter_on(request, filterset),
    }
    template = "cases/_case_table.html" if request.htmx else "cases/case_list.html"
    return render(request, template, context)


@login_required
def case_export(request):
    _require_view_cases(request.user)
    filterset = _list_filter(request, selectors.cases_for(request.user))
    rows = _filtered(filterset)
    if rows.count() > export_jobs.inline_max_rows():
        # Too long to write during the request: the task worker writes it; the user watches
        # its progress and downloads it from the export's page.
        export = export_jobs.case_export_start(
            actor=request.user, cases=rows, filters=filterset.describe()
        )
        return redirect("cases:export_job", pk=export.pk)
    content = case_list_xlsx(rows, user=request.user, request=request, filters=filterset.describe())
    return xlsx_response(content, "cases")


def _no_contact_days(request) -> int:
    try:
        days = int(request.GET.get("days", ""))
    except ValueError:
        return selectors.no_contact_days_default()
    return max(1, min(days, 3650))


OVERDUE_SHOWN = 10


def _overdue_tasks(user, today) -> list[dict]:
    """Every overdue task on the worker's open cases, the longest overdue first. One query
    answers the card above the list (the first ``OVERDUE_SHOWN`` and their total), each row's
    count and the "with overdue tasks" view, where a count per case compiled into the rows'
    query and a windowed total cost more than the page's SQL (bench/cases.py). A worker's open
    cases are few, and so are their overdue tasks."""
    fields = ("plan__case_id", "plan__case__number", "description", "due_date")
    return list(selectors.overdue_tasks_of(user, today=today).values(*fields))


def _overdue_card(overdue: list[dict]) -> dict:
    """The longest-overdue tasks above the list; "with overdue tasks" lists all their cases."""
    shown = overdue[:OVERDUE_SHOWN]
    detail = reverse("cases:detail", args=[0])[: -len("0/")]  # as _labelled: reversed once
    for task in shown:
        task["url"] = f"{detail}{task['plan__case_id']}/"
    return {"overdue": shown, "overdue_total": len(overdue)}


def _my_rows(request, today, overdue: list[dict]):
    """My work's filterset and rows: the worker's open cases, narrowed by the view chosen
    (overdue tasks, no contact for ``days``) and the filters; the page and its export share it."""
    days = _no_contact_days(request)
    queryset = selectors.my_open_cases(request.user)
    show = request.GET.get("show", "")
    if show == "overdue":
        queryset = queryset.filter(pk__in={task["plan__case_id"] for task in overdue})
    elif show == "no_contact":
        queryset = queryset.filter(
            selectors.without_contact_since(selectors.no_contact_cutoff(today, days))
        )
    # The list is the worker's own open cases: the worker and open filters would offer nothing.
    filterset = CaseFilter(
        request.GET or None,
        queryset=queryset,
        user=request.user,
        without=("worker", "open"),
        readable=True,
    )
    rows = _filtered(filterset)
    if not request.GET.get("sort"):  # the most urgent first (as _most_urgent_first)
        # Never contacted first, as the longest without contact, on PostgreSQL as on SQLite.
        never_first = F("last_contact_date").asc(nulls_first=True)
        rows = rows.order_by(risk_rank().desc(), never_first, "id")
    return filterset, rows, days, show


RISK_RANK = {level: rank for rank, level in enumerate(RiskLevel.values, 1)}


def _most_urgent_first(row: dict):
    """The order of ``risk_rank().desc(), last contact (none first), "id"`` for My work's
    rows, which are all fetched and sorted in Python."""
    contact = row["last_contact_date"]
    return (
        -RISK_RANK.get(row["risk_level"], 0),
        contact is not None,
        contact or datetime.date.min,
        row["pk"],
    )


@login_required
def my_work(request):
    _require_agency_role(request.user)
    today = timezone.localdate()
    overdue = _overdue_tasks(request.user, today)
    filterset, rows, days, show = _my_rows(request, today, overdue)
    # Without a sort asked for, the rows are sorted in Python (page_of's ``key``).
    key = None if request.GET.get("sort") else _most_urgent_first
    page = _labelled(page_of(request, rows, values=MY_ROW, bounded=True, key=key))
    page = _my_flags(page, overdue, selectors.no_contact_cutoff(today, days))
    context = {
        "filter": filterset,
        "page_obj": page,
        "headers": headers(request, MY_COLUMNS),
        "rows_html": render_rows(
            "cases/my_rows.html",
            {
                "rows": page.object_list,
                # The phone cards' cell labels.
                "labels": [str(column.label) for column in MY_COLUMNS],
                "yes": str(_("Yes")),
                "no": str(_("No")),
            },
        ),
        "days": days,
        "show": show,
        **_overdue_card(overdue),
        "extra_hidden": [("days", days)] + ([("show", show)] if show else []),
        "query": request.GET.urlencode(),
        # A filter is on: the filters stay open on a phone and an empty list says to clear them.
        "filtered": _filter_on(request, filterset),
    }
    template = "cases/_my_table.html" if request.htmx else "cases/my_work.html"
    return render(request, template, context)


@login_required
def my_work_export(request):
    _require_agency_role(request.user)
    today = timezone.localdate()
    filterset, rows, days, show = _my_rows(request, today, _overdue_tasks(request.user, today))
    described = "&".join(
        part for part in (filterset.describe(), f"show={show}" if show else "") if part
    )
    content = my_cases_xlsx(rows, user=request.user, request=request, filters=described)
    return xlsx_response(content, "my-cases")
