"""Reads of purchased services, always through the scope, and the projects' KPI actuals.

KPI actuals are computed live from the service records of the other apps (DESIGN §4.4), by
plain aggregate queries over their models. The attribution rule: a record counts for a project
when it belongs to the project's **agency**, lies in one of the project's **communities** and
is **dated inside the project's period** (both ends included):

- cases: cases of the agency in those communities whose intake date is in the period;
- group sessions / community activity sessions: sessions that start in the period, of the
  group-work / community activities delivered under the project (an activity names the project
  it belongs to), and of the agency's activities in those communities that name no project (an
  activity under another project counts for that one only);
- person-times: the participants of each service note of such cases dated in the period (a
  case contact), plus each attendance at such a session;
- volunteer hours: approved hours served in the period at those same activities;
- satisfaction: the surveyed satisfaction the latest evaluation recorded (no service record
  holds it).

Two projects of one agency in the same community with overlapping periods would both count a
case, or an activity that names neither; the district does not buy the same service twice, so
that is left to procurement.
The figures come from one statement of six scalar subqueries (cases, notes, sessions of each
kind, attendance, hours) whose cost follows the indexed columns (agency, community, date), not
the number of records: the same queries for a project page however large the district.
"""

import datetime
from decimal import Decimal

from django.db import connection
from django.db.models import Count, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from shegong.core.money import Money, MoneySum
from shegong.core.scope import CHANGE, VIEW, user_roles
from shegong.purchasing.choices import GRADE_RANK, Grade, Stage
from shegong.purchasing.filters import BudgetFilter, ProjectFilter
from shegong.purchasing.models import (
    ZERO,
    Budget,
    Evaluation,
    Payment,
    Project,
    Rectification,
    Tranche,
)

KPI_KEYS = (
    "cases",
    "group_sessions",
    "community_sessions",
    "person_times",
    "volunteer_hours",
    "satisfaction",
)


def _money_sum(queryset, column: str):
    return Money(Coalesce(Subquery(queryset.values(column)[:1]), Value(ZERO)))


def _paid_subquery(**outer):
    rows = (
        Payment.objects.filter(**outer)
        .order_by()
        .values(*outer.keys())
        .annotate(total=MoneySum("amount"))
    )
    return _money_sum(rows, "total")


# Budgets -----------------------------------------------------------------------------------


def budgets_for(user, action: str = VIEW):
    """Budgets with committed, paid and remaining, each a subquery sum (no join fan-out)."""
    committed = (
        Project.objects.filter(budget=OuterRef("pk"))
        .order_by()
        .values("budget")
        .annotate(total=MoneySum("contract_amount"))
    )
    return (
        Budget.objects.for_user(user, action)
        .select_related("street")
        .annotate(
            committed=_money_sum(committed, "total"),
            paid=_paid_subquery(budget=OuterRef("pk")),
            project_count=Coalesce(
                Subquery(
                    Project.objects.filter(budget=OuterRef("pk"))
                    .order_by()
                    .values("budget")
                    .annotate(n=Count("pk"))
                    .values("n")[:1]
                ),
                0,
            ),
        )
    )


def budget_filter(user, params) -> BudgetFilter:
    return BudgetFilter(params, queryset=budgets_for(user))


def budget_for_user_or_404(user, pk, action: str = VIEW) -> Budget:
    return budgets_for(user, action).get_for_user_or_404(user, action, pk=pk)


def execution_by_year(budgets) -> list[dict]:
    """Budget execution per year: one row per year with its sources and their totals."""
    years: dict[int, dict] = {}
    for budget in budgets:
        row = years.setdefault(
            budget.year,
            {"year": budget.year, "amount": ZERO, "committed": ZERO, "paid": ZERO, "sources": []},
        )
        row["amount"] += budget.amount
        row["committed"] += budget.committed
        row["paid"] += budget.paid
        budget.remaining = budget.amount - budget.paid
        row["sources"].append(budget)
    for row in years.values():
        row["remaining"] = row["amount"] - row["paid"]
        row["rate"] = _rate(row["paid"], row["amount"])
    return sorted(years.values(), key=lambda row: -row["year"])


def _rate(part, whole) -> int:
    return int(round(part * 100 / whole)) if whole else 0


# Projects ----------------------------------------------------------------------------------


def _projects():
    grade = Evaluation.objects.filter(project=OuterRef("pk")).order_by("-stage").values("grade")[:1]
    return Project.objects.select_related("agency", "street", "budget__street").annotate(
        paid=_paid_subquery(project=OuterRef("pk")), latest_grade=Subquery(grade)
    )


