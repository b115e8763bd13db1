"""The case-work rules on plain values: pure functions (no database, no scope) that the services
and the legacy-register import both call, so a rule changed here changes for every way in.

Each returns ``(cleaned, errors)``: the cleaned values, and the field errors keyed by the
service's field names (empty when the values pass). A caller adds the checks that need the
database (scope, the worker's agency, what is on record) and raises them all at once.
"""

import datetime

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from shegong.cases.choices import CaseSource, ClosureReason, ContactMethod, RiskLevel
from shegong.cases.models import Case, ServiceNote
from shegong.cases.services._common import _check_date
from shegong.people.choices import IdType

# A note's bounds (the model's validators say the same; here they are one message per field).
DURATION_RANGE = (1, 24 * 60)
PARTICIPANTS_RANGE = (1, 500)


def _text_errors(model, field: str, value: str) -> list[str]:
    """The model field's own text rules (control characters, bidi overrides, length)."""
    if not value:
        return []
    try:
        model._meta.get_field(field).run_validators(value)
    except ValidationError as error:
        return list(error.messages)
    return []


def _whole_number_errors(value, bounds: tuple[int, int]) -> list[str]:
    low, high = bounds
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        return [_("Enter a whole number from %(low)s to %(high)s.") % {"low": low, "high": high}]
    return []


def clean_case_fields(
    *,
    client_community_id,
    client_id_type: str,
    source: str,
    presenting_problem: str,
    risk_level: str,
    intake_date: datetime.date | None,
    is_taiwan_service: bool = False,
    closed: bool = False,
    closure_reason: str = "",
    closed_on: datetime.date | None = None,
    today: datetime.date | None = None,
) -> tuple[dict, dict[str, list[str]]]:
    """A case's intake fields (``case_open``), and for a case recorded as already closed (the
    legacy register) its closure reason and date.

    ``client_community_id`` / ``client_id_type``: the client's home community and ID type (a
    case is placed in the client's community; Taiwan compatriot services need a Taiwan permit).
    """
    errors = _check_date(
        intake_date, field="intake_date", not_before=None, label=_("The intake date"), as_of=today
    )
    if client_community_id is None:
        errors["client"] = [_("Record the client's home community before opening a case.")]
    problem = (presenting_problem or "").strip()
    if not problem:
        errors["presenting_problem"] = [_("Describe the presenting problem.")]
    elif messages := _text_errors(Case, "presenting_problem", problem):
        errors["presenting_problem"] = messages
    if source not in CaseSource.values:
        errors["source"] = [_("Choose where the case came from.")]
    if risk_level not in RiskLevel.values:
        errors["risk_level"] = [_("Unknown risk level.")]
    if is_taiwan_service and client_id_type != IdType.TAIWAN_PERMIT:
        errors["is_taiwan_service"] = [
            _("Taiwan compatriot services are for holders of a Taiwan residence permit (830000…).")
        ]
    cleaned = {
        "source": source,
        "presenting_problem": problem,
        "risk_level": risk_level,
        "intake_date": intake_date,
        "is_taiwan_service": is_taiwan_service,
        "closure_reason": "",
        "closed_on": None,
    }
    if closed:
        if not closure_reason:
            errors["closure_reason"] = [_("Give the reason for closing the case.")]
        elif closure_reason not in ClosureReason.values:
            errors["closure_reason"] = [_("Choose a closure reason.")]
        closed_errors = _check_date(
            closed_on,
            field="closed_on",
            not_before=None,
            label=_("The closure date"),
            as_of=today,
        )
        if not closed_errors and intake_date and closed_on < intake_date:
            closed_errors = {"closed_on": [_("The case cannot close before its intake date.")]}
        errors.update(closed_errors)
        cleaned.update(closure_reason=closure_reason, closed_on=closed_on)
    elif closed_on is not None:
        errors["closed_on"] = [_("An open case has no closure date.")]
    return cleaned, errors


def clean_note_fields(
    *,
    contact_date: datetime.date | None,
    duration_minutes,
    method: str,
    content: str,
    participants,
    intake_date: datetime.date,
    closed_on: datetime.date | None = None,
    today: datetime.date | None = None,
) -> tuple[dict, dict[str, list[str]]]:
    """One service contact (``note_add``): within the case's life (from its intake, and up to
    its closure for a case recorded as closed), with content, a method and whole numbers."""
    errors = _check_date(
        contact_date,
        field="contact_date",
        not_before=intake_date,
        label=_("The contact date"),
        as_of=today,
    )
    if not errors and closed_on and contact_date > closed_on:
        errors["contact_date"] = [_("The contact date is after the case was closed.")]
    for field, value, bounds in (
        ("duration_minutes", duration_minutes, DURATION_RANGE),
        ("participants", participants, PARTICIPANTS_RANGE),
    ):
        if messages := _whole_number_errors(value, bounds):
            errors[field] = messages
    if method not in ContactMethod.values:
        errors["method"] = [_("Unknown contact method.")]
    text = (content or "").strip()
    if not text:
        errors["content"] = [_("Write what happened in the contact.")]
    elif messages := _text_errors(ServiceNote, "content", text):
        errors["content"] = messages
    cleaned = {
        "contact_date": contact_date,
        "duration_minutes": duration_minutes,
        "method": method,
        "content": text,
        "participants": participants,
    }
    return cleaned, errors
