"""Case work written in bulk: a legacy register's cases and their service notes.

The rows pass the same pure rules as ``case_open`` and ``note_add`` (``services.clean``) and the
notes are counted by the same helper (``count_contacts``); only the writes are batched, so that a
register of thousands of rows takes a few statements, not thousands of round trips.
"""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from shegong.cases.choices import CaseStatus, ClosureReason, EventKind
from shegong.cases.models import Case, CaseEvent, ServiceNote
from shegong.cases.selectors import agency_workers, lead_agency_ids
from shegong.cases.services._common import count_contacts, one_line
from shegong.cases.services.clean import _text_errors, clean_case_fields, clean_note_fields
from shegong.core.scope import VIEW, OutOfScope, require
from shegong.people.models import Person

BATCH = 500


def require_agency_lead(actor, agency) -> None:
    """``OutOfScope`` unless ``actor`` leads ``agency`` (its director or a supervisor): who may
    bring a register into the agency, as the import kind decides (``actor=None`` is the system
    itself, as for ``core.scope.require``)."""
    if actor is not None and (agency is None or agency.pk not in lead_agency_ids(actor)):
        raise OutOfScope


@transaction.atomic
def cases_bulk_create(
    *,
    actor,
    agency,
    cases: list[dict],
    notes: list[dict] = (),
    today: datetime.date | None = None,
) -> list[Case]:
    """Create an agency's cases, each at intake or already closed, with their service notes.

    ``cases``: dicts with ``number``, ``client`` (a Person, or ``client_id``), ``worker_id``,
    ``source``, ``presenting_problem``, ``risk_level``, ``intake_date``, ``closed`` with
    ``closure_reason`` and ``closed_on``, and ``opened_note`` (the first line of the case's
    history). ``notes``: dicts with ``case`` (the index of its case in ``cases``),
    ``contact_date``, ``duration_minutes``, ``method``, ``content`` and ``participants``; a
    legacy note is recorded as written by its case's worker.

    Each case enters the state machine at intake (an OPENED event, as ``case_open`` records
    it); a closed one then moves to closed (a STATUS event naming the reason). Its notes set
    its person-times and last contact date through ``count_contacts``, as ``note_add`` does.

    The actor must lead the agency (``OutOfScope`` otherwise). Any error raises one
    ValidationError keyed ``cases.<index>.<field>`` / ``notes.<index>.<field>`` and writes
    nothing. Atomic (a savepoint inside the caller's transaction, as in an import job); the
    change history gets no entry per row (the caller records the batch, as an import job
    does). The cases are returned as inserted: their counted person-times and last contact
    are in the database.
    """
    require_agency_lead(actor, agency)
    cases, notes = list(cases), list(notes)
    errors: dict[str, list[str]] = {}
    workers = set(agency_workers(agency).values_list("pk", flat=True))
    people = _clients(actor, cases)
    numbers: dict[str, int] = {}
    cleaned_cases = []
    for index, row in enumerate(cases):
        client = people.get(row.get("client_id") or getattr(row.get("client"), "pk", None))
        cleaned, row_errors = clean_case_fields(
            client_community_id=client.community_id if client else None,
            client_id_type=client.id_type if client else "",
            source=row.get("source"),
            presenting_problem=row.get("presenting_problem"),
            risk_level=row.get("risk_level"),
            intake_date=row.get("intake_date"),
            closed=bool(row.get("closed")),
            closure_reason=row.get("closure_reason") or "",
            closed_on=row.get("closed_on"),
            today=today,
        )
        if client is None:
            row_errors["client"] = [_("Choose a client from your own records.")]
        if row.get("worker_id") not in workers:
            row_errors["worker"] = [_("The social worker must work for the case's agency.")]
        number = row.get("number") or ""
        number_errors = _text_errors(Case, "number", number)
        if not number:
            number_errors = [_("Enter the case number.")]
        elif number in numbers:
            number_errors = [_("This case number is earlier in the list.")]
        numbers.setdefault(number, index)
        if number_errors:
            row_errors["number"] = number_errors
        if note_errors := _text_errors(CaseEvent, "note", row.get("opened_note") or ""):
            row_errors["opened_note"] = note_errors
        for field, messages in row_errors.items():
            errors[f"cases.{index}.{field}"] = messages
        cleaned_cases.append((client, cleaned))
    for number in Case.objects.filter(number__in=list(numbers)).values_list("number", flat=True):
        errors[f"cases.{numbers[number]}.number"] = [_("A case with this number already exists.")]
    cleaned_notes = []
    for index, row in enumerate(notes):
        position = row.get("case")
        if type(position) is not int or not 0 <= position < len(cases):
            errors[f"notes.{index}.case"] = [_("Choose one of the cases.")]
            continue
        case = cleaned_cases[position][1]
        cleaned, row_errors = clean_note_fields(
            contact_date=row.get("contact_date"),
            duration_minutes=row.get("duration_minutes"),
            method=row.get("method"),
            content=row.get("content"),
            participants=row.get("participants", 1),
            intake_date=case["intake_date"],
            closed_on=case["closed_on"],
            today=today,
        )
        for field, messages in row_errors.items():
            errors[f"notes.{index}.{field}"] = messages
        cleaned_notes.append((position, cleaned))
    if errors:
        raise ValidationError(errors)
    return _write(actor, agency, cases, cleaned_cases, cleaned_notes)