def projects_for(user, action: str = VIEW):
    return _projects().for_user(user, action)


def project_filter(user, params) -> ProjectFilter:
    return ProjectFilter(params, queryset=projects_for(user), request_user=user)


def project_for_user_or_404(user, pk, action: str = VIEW) -> Project:
    return _projects().get_for_user_or_404(user, action, pk=pk)


def evaluator_choices() -> list[tuple[int, str]]:
    """The users holding the evaluator role, as (id, name) for the project page's select."""
    from shegong.accounts.models import RoleAssignment

    rows = (
        RoleAssignment.objects.filter(role="evaluator", is_active=True)
        .order_by("user__display_name", "user_id")
        .values_list("user_id", "user__display_name", "user__username")
        .distinct()
    )
    return [(pk, display or username) for pk, display, username in rows]


def project_page_or_404(user, pk) -> Project:
    """The project for its own page: the page sums the payments from the tranches it loads."""
    return Project.objects.select_related("agency", "street", "budget__street").get_for_user_or_404(
        user, VIEW, pk=pk
    )


def is_assigned_evaluator(user, project: Project) -> bool:
    return "evaluator" in user_roles(user) and project.evaluators.filter(pk=user.pk).exists()


def _day_bounds(start: datetime.date, end: datetime.date):
    tz = timezone.get_current_timezone()
    first = datetime.datetime.combine(start, datetime.time.min, tzinfo=tz)
    after = datetime.datetime.combine(
        end + datetime.timedelta(days=1), datetime.time.min, tzinfo=tz
    )
    return first, after


def kpi_actuals(project: Project, community_ids=None, evaluations=None) -> dict:
    """The project's actuals under the attribution rule in this module's docstring."""
    if community_ids is None:
        community_ids = list(project.communities.values_list("pk", flat=True))
    counted = _kpi_counts(project, community_ids) if community_ids else (0, 0, 0, 0, 0, None)
    cases, notes, group, community, attendance, hours = counted
    if evaluations is None:
        evaluations = list(Evaluation.objects.filter(project=project))
    # "midterm" < "final" backwards: the final's survey when there is one, else the mid-term's.
    surveyed = sorted((e for e in evaluations if e.satisfaction is not None), key=lambda e: e.stage)
    latest = surveyed[0].satisfaction if surveyed else None
    return {
        "cases": cases,
        "group_sessions": group,
        "community_sessions": community,
        "person_times": notes + attendance,
        "case_person_times": notes,
        "activity_person_times": attendance,
        "volunteer_hours": _hours(hours),
        "satisfaction": latest,
    }


