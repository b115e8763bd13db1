"""The case state machine: the one place that says which step may follow which (MZ/T 094-2017).

接案 intake → 预估 assessment → 计划 planning → 介入 intervention → 评估 evaluation → 结案 closed,
with supervisor approval gating the plan (planning → intervention) and the closure
(closure_pending → closed), a returned closure going back where it came from, and reopening
(closed → assessment). Services ask :func:`next_status` before every change; a refusal is a
``ValidationError`` whose message names the reason.
"""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from shegong.cases.choices import CaseStatus as S
from shegong.cases.choices import ClosureReason

ASSESS = "assess"
PLAN = "plan"
APPROVE_PLAN = "approve_plan"
NOTE = "note"
EVALUATE = "evaluate"
REQUEST_CLOSURE = "request_closure"
APPROVE_CLOSURE = "approve_closure"
RETURN_CLOSURE = "return_closure"
REOPEN = "reopen"

ACTIONS = (
    ASSESS,
    PLAN,
    APPROVE_PLAN,
    NOTE,
    EVALUATE,
    REQUEST_CLOSURE,
    APPROVE_CLOSURE,
    RETURN_CLOSURE,
    REOPEN,
)


@dataclass(frozen=True)
class Facts:
    """What the machine needs to know about the case besides its status."""

    has_approved_plan: bool = False
    status_before_closure: str = ""
    closure_reason: str = ""


class IllegalTransition(ValidationError):
    pass


def _refuse(message: str):
    raise IllegalTransition(message, code="illegal_transition")


def next_status(status: str, action: str, facts: Facts = Facts()) -> str:  # noqa: B008
    """The status after ``action``, or IllegalTransition saying why it may not happen now."""
    if action not in ACTIONS:
        raise ValueError(f"Unknown case action {action!r}")
    if status == S.CLOSED and action != REOPEN:
        _refuse(_("The case is closed: reopen it first."))
    if action == ASSESS:
        if status not in (S.INTAKE, S.ASSESSMENT, S.PLANNING):
            _refuse(_("An assessment is recorded after intake and before the intervention."))
        return S.ASSESSMENT if status == S.INTAKE else status
    if action == PLAN:
        if status == S.INTAKE:
            _refuse(_("Assess the client before writing a service plan."))
        if status not in (S.ASSESSMENT, S.PLANNING, S.INTERVENTION):
            _refuse(_("A service plan cannot be written at this stage."))
        return S.PLANNING if status == S.ASSESSMENT else status
    if action == APPROVE_PLAN:
        if status not in (S.PLANNING, S.INTERVENTION):
            _refuse(_("There is no service plan waiting for approval at this stage."))
        return S.INTERVENTION
    if action == NOTE:
        if status == S.CLOSURE_PENDING:
            _refuse(_("The closure is awaiting approval: no new service notes."))
        return status
    if action == EVALUATE:
        if not facts.has_approved_plan:
            _refuse(_("Evaluation needs an approved service plan with goals."))
        if status not in (S.INTERVENTION, S.EVALUATION):
            _refuse(_("Evaluation follows the intervention."))
        return S.EVALUATION
    if action == REQUEST_CLOSURE:
        if status == S.CLOSURE_PENDING:
            _refuse(_("A closure request is already waiting for approval."))
        if not facts.closure_reason:
            _refuse(_("Give the reason for closing the case."))
        if facts.closure_reason == ClosureReason.GOALS_ACHIEVED and status != S.EVALUATION:
            _refuse(_("Evaluate the goals before closing the case as achieved."))
        return S.CLOSURE_PENDING
    if action in (APPROVE_CLOSURE, RETURN_CLOSURE):
        if status != S.CLOSURE_PENDING:
            _refuse(_("There is no closure request waiting for approval."))
        if action == APPROVE_CLOSURE:
            return S.CLOSED
        return facts.status_before_closure or S.EVALUATION
    # REOPEN
    if status != S.CLOSED:
        _refuse(_("Only a closed case can be reopened."))
    return S.ASSESSMENT
