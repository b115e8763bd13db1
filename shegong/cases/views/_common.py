"""Helpers shared by the case-work pages: scoped fetches, role gates, the state machine's
answer for the buttons, redirects and the shared step form page.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render

from shegong.cases import selectors, state
from shegong.cases.choices import CaseStatus, ClosureReason
from shegong.cases.models import Case
from shegong.core.scope import CHANGE, CONTENT, VIEW, can

# The MZ/T 094 steps of the indicator on the case file.
STEPS = (
    CaseStatus.INTAKE,
    CaseStatus.ASSESSMENT,
    CaseStatus.PLANNING,
    CaseStatus.INTERVENTION,
    CaseStatus.EVALUATION,
    CaseStatus.CLOSED,
)


# --- helpers ------------------------------------------------------------------------------------


def _case_or_404(user, pk, *actions: str) -> Case:
    """The case in the user's scope for ``actions``."""
    cases = Case.objects.select_related(
        "client", "community__street", "agency", "worker", "referred_from"
    )
    return cases.get_for_user_or_404(user, *actions, pk=pk)


# What the case file shows of the rows around the case: their names. Every column of six tables
# costs more to compile into SQL than the query then takes to run (bench/cases.py).
CASE_FILE_RELATED = (
    "client__name",
    "agency__name",
    "community__name",
    "worker__display_name",
    "worker__first_name",
    "worker__last_name",
    "worker__username",
    "referred_from__number",
)


def _case_file_or_404(user, pk) -> Case:
    """The case for its file page, with what the user may do inside it annotated in the same
    query (``selectors.access_flags``)."""
    own = [field.name for field in Case._meta.concrete_fields]
    cases = Case.objects.select_related(
        "client", "community", "agency", "worker", "referred_from"
    ).only(*own, *CASE_FILE_RELATED)
    return selectors.with_access_flags(cases, user).get_for_user_or_404(user, VIEW, pk=pk)


def _working_case(user, pk) -> Case:
    """A case the user may read inside and change: the assigned worker and the agency leads."""
    return _case_or_404(user, pk, CONTENT, CHANGE)


def _require_view_cases(user):
    if not can(user, Case, VIEW):
        raise Http404


def _require_agency_role(user):
    if not selectors.carries_cases(user):
        raise Http404


def _require_lead(user):
    if not selectors.leads_cases(user):
        raise Http404


def allowed_actions(case: Case, has_approved_plan=None) -> set[str]:
    """The state machine's answer for each step, now: which buttons the case file shows.
    (The case file passes ``has_approved_plan`` from the plans it has loaded anyway.)"""
    facts = selectors.case_facts(
        case, closure_reason=ClosureReason.OTHER, has_approved_plan=has_approved_plan
    )
    allowed = set()
    for action in state.ACTIONS:
        try:
            state.next_status(case.status, action, facts)
        except ValidationError:
            continue
        allowed.add(action)
    return allowed


def _refused(request, case: Case, action: str) -> bool:
    """Whether the state machine refuses ``action`` now; if so the reason becomes a message."""
    try:
        state.next_status(
            case.status, action, selectors.case_facts(case, closure_reason=ClosureReason.OTHER)
        )
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
        return True
    return False


def _steps(case: Case) -> list[dict]:
    current = (
        len(STEPS) - 1
        if case.status in (CaseStatus.CLOSURE_PENDING, CaseStatus.CLOSED)
        else STEPS.index(case.status)
    )
    return [
        {
            "label": CaseStatus(status).label,
            "done": index < current or case.status == CaseStatus.CLOSED,
            "current": index == current,
        }
        for index, status in enumerate(STEPS)
    ]


def _to_case(case: Case):
    return redirect("cases:detail", pk=case.pk)


def _form_page(request, case, form, *, title: str, submit: str, testid: str, status=200, **extra):
    context = {"case": case, "form": form, "title": title, "submit": submit, "testid": testid}
    context.update(extra)
    return render(request, "cases/step_form.html", context, status=status)