def _clients(actor, cases: list[dict]) -> dict[int, Person]:
    """The clients the rows name that the actor may see, by id (their community and ID type
    decide the case); a client outside the actor's scope is missing, as for ``case_open``."""
    ids = {row.get("client_id") or getattr(row.get("client"), "pk", None) for row in cases}
    ids.discard(None)
    found: dict[int, Person] = {}
    wanted = list(ids)
    for start in range(0, len(wanted), BATCH):
        batch = Person.objects.filter(pk__in=wanted[start : start + BATCH])
        for person in require(actor, batch, VIEW).only("pk", "community_id", "id_type"):
            found[person.pk] = person
    return found


def _write(actor, agency, rows, cleaned_cases, cleaned_notes) -> list[Case]:
    objects = [
        Case(
            number=row["number"],
            client_id=client.pk,
            agency=agency,
            community_id=client.community_id,
            worker_id=row["worker_id"],
            status=CaseStatus.CLOSED if row.get("closed") else CaseStatus.INTAKE,
            **cleaned,
        )
        for row, (client, cleaned) in zip(rows, cleaned_cases, strict=True)
    ]
    Case.objects.bulk_create(objects, batch_size=BATCH)
    # Not every database returns the new ids from a bulk insert: read them back by number.
    ids: dict[str, int] = {}
    numbers = [case.number for case in objects]
    for start in range(0, len(numbers), BATCH):
        ids.update(
            Case.objects.filter(number__in=numbers[start : start + BATCH]).values_list(
                "number", "pk"
            )
        )
    for case in objects:
        case.pk = ids[case.number]
    events = []
    for row, case in zip(rows, objects, strict=True):
        events.append(
            CaseEvent(
                case=case,
                kind=EventKind.OPENED,
                to_status=CaseStatus.INTAKE,
                actor=actor,
                note=one_line(row.get("opened_note") or ""),
            )
        )
        if case.status == CaseStatus.CLOSED:
            events.append(
                CaseEvent(
                    case=case,
                    kind=EventKind.STATUS,
                    from_status=CaseStatus.INTAKE,
                    to_status=CaseStatus.CLOSED,
                    actor=actor,
                    note=one_line(str(ClosureReason(case.closure_reason).label)),
                )
            )
    CaseEvent.objects.bulk_create(events, batch_size=BATCH)
    notes = [
        ServiceNote(case=objects[position], created_by_id=objects[position].worker_id, **cleaned)
        for position, cleaned in cleaned_notes
    ]
    ServiceNote.objects.bulk_create(notes, batch_size=BATCH)
    # The cases are new: every note of theirs is one of these.
    case_ids = [case.pk for case in objects]
    for start in range(0, len(case_ids), BATCH):
        count_contacts(ServiceNote.objects.filter(case_id__in=case_ids[start : start + BATCH]))
    return objects
