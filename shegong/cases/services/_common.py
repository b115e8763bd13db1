"""Helpers shared by the case-work services: scope checks, dates, state moves, who leads."""

import datetime

from django.core.exceptions import ValidationError
from django.db.models import F, Max, OuterRef, Subquery, Sum
from django.db.models.functions import Coalesce, Greatest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from shegong.cases import state
from shegong.cases.attachments import MAX_ATTACHMENT_BYTES  # noqa: F401 (re-exported)
from shegong.cases.choices import EventKind
from shegong.cases.models import CASE_LEADS, CASE_WORKERS, Case, CaseEvent, ServiceNote
from shegong.cases.selectors import agency_users, case_facts, lead_agency_ids
from shegong.core.scope import CHANGE, require, user_assignments
from shegong.core.validators import validated_create
from shegong.notifications.services import notify

# --- helpers ---------------------------------------------------------------------------------


def today() -> datetime.date:
    return timezone.localdate()


def _require(actor, obj, *actions: str) -> None:
    """The actor may do each of ``actions`` (CHANGE if none is named) on this row, else
    ``OutOfScope``: the one scope check (``core.scope.require``) every caller shares."""
    require(actor, obj, *(actions or (CHANGE,)))


def _check_date(
    value,
    *,
    field: str,
    not_before: datetime.date | None,
    label: str,
    as_of: datetime.date | None = None,
) -> dict:
    """A required date of the case's record: not after ``as_of`` (today), not before
    ``not_before`` (the intake)."""
    if value is None:
        return {field: [_("Enter the date.")]}
    if value > (as_of or today()):
        return {field: [_("%(label)s cannot be in the future.") % {"label": label}]}
    if not_before and value < not_before:
        return {
            field: [
                _("%(label)s cannot be before the intake date (%(date)s).")
                % {"label": label, "date": not_before.isoformat()}
            ]
        }
    return {}


def _raise(errors: dict) -> None:
    if errors:
        raise ValidationError(errors)


def _allowed(case: Case, action: str) -> state.Facts:
    """Refuse a step the state machine does not allow now, naming why; the facts it read serve
    the move afterwards."""
    facts = case_facts(case)
    state.next_status(case.status, action, facts)
    return facts


def _move(
    case: Case,
    action: str,
    *,
    actor,
    kind: str = EventKind.STATUS,
    note: str = "",
    facts: state.Facts | None = None,
) -> None:
    """Apply a transition and record it in the case history. The history keeps one line of
    ``note`` (a closure note or a review comment is kept whole on its own row)."""
    new_status = state.next_status(case.status, action, facts or case_facts(case))
    if new_status != case.status or kind != EventKind.STATUS:
        event_create(
            case=case,
            kind=kind,
            from_status=case.status,
            to_status=new_status,
            actor=actor,
            note=note,
        )
    case.status = new_status


def count_contacts(notes) -> None:
    """Add saved service notes to their cases (DESIGN §4.4): their participants to the case's
    person-times, and the latest contact date to its last contact when later.

    ``notes``: a queryset of ``ServiceNote`` not counted yet. One UPDATE, computed in the
    database from the rows' current values, so notes saved at the same time all count.
    ``note_add`` counts its one note here and the bulk import all of its notes: one rule.
    """
    added = (
        ServiceNote.objects.filter(pk__in=notes.values("pk"), case=OuterRef("pk"))
        .order_by()
        .values("case")
    )
    participants = Subquery(added.annotate(total=Sum("participants")).values("total"))
    latest = Subquery(added.annotate(latest=Max("contact_date")).values("latest"))
    Case.objects.filter(pk__in=notes.values("case")).update(
        person_times=F("person_times") + participants,
        last_contact_date=Greatest(Coalesce("last_contact_date", latest), latest),
        updated_at=timezone.now(),
    )


def one_line(text: str) -> str:
    """``text`` as one line of the case history: line breaks and runs of blanks become one
    space, cut to the history's 500 characters."""
    return " ".join(text.split())[:500]


def event_create(*, note: str = "", **values) -> CaseEvent:
    """A row of the case history, validated like every other write."""
    return validated_create(CaseEvent, note=one_line(note), **values)


def _notify_leads(agency, message: str, url_name: str, *, actor) -> None:
    """Tell an agency's supervisors and director (but not the actor) what awaits them."""
    for lead in agency_users(agency, CASE_LEADS):
        if lead != actor:
            notify(lead, message, reverse(url_name))


def _is_lead(user, agency) -> bool:
    return user.is_superuser or agency.pk in lead_agency_ids(user)


def _is_agency_member(user, agency) -> bool:
    return any(a.agency_id == agency.pk and a.role in CASE_WORKERS for a in user_assignments(user))


def _case_link(case: Case) -> str:
    return reverse("cases:detail", args=[case.pk])
