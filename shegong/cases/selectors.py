"""Reads of case work, always through the user's scope.

Two layers (DESIGN §4.2): ``cases_for(user, VIEW)`` says which cases exist for the user (place
roles see them for statistics); everything inside a case (notes, assessments, plans, history)
is read through ``CONTENT``: lists that cross cases through the content models' own scope
rules, a case file through its case (``case_content``).
"""

import datetime

from django.conf import settings
from django.db.models import (
    BooleanField,
    Count,
    Exists,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models import Case as DbCase
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils import timezone

from shegong.cases import state
from shegong.cases.choices import (
    OPEN_STATUSES,
    Attainment,
    CaseStatus,
    NeedDomain,
    NeedLevel,
    PlanStatus,
    ReferralStatus,
    ReviewStatus,
)
from shegong.cases.models import (
    CASE_LEADS,
    Assessment,
    Case,
    CaseEvent,
    ClientFile,
    Evaluation,
    HouseholdMember,
    NoteAttachment,
    NoteComment,
    PlanGoal,
    PlanTask,
    Referral,
    Review,
    ServiceNote,
    ServicePlan,
    TaiwanFileItem,
)
from shegong.core.scope import (
    CHANGE,
    CONTENT,
    VIEW,
    can,
    require,
    same_scope,
    scope_q,
    user_assignments,
    user_roles,
)
from shegong.people.models import Person


def cases_for(user, action: str = VIEW):
    """Cases in the user's scope, with what the lists show loaded in the same query."""
    return Case.objects.for_user(user, action).select_related(
        "client", "community", "worker", "agency"
    )


def reads_inside_every_viewable(user) -> bool:
    """Whether the user may read inside every case they may view: they hold content and their
    view and content filters are the same (not a place role, alone or beside an agency role)."""
    return can(user, Case, CONTENT) and scope_q(Case, user, VIEW) == scope_q(Case, user, CONTENT)


def with_content_flag(queryset, user, *, viewable: bool = False):
    """Annotate ``has_content``: whether the user may read inside each case (one query).

    ``viewable``: the queryset holds only cases the user may view (it starts from
    ``cases_for``). When the user's view and content filters are the same (a director, a
    supervisor, a worker: not someone who also holds a place role), the user then reads inside
    every one of them, and the list's query needs no subquery per case to say so."""
    if not can(user, Case, CONTENT):
        return queryset.annotate(has_content=Value(False, output_field=BooleanField()))
    if viewable and reads_inside_every_viewable(user):
        return queryset.annotate(has_content=Value(True, output_field=BooleanField()))
    inside = Case.objects.for_user(user, CONTENT).filter(pk=OuterRef("pk"))
    return queryset.annotate(has_content=Exists(inside))


def may_read_content(user, case: Case) -> bool:
    return Case.objects.for_user(user, CONTENT).filter(pk=case.pk).exists()


def with_access_flags(queryset, user):
    """Annotate ``content_flag`` and ``change_flag`` (see ``access_flags``) on the cases, so the
    case file learns them in the query that fetches the case. While the case rule grants
    reading inside a case and working on it to the same people, one subquery answers both."""
    flags = {"content_flag": Exists(Case.objects.for_user(user, CONTENT).filter(pk=OuterRef("pk")))}
    if not same_scope(Case, CONTENT, CHANGE):
        flags["change_flag"] = Exists(Case.objects.for_user(user, CHANGE).filter(pk=OuterRef("pk")))
    return queryset.annotate(**flags)


def access_flags(user, case: Case) -> tuple[bool, bool]:
    """Whether the user may read inside the case and whether they may work on it (one query,
    none when the case was fetched ``with_access_flags`` for this user)."""
    if hasattr(case, "content_flag"):
        return case.content_flag, getattr(case, "change_flag", case.content_flag)
    return (
        Case.objects.filter(pk=case.pk)
        .annotate(
            content=Exists(Case.objects.for_user(user, CONTENT).filter(pk=OuterRef("pk"))),
            change=Exists(Case.objects.for_user(user, CHANGE).filter(pk=OuterRef("pk"))),
        )
        .values_list("content", "change")
        .get()
    )


def content_ids(user, cases) -> set[int]:
    """Which of these cases the user may read inside (one query for a whole page)."""
    ids = [case.pk for case in cases]
    if not ids:
        return set()
    return set(Case.objects.for_user(user, CONTENT).filter(pk__in=ids).values_list("pk", flat=True))


def may_list_content(user) -> bool:
    """Whether the user's list shows client names and workers (only content holders)."""
    return can(user, Case, CONTENT)


def case_filter_communities(user):
    """Community choices of the case filter: communities the user's cases sit in."""
    from shegong.places.models import Community

    if user is None or not getattr(user, "is_authenticated", False):
        return Community.objects.none()
    # One index lookup per community (agency, community, ...) rather than collecting the
    # community of each of the user's cases first: thousands of cases, fifty-odd communities.
    visible = Case.objects.for_user(user, VIEW).filter(community=OuterRef("pk"))
    # Only what the option shows: every list page builds these choices.
    return Community.objects.filter(Exists(visible)).only("name", "code").order_by("code")


def case_filter_workers(user):
    """Worker choices of the case filter: workers of the cases the user may read inside."""
    from shegong.accounts.models import User

    if user is None or not getattr(user, "is_authenticated", False):
        return User.objects.none()
    # As the communities: one index lookup per user (worker, agency), rather than reading the
    # worker of each of an agency's thousands of cases to collect a dozen workers.
    visible = Case.objects.for_user(user, CONTENT).filter(worker=OuterRef("pk"))
    return (
        User.objects.filter(Exists(visible))
        .only("username", "display_name", "first_name", "last_name")
        .order_by("username")
    )


def agency_users(agency, roles):
    """Active users holding one of ``roles`` at the agency."""
    from shegong.accounts.models import User

    return User.objects.filter(
        is_active=True,
        role_assignments__agency=agency,
        role_assignments__is_active=True,
        role_assignments__role__in=roles,
    ).distinct()


def agency_workers(agency):
    """Users who may carry the agency's cases: the choices for reassigning and accepting."""
    from shegong.cases.models import CASE_WORKERS

    return agency_users(agency, CASE_WORKERS).order_by("username")


def carries_cases(user) -> bool:
    """Whether the user works in an agency, so has cases of their own (My work)."""
    from shegong.cases.models import CASE_WORKERS

    return user.is_superuser or bool(user_roles(user) & CASE_WORKERS)


def leads_cases(user) -> bool:
    """Whether the user supervises or directs an agency's case work (the supervision queue)."""
    return user.is_superuser or bool(lead_agency_ids(user))


def lead_agency_ids(user) -> set[int]:
    """Agencies where the user is a supervisor or the director."""
    if not getattr(user, "is_authenticated", False):
        return set()
    return {a.agency_id for a in user_assignments(user) if a.agency_id and a.role in CASE_LEADS}


# --- My work ----------------------------------------------------------------------------------


def no_contact_days_default() -> int:
    return int(getattr(settings, "SHEGONG_NO_CONTACT_DAYS", 30))


def overdue_count(today: datetime.date):
    """The case's open tasks past their due date (outside returned plans), as a subquery: a
    join and GROUP BY over every task would have to run before the list can count or sort."""
    tasks = (
        PlanTask.objects.filter(plan__case=OuterRef("pk"), done_on__isnull=True, due_date__lt=today)
        .exclude(plan__status=PlanStatus.RETURNED)
        .order_by()
        .values("plan__case")
        .annotate(count=Count("pk"))
        .values("count")
    )
    return Coalesce(Subquery(tasks, output_field=IntegerField()), 0)


def my_open_cases(user):
    """The worker's own open cases."""
    return (
        Case.objects.for_user(user, CONTENT)
        .filter(worker=user, status__in=OPEN_STATUSES)
        .select_related("client", "community")
    )


def no_contact_cutoff(today: datetime.date, no_contact_days: int | None = None) -> datetime.date:
    """The day before which a case's last contact makes it one without contact."""
    days = no_contact_days_default() if no_contact_days is None else no_contact_days
    return today - datetime.timedelta(days=days)


def without_contact_since(cutoff: datetime.date) -> Q:
    """Cases without contact since ``cutoff``, counting from intake when there was none."""
    return Q(last_contact_date__lt=cutoff) | Q(
        last_contact_date__isnull=True, intake_date__lt=cutoff
    )


def my_cases(user, *, today: datetime.date | None = None, no_contact_days: int | None = None):
    """The worker's own open cases, each annotated with its overdue tasks and whether it has
    gone ``no_contact_days`` without contact. (My work's page computes both from what it
    fetches anyway; the API sorts and filters by them.)"""
    today = today or timezone.localdate()
    stale = without_contact_since(no_contact_cutoff(today, no_contact_days))
    return my_open_cases(user).annotate(
        overdue_tasks=overdue_count(today),
        no_contact=DbCase(When(stale, then=True), default=False, output_field=BooleanField()),
    )


def overdue_tasks_of(user, *, today: datetime.date | None = None):
    """Open tasks past their due date on the worker's own open cases."""
    today = today or timezone.localdate()
    return (
        PlanTask.objects.for_user(user, CONTENT)
        .filter(
            plan__case__worker=user,
            plan__case__status__in=OPEN_STATUSES,
            done_on__isnull=True,
            due_date__lt=today,
        )
        .exclude(plan__status=PlanStatus.RETURNED)
        .order_by("due_date", "id")
    )


# --- the case file ----------------------------------------------------------------------------


def case_statistics(case: Case) -> dict:
    """What anyone who sees the case may know: counts, never text."""
    notes = ServiceNote.objects.filter(case=case).aggregate(
        count=Count("id"), minutes=Sum("duration_minutes")
    )
    return {"notes": notes["count"] or 0, "minutes": notes["minutes"] or 0}


def case_content(user, case: Case) -> dict:
    """Everything inside a case file, read through the case.

    The case itself passes the content scope (already, when it was fetched ``with_access_flags``
    and the flag says so; else checked here: ``OutOfScope``, a 404). The rows inside it are then
    loaded by case alone: their scope rules (``case_content_rule``) grant a user every row of a
    case whose content the user may read (``test_access`` checks this for every persona and
    every content model), so filtering each of the page's ten queries by the scope again would
    only compile its joins again.

    The rows come as lists, each with its case and the names of its users set
    (``_set_case_and_users``); the notes, which a page or the API may slice, as a queryset."""
    if not getattr(case, "content_flag", False):
        require(user, case, CONTENT)
    tasks = PlanTask.objects.order_by("due_date", "id")
    goals = PlanGoal.objects.order_by("id")
    plans = list(
        ServicePlan.objects.filter(case=case)
        .prefetch_related(Prefetch("goals", queryset=goals), Prefetch("tasks", queryset=tasks))
        .order_by("-version")
    )
    assessments = list(Assessment.objects.filter(case=case))
    for assessment in assessments:
        assessment.need_rows = need_rows(assessment)
    evaluations = list(Evaluation.objects.filter(case=case))
    goal_ids = {int(k) for e in evaluations for k in e.attainment if str(k).isdecimal()}
    goal_text = dict(
        PlanGoal.objects.filter(pk__in=goal_ids, plan__case=case).values_list("pk", "description")
    )
    for evaluation in evaluations:
        evaluation.goal_rows = [
            (goal_text.get(int(k), k) if str(k).isdecimal() else k, Attainment(v).label)
            for k, v in evaluation.attainment.items()
            if v in Attainment.values
        ]
    # Only the rows shown: the new case of a referral and a review's plan go by their ids.
    referrals = list(Referral.objects.filter(case=case).select_related("to_agency"))
    reviews = list(Review.objects.filter(case=case))
    events = list(CaseEvent.objects.filter(case=case))
    _set_case_and_users(
        case,
        (assessments, ("created_by",)),
        (plans, ("created_by",)),
        (evaluations, ("created_by",)),
        (referrals, ("requested_by",)),
        (reviews, ("requested_by", "decided_by")),
        (events, ("actor",)),
    )
    return {
        "assessments": assessments,
        "plans": plans,
        "notes": _notes_of(case),
        "evaluations": evaluations,
        "referrals": referrals,
        "reviews": reviews,
        "events": events,
    }


def _set_case_and_users(case: Case, *groups: tuple[list, tuple[str, ...]]) -> None:
    """Set each row's case and its users (``groups``: rows and the names of their user
    fields), the users' names read in one query for all the rows. Joining the users to each of
    the case file's six queries cost more to compile than the queries take to run
    (bench/cases.py)."""
    from shegong.accounts.models import User

    ids = {
        getattr(row, f"{field}_id") for rows, fields in groups for row in rows for field in fields
    }
    ids.discard(None)
    # ``User.__str__`` and the API's names read only these.
    names = ("username", "display_name", "first_name", "last_name")
    users = User.objects.filter(pk__in=ids).only(*names) if ids else []
    by_id = {u.pk: u for u in users}
    for rows, fields in groups:
        for row in rows:
            row.case = case
            for field in fields:
                user_id = getattr(row, f"{field}_id")
                if user_id is not None:
                    setattr(row, field, by_id[user_id])


def _notes_of(case: Case):
    return (
        ServiceNote.objects.filter(case=case)
        .select_related("created_by")
        .prefetch_related(
            Prefetch("attachments", queryset=NoteAttachment.objects.order_by("id")),
            Prefetch("comments", queryset=NoteComment.objects.select_related("author")),
        )
        .order_by("-contact_date", "-id")
    )


def case_notes(user, case: Case):
    """The case's service notes, read through the case as ``case_content`` reads them."""
    if not getattr(case, "content_flag", False):
        require(user, case, CONTENT)
    return _notes_of(case)


def need_rows(assessment) -> list[tuple[str, str, str]]:
    """(domain, level, note) for the rated domains, in the order of NeedDomain."""
    rows = []
    for domain in NeedDomain:
        entry = assessment.needs.get(domain.value)
        if not entry:
            continue
        level = entry.get("level", NeedLevel.NONE)
        label = NeedLevel(level).label if level in NeedLevel.values else level
        rows.append((domain.label, label, entry.get("note", "")))
    return rows


def case_facts(case: Case, *, closure_reason: str = "", has_approved_plan=None) -> state.Facts:
    """What the state machine needs besides the status; one query unless the caller already
    knows whether an approved plan exists."""
    if has_approved_plan is None:
        has_approved_plan = case.plans.filter(status=PlanStatus.APPROVED).exists()
    return state.Facts(
        has_approved_plan=has_approved_plan,
        status_before_closure=case.status_before_closure,
        closure_reason=closure_reason,
    )


def approved_plan(case: Case):
    return (
        ServicePlan.objects.filter(case=case, status=PlanStatus.APPROVED)
        .order_by("-version")
        .first()
    )


def approved_goals(case: Case):
    plan = approved_plan(case)
    return list(plan.goals.order_by("id")) if plan else []


# --- client file --------------------------------------------------------------------------------


def client_person_or_404(user, person_pk, action: str = VIEW):
    """The person whose client file the user opens, in scope for ``action``; Http404 otherwise.
    Staff only: a volunteer may read their own person record, but a client file is case work."""
    from shegong.people.permissions import may_list_people

    if not may_list_people(user):
        raise Http404
    return Person.objects.select_related("community", "owner_agency").get_for_user_or_404(
        user, action, pk=person_pk
    )


def client_file_of(person):
    """The person's client file, or an unsaved empty one (the page shows it empty)."""
    try:
        return ClientFile.objects.prefetch_related("target_groups").get(person=person)
    except ClientFile.DoesNotExist:
        return ClientFile(person=person)


def household_of(client_file):
    if client_file.pk is None:
        return HouseholdMember.objects.none()
    return HouseholdMember.objects.filter(client_file=client_file).select_related("person")


def taiwan_items_of(person) -> dict:
    return {item.item: item for item in TaiwanFileItem.objects.filter(person=person)}


def person_cases(user, person):
    """The person's cases the user may read inside. A place role sees that a case exists on
    the case list, but not whose it is; listing it under the client would tell exactly that."""
    return cases_for(user, CONTENT).filter(client=person).order_by("-intake_date", "-id")


def sharing_consents(person):
    """The client's active consents to sharing: the choices of a referral."""
    from shegong.people.choices import ConsentScope
    from shegong.people.models import Consent

    return Consent.objects.filter(
        person=person, scope=ConsentScope.SHARING, withdrawn_on__isnull=True
    ).order_by("-given_on", "-id")


# --- supervision and referrals ----------------------------------------------------------------


def supervision_queue(user):
    """Pending plan and closure reviews of the agencies the user leads, oldest first.

    A lead's own cases stay in the list (they see them) but cannot be decided by them
    (``services.may_review``); the page says so.
    """
    agencies = lead_agency_ids(user)
    qs = Review.objects.for_user(user, CONTENT).filter(status=ReviewStatus.PENDING)
    if not user.is_superuser:
        qs = qs.filter(case__agency_id__in=agencies)
    return (
        qs.select_related("case__client", "case__worker", "case__agency", "plan", "requested_by")
        .prefetch_related("plan__goals", "plan__tasks")
        .order_by("created_at", "id")
    )


def referral_inbox(user, *, pending_only: bool = True):
    """Referrals addressed to the agencies the user leads."""
    agencies = lead_agency_ids(user)
    qs = Referral.objects.for_user(user, VIEW).filter(to_agency_id__in=agencies)
    if pending_only:
        qs = qs.filter(status=ReferralStatus.PENDING)
    return qs.select_related(
        "case__agency", "case__client", "to_agency", "requested_by", "consent"
    ).order_by("created_at", "id")


# --- figures ------------------------------------------------------------------------------------


def case_figures(user) -> dict:
    """Open and closed counts and the person-times of the cases in the user's VIEW scope."""
    totals = Case.objects.for_user(user, VIEW).aggregate(
        open=Count("id", filter=~Q(status=CaseStatus.CLOSED)),
        closed=Count("id", filter=Q(status=CaseStatus.CLOSED)),
        person_times=Sum("person_times"),
    )
    return {
        "open": totals["open"] or 0,
        "closed": totals["closed"] or 0,
        "person_times": totals["person_times"] or 0,
    }