def _kpi_counts(project: Project, community_ids: list[int]) -> tuple:
    """(cases, note person-times, group sessions, community sessions, attendances, approved
    hours) of the project, as one statement of six scalar subqueries.

    Written as SQL, not as four ORM aggregates: the ORM's compiling of those was most of the
    project page's own time (bench/projects.py), while the database answers each from an index
    (the cases' (agency, community, intake date), the notes' (case, date, participants)). Every
    value is a parameter; the table and column names come from the models."""
    from shegong.activities.choices import ActivityKind
    from shegong.activities.models import Activity, ActivitySession, Attendance
    from shegong.cases.models import Case, ServiceNote
    from shegong.volunteers.choices import HoursStatus
    from shegong.volunteers.models import ServiceHours

    ops = connection.ops
    start, end = (
        ops.adapt_datefield_value(project.starts_on),
        ops.adapt_datefield_value(project.ends_on),
    )
    first, after = (
        ops.adapt_datetimefield_value(moment)
        for moment in _day_bounds(project.starts_on, project.ends_on)
    )
    places = ", ".join(["%s"] * len(community_ids))
    table = {
        model: ops.quote_name(model._meta.db_table)
        for model in (Case, ServiceNote, Activity, ActivitySession, Attendance, ServiceHours)
    }
    # The activities delivered under the project, and those under no project of its agency in
    # its communities: each half from its own index (an OR of the two would scan them all).
    activities = (
        f"a.id IN (SELECT id FROM {table[Activity]} WHERE project_id = %s UNION ALL "  # noqa: S608
        f"SELECT id FROM {table[Activity]} WHERE project_id IS NULL AND agency_id = %s "
        f"AND community_id IN ({places}))"
    )
    in_period = "s.starts_at >= %s AND s.starts_at < %s"
    # Names from the models, values as parameters (S608).
    sessions = (
        f"SELECT COUNT(*) FROM {table[ActivitySession]} s JOIN {table[Activity]} a "  # noqa: S608
        f"ON a.id = s.activity_id WHERE {activities} AND a.kind = %s AND {in_period}"
    )
    sql = f"""
        SELECT
          (SELECT COUNT(*) FROM {table[Case]} c
            WHERE c.agency_id = %s AND c.community_id IN ({places})
              AND c.intake_date >= %s AND c.intake_date <= %s),
          (SELECT COALESCE(SUM(n.participants), 0) FROM {table[ServiceNote]} n
            JOIN {table[Case]} c ON c.id = n.case_id
            WHERE c.agency_id = %s AND c.community_id IN ({places})
              AND n.contact_date >= %s AND n.contact_date <= %s),
          ({sessions}),
          ({sessions}),
          (SELECT COUNT(*) FROM {table[Attendance]} t
            JOIN {table[ActivitySession]} s ON s.id = t.session_id
            JOIN {table[Activity]} a ON a.id = s.activity_id
            WHERE {activities} AND {in_period}),
          (SELECT SUM(h.hours) FROM {table[ServiceHours]} h
            JOIN {table[Activity]} a ON a.id = h.activity_id
            WHERE {activities} AND h.served_on >= %s AND h.served_on <= %s AND h.status = %s)
    """  # noqa: S608
    agency = [project.agency_id, *community_ids]
    activity = [project.pk, *agency]
    params = [
        *agency, start, end,
        *agency, start, end,
        *activity, ActivityKind.GROUP.value, first, after,
        *activity, ActivityKind.COMMUNITY.value, first, after,
        *activity, first, after,
        *activity, start, end, HoursStatus.APPROVED.value,
    ]  # fmt: skip
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchone()


def _hours(total) -> Decimal:
    """The summed hours at the column's one decimal: SQLite adds decimals as floats (a sum of
    2.5s can come back as 7.499999…), PostgreSQL exactly."""
    from shegong.volunteers.models import ServiceHours

    places = ServiceHours._meta.get_field("hours").decimal_places
    return Decimal(str(total or 0)).quantize(Decimal(1).scaleb(-places))


def kpi_rows(project: Project, actuals: dict) -> list[dict]:
    """Target against actual, with the share reached (for the table and the chart)."""
    from django.utils.translation import gettext as _

    labels = {
        "cases": _("Cases"),
        "group_sessions": _("Group sessions"),
        "community_sessions": _("Community activity sessions"),
        "person_times": _("Person-times"),
        "volunteer_hours": _("Volunteer hours"),
        "satisfaction": _("Satisfaction (%)"),
    }
    rows = []
    for key in KPI_KEYS:
        target = getattr(project, f"target_{key}")
        actual = actuals[key]
        share = _rate(actual, target) if (target and actual is not None) else None
        rows.append(
            {
                "key": key,
                "label": labels[key],
                "target": target,
                "actual": actual,
                "share": share,
                "bar": min(share or 0, 150),
                "met": share is not None and share >= 100,
            }
        )
    return rows


def tranches_of(project: Project, evaluations=None) -> list[Tranche]:
    """The tranches with their payment, amount and whether their gate holds, in two queries."""
    from shegong.purchasing.services import due_amounts, gate_holds

    if evaluations is None:
        evaluations = list(Evaluation.objects.filter(project=project))
    tranches = list(
        Tranche.objects.filter(project=project).select_related("payment").order_by("seq")
    )
    # The amounts the payments will be (the last tranche takes the rounding's fen).
    amounts = due_amounts(project, tranches)
    for tranche in tranches:
        tranche.project = project
        tranche.is_paid = hasattr(tranche, "payment")
        tranche.holds = gate_holds(tranche, evaluations)
        tranche.due_amount = amounts[tranche.seq]
    return tranches


def evaluations_of(project: Project):
    return (
        Evaluation.objects.filter(project=project)
        .select_related("evaluator")
        .prefetch_related("rectifications")
        .order_by("stage")
    )


def evaluation_for_user_or_404(user, pk) -> Evaluation:
    return Evaluation.objects.select_related("project").get_for_user_or_404(user, pk=pk)


def rectification_for_user_or_404(user, pk, action: str = VIEW) -> Rectification:
    return Rectification.objects.select_related("project", "evaluation").get_for_user_or_404(
        user, action, pk=pk
    )


