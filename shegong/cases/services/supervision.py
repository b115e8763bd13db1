"""督导: plans and closures sent to the agency's supervisors, and their decisions."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from shegong.cases import state
from shegong.cases.choices import ClosureReason, EventKind, PlanStatus, ReviewKind, ReviewStatus
from shegong.cases.models import Case, Review, ServicePlan
from shegong.cases.selectors import case_facts
from shegong.cases.services._common import (
    _allowed,
    _case_link,
    _is_lead,
    _move,
    _notify_leads,
    _raise,
    _require,
    event_create,
    today,
)
from shegong.core.audit import set_actor
from shegong.core.scope import CHANGE, OutOfScope
from shegong.core.validators import field_errors, validated_create
from shegong.notifications.services import notify


@transaction.atomic
def plan_submit(*, actor, plan: ServicePlan) -> Review:
    """Send the plan to the agency's supervisors."""
    case = plan.case
    _require(actor, case, CHANGE)
    if plan.status not in (PlanStatus.DRAFT, PlanStatus.RETURNED):
        raise ValidationError({"plan": [_("Only a draft or returned plan can be submitted.")]})
    _allowed(case, state.PLAN)
    # One plan at a time in the supervisor's queue: two pending versions could both be approved.
    if case.reviews.filter(kind=ReviewKind.PLAN, status=ReviewStatus.PENDING).exists():
        raise ValidationError(
            {"plan": [_("Another version of the plan is already awaiting approval.")]}
        )
    with set_actor(actor):
        plan.status = PlanStatus.SUBMITTED
        plan.save(update_fields=["status", "updated_at"])
        review = validated_create(
            Review, case=case, kind=ReviewKind.PLAN, plan=plan, requested_by=actor
        )
    _notify_leads(
        case.agency,
        _("Service plan of case %(number)s awaits your approval.") % {"number": case.number},
        "cases:supervision",
        actor=actor,
    )
    return review


@transaction.atomic
def closure_request(*, actor, case: Case, reason: str, note: str = "") -> Review:
    """结案 request: the supervisor decides."""
    _require(actor, case, CHANGE)
    errors = {}
    if not reason:
        # Said on the field, not only by the state machine, so forms and the API can show it.
        errors["reason"] = [_("Give the reason for closing the case.")]
    elif reason not in ClosureReason.values:
        errors["reason"] = [_("Choose a closure reason.")]
    if reason == ClosureReason.OTHER and not note.strip():
        errors["note"] = [_("Explain the reason for closing the case.")]
    errors.update(
        field_errors(
            Case(closure_note=note.strip()), ["closure_note"], rename={"closure_note": "note"}
        )
    )
    _raise(errors)
    facts = case_facts(case, closure_reason=reason)
    with set_actor(actor):
        previous = case.status
        _move(case, state.REQUEST_CLOSURE, actor=actor, facts=facts, note=note)
        case.status_before_closure = previous
        case.closure_reason = reason
        case.closure_note = note.strip()
        case.save(
            update_fields=[
                "status",
                "status_before_closure",
                "closure_reason",
                "closure_note",
                "updated_at",
            ]
        )
        review = validated_create(Review, case=case, kind=ReviewKind.CLOSURE, requested_by=actor)
    _notify_leads(
        case.agency,
        _("Closure of case %(number)s awaits your approval.") % {"number": case.number},
        "cases:supervision",
        actor=actor,
    )
    return review


def may_review(user, case: Case) -> bool:
    """Supervisors and the director of the case's agency; never the case's own worker."""
    return user.pk != case.worker_id and _is_lead(user, case.agency)


@transaction.atomic
def review_decide(*, actor, review: Review, approve: bool, comment: str = "") -> Review:
    """督导 decision on a plan or a closure; returning needs a comment the worker can act on."""
    case = review.case
    if not may_review(actor, case):
        raise OutOfScope
    if review.status != ReviewStatus.PENDING:
        raise ValidationError({"review": [_("This request has already been decided.")]})
    if not approve and not comment.strip():
        raise ValidationError({"comment": [_("Say what needs to change.")]})
    _raise(field_errors(Review(comment=comment.strip()), ["comment"]))
    with set_actor(actor):
        if review.kind == ReviewKind.PLAN:
            plan = review.plan
            if approve:
                _move(case, state.APPROVE_PLAN, actor=actor, kind=EventKind.REVIEW, note=comment)
                plan.status = PlanStatus.APPROVED
            else:
                event_create(
                    case=case,
                    kind=EventKind.REVIEW,
                    from_status=case.status,
                    to_status=case.status,
                    actor=actor,
                    note=comment,
                )
                plan.status = PlanStatus.RETURNED
            plan.save(update_fields=["status", "updated_at"])
        else:
            action = state.APPROVE_CLOSURE if approve else state.RETURN_CLOSURE
            _move(case, action, actor=actor, kind=EventKind.REVIEW, note=comment)
            if approve:
                case.closed_on = today()
            else:
                case.closure_reason = ""
                case.closure_note = ""
            case.status_before_closure = ""
        case.save()
        review.status = ReviewStatus.APPROVED if approve else ReviewStatus.RETURNED
        review.decided_by = actor
        review.decided_at = timezone.now()
        review.comment = comment.strip()
        review.save()
    verdict = _("approved") if approve else _("returned")
    notify(
        case.worker,
        _("%(what)s of case %(number)s was %(verdict)s.")
        % {"what": review.get_kind_display(), "number": case.number, "verdict": verdict},
        _case_link(case),
    )
    return review
