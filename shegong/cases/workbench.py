"""Case work on the workbench: what waits for a worker, a lead and a place's staff, and the
figures of the cases the user may see (DESIGN §4.5)."""

from urllib.parse import urlencode

from django.urls import reverse
from django.utils.translation import gettext as _

from shegong.cases import selectors
from shegong.cases.choices import OPEN_STATUSES, RiskLevel
from shegong.cases.models import Case
from shegong.core.registry import Figure, Todo
from shegong.core.scope import VIEW, can


def lead_todos(user):
    """Supervisors and directors: plans and closures to decide, referrals to answer."""
    if not selectors.leads_cases(user):
        return []
    # A lead's own cases stay in their queue but are decided by another lead: not their work.
    approvals = selectors.supervision_queue(user).exclude(case__worker=user).count()
    return [
        Todo(
            label=_("Awaiting my approval"),
            count=approvals,
            url=reverse("cases:supervision"),
            empty=_("Plans and closures your workers submit will wait here for your decision."),
            testid="approvals",
        ),
        Todo(
            label=_("Referrals in my inbox"),
            count=selectors.referral_inbox(user).count(),
            url=reverse("cases:referrals"),
            empty=_("Cases other agencies refer to yours will wait here for your answer."),
            testid="referrals",
        ),
    ]


def worker_todos(user):
    """Anyone who carries cases: overdue plan tasks and clients gone quiet."""
    if not selectors.carries_cases(user):
        return []
    days = selectors.no_contact_days_default()
    my_work = reverse("cases:my_work")
    return [
        Todo(
            label=_("Overdue tasks"),
            count=selectors.overdue_tasks_of(user).count(),
            url=my_work + "?show=overdue",
            empty=_("No task is overdue. Tasks come from your approved service plans."),
            testid="overdue",
        ),
        Todo(
            label=_("No contact for %(n)s days") % {"n": days},
            count=selectors.my_cases(user, no_contact_days=days).filter(no_contact=True).count(),
            url=my_work + "?show=no_contact",
            empty=_("Every open case of yours had a contact in the last %(n)s days.") % {"n": days},
            testid="no-contact",
        ),
    ]


def oversight_todos(user):
    """Place staff (district, street, community) watch the cases in crisis in their area."""
    if not can(user, Case, VIEW) or selectors.carries_cases(user):
        return []
    crisis = selectors.cases_for(user).filter(risk_level=RiskLevel.CRISIS, status__in=OPEN_STATUSES)
    query = urlencode({"risk_level": RiskLevel.CRISIS, "open": "true"})
    return [
        Todo(
            label=_("Open cases in crisis"),
            count=crisis.count(),
            url=reverse("cases:list") + "?" + query,
            empty=_("No open case in your area is at crisis level."),
            testid="crisis",
        )
    ]


def case_figures(user):
    if not can(user, Case, VIEW):
        return []
    totals = selectors.case_figures(user)
    cases = reverse("cases:list")
    return [
        Figure(
            label=_("Open cases"),
            value=totals["open"],
            detail=_("closed: %(n)s") % {"n": totals["closed"]},
            url=cases + "?open=true",
            testid="cases",
        ),
        Figure(
            label=_("Person-times"),
            value=totals["person_times"],
            detail=_("people served, counted per service contact"),
            url=cases,
            testid="person-times",
        ),
    ]