def open_rectifications(user):
    return Rectification.objects.for_user(user, CHANGE).filter(closed_on__isnull=True)


def evaluations_due(user, today=None) -> list:
    """Assigned projects whose mid-term (due half-way through the period) or final (due at its
    end) evaluation is not yet written: ``(project, stage)`` pairs. An evaluator holds a few
    dozen assignments, so the dates are compared here, after one query."""
    today = today or timezone.localdate()
    if "evaluator" not in user_roles(user):
        return []
    done = set(
        Evaluation.objects.filter(project__evaluators=user).values_list("project_id", "stage")
    )
    due = []
    for project in Project.objects.filter(evaluators=user).order_by("ends_on"):
        midpoint = project.starts_on + (project.ends_on - project.starts_on) / 2
        if (project.pk, Stage.MIDTERM) not in done and midpoint <= today:
            due.append((project, Stage.MIDTERM))
        elif (project.pk, Stage.FINAL) not in done and project.ends_on <= today:
            due.append((project, Stage.FINAL))
    return due


def payable_tranches(user):
    """Unpaid tranches whose gate holds, for the people who pay them (district admins)."""
    from django.db.models import Exists

    rows = Tranche.objects.for_user(user, CHANGE).filter(payment__isnull=True)
    grade_ok = Q()
    for stage, gate in ((Stage.MIDTERM, "midterm"), (Stage.FINAL, "final")):
        for grade in Grade:
            holding = [g.value for g in Grade if GRADE_RANK[g.value] >= GRADE_RANK[grade.value]]
            passed = Evaluation.objects.filter(
                project=OuterRef("project"), stage=stage, grade__in=holding
            )
            grade_ok |= Q(gate=gate, min_grade=grade.value) & Q(Exists(passed))
    return rows.filter(Q(gate="signing", project__signed_on__isnull=False) | grade_ok)


# Portfolio and eligibility -------------------------------------------------------------------


def agency_portfolio(user, agency_ids=None):
    """Per agency: projects, contracted and paid amounts, and the grades of its evaluations."""
    projects = Project.objects.for_user(user).order_by()
    if agency_ids is not None:
        projects = projects.filter(agency_id__in=agency_ids)
    rows = {}
    for row in projects.values("agency_id", "agency__name").annotate(
        count=Count("pk"), contracted=MoneySum("contract_amount")
    ):
        rows[row["agency_id"]] = {
            "agency_id": row["agency_id"],
            "name": row["agency__name"],
            "projects": row["count"],
            "contracted": row["contracted"] or ZERO,
            "paid": ZERO,
            "grades": {grade.value: 0 for grade in Grade},
            "ineligible_years": [],
        }
    paid = (
        Payment.objects.filter(project__in=projects)
        .order_by()
        .values("project__agency_id")
        .annotate(total=MoneySum("amount"))
    )
    for row in paid:
        rows[row["project__agency_id"]]["paid"] = row["total"]
    grades = (
        Evaluation.objects.filter(project__in=projects)
        .order_by()
        .values("project__agency_id", "grade")
        .annotate(n=Count("pk"))
    )
    for row in grades:
        rows[row["project__agency_id"]]["grades"][row["grade"]] += row["n"]
    for agency_id, years in ineligible_years(list(rows)).items():
        rows[agency_id]["ineligible_years"] = years
    return sorted(rows.values(), key=lambda row: row["name"])


def ineligible_years(agency_ids) -> dict[int, list[int]]:
    """The eligibility flag: an agency whose project was graded 不合格 at a final evaluation in
    year Y is flagged as not eligible to bid in year Y + 1 (the grade gates next year's
    bidding). Returns agency id -> the years it is flagged for."""
    rows = (
        Evaluation.objects.filter(
            project__agency_id__in=agency_ids, stage=Stage.FINAL, grade=Grade.FAIL
        )
        .order_by()
        .values_list("project__agency_id", "project__budget__year")
        .distinct()
    )
    flagged: dict[int, list[int]] = {}
    for agency_id, year in rows:
        flagged.setdefault(agency_id, []).append(year + 1)
    return {key: sorted(value) for key, value in flagged.items()}


def agency_eligible(agency_id: int, year: int) -> bool:
    return year not in ineligible_years([agency_id]).get(agency_id, [])


def figures_for(user) -> dict:
    year = timezone.localdate().year
    return (
        Project.objects.for_user(user)
        .filter(budget__year=year)
        .aggregate(count=Count("pk"), contracted=MoneySum("contract_amount"))
    )
