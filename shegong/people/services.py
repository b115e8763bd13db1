"""Writes to people. Views, the API, imports and commands all come through here."""

import datetime
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from shegong.core import crypto
from shegong.core.audit import set_actor
from shegong.core.scope import CHANGE, VIEW, OutOfScope, require
from shegong.people.choices import ConsentKind, Gender, IdType
from shegong.people.models import Consent, Person
from shegong.people.search import search_text_for
from shegong.people.validators import validate_id_number, validate_mobile

UNMASK_PERM = "people.view_unmasked_person"

PERSON_FIELDS = (
    "name",
    "gender",
    "birth_date",
    "id_type",
    "id_number",
    "mobile",
    "community",
    "owner_agency",
)


def id_number_index(id_number: str) -> str:
    return crypto.blind_index(id_number, purpose="id_number")


def mobile_index(mobile: str) -> str:
    return crypto.blind_index(mobile, purpose="mobile")


def duplicate_message(existing: Person) -> str:
    return _("A person with ID number %(masked)s already exists (%(number)s).") % {
        "masked": existing.id_number_masked,
        "number": existing.number,
    }


def clean_person_fields(data: dict, *, today: datetime.date | None = None) -> dict:
    """Validate and normalise person fields; raise one ValidationError with every field's error.

    Gender and birth date are derived from a GB 11643 number and override what was typed, since
    the number is the authority and a mismatch is a typing error.
    """
    errors: dict[str, list[str]] = {}
    cleaned = dict(data)
    name = (data.get("name") or "").strip()
    if not name:
        errors["name"] = [_("Enter the name.")]
    elif len(name) > 50:
        errors["name"] = [_("A name has at most 50 characters.")]
    cleaned["name"] = name
    cleaned["id_type"] = data.get("id_type") or IdType.RESIDENT_ID
    if data.get("id_number"):
        try:
            facts = validate_id_number(cleaned["id_type"], data["id_number"], today=today)
        except ValidationError as exc:
            errors["id_number"] = exc.messages
        else:
            cleaned["id_number"] = facts.number
            if facts.birth_date:
                cleaned["birth_date"] = facts.birth_date
                cleaned["gender"] = facts.gender
    else:
        # Every record carries its ID number: it is how duplicates are found (the import and
        # the page apply this one rule).
        errors["id_number"] = [_("Enter the ID number.")]
    if data.get("mobile"):
        try:
            cleaned["mobile"] = validate_mobile(data["mobile"])
        except ValidationError as exc:
            errors["mobile"] = exc.messages
    else:
        cleaned["mobile"] = ""
    if not cleaned.get("gender"):
        cleaned["gender"] = Gender.UNKNOWN
    # The model's own field rules (control characters, bounds on dates), here too, so that a
    # form shows every field's error at once instead of one round after another.
    for field_name in ("name", "birth_date"):
        if field_name in errors or cleaned.get(field_name) in (None, ""):
            continue
        try:
            Person._meta.get_field(field_name).run_validators(cleaned[field_name])
        except ValidationError as exc:
            errors[field_name] = exc.messages
    if errors:
        raise ValidationError(errors)
    return cleaned


# How many duplicate hits one user may get in an hour. The district keeps one identity per ID
# number, so any worker registering someone learns that the number is already on file, and whose
# record it is (masked); beyond this many, the answer would serve to probe the register.
DUPLICATE_HITS_PER_HOUR = 30


def _check_duplicate(id_number: str, *, actor, exclude_pk=None, request=None) -> None:
    """Refuse an ID number already on file, naming the record (masked). Each hit is written to
    the access log and counted against the actor's hourly allowance."""
    from shegong.core.access import RateLimited, count_within_limit, log_access
    from shegong.core.models import AccessLog
    from shegong.people.selectors import person_by_id_number

    if not id_number:
        return
    found = person_by_id_number(id_number, exclude_pk=exclude_pk or None)
    if not found:
        return
    if actor is not None:
        if not count_within_limit(
            actor, "duplicate_id", limit=DUPLICATE_HITS_PER_HOUR, window_seconds=3600
        ):
            raise RateLimited(
                {
                    "id_number": [
                        _(
                            "Too many ID numbers you entered were already on file. "
                            "Try again in an hour, or ask the person's agency."
                        )
                    ]
                }
            )
        log_access(
            user=actor,
            action=AccessLog.Action.DUPLICATE,
            obj=found,
            request=request,
            detail="id_number",
        )
    raise ValidationError({"id_number": [duplicate_message(found)]})


def log_duplicate_hits(*, actor, people, detail: str) -> None:
    """Write one access-log entry per record an import found by its ID number: a spreadsheet
    is the cheapest way to ask the register about many numbers at once, so each answer is on
    record like the form's (``_check_duplicate``)."""
    from shegong.core.models import AccessLog

    if actor is None:
        return
    AccessLog.objects.bulk_create(
        AccessLog(
            user=actor,
            action=AccessLog.Action.DUPLICATE,
            object_type=person._meta.label,
            object_id=str(person.pk),
            object_label=str(person)[:200],
            detail=detail[:300],
        )
        for person in people
    )


# Not validated again on save: the indexes and search text are derived, and the foreign keys
# hold rows the caller has just read (a form's choice, the actor, an activity's community),
# which the database's constraint checks in any case; asking for each again cost a query.
NOT_CLEANED = (
    "id_number_index",
    "mobile_index",
    "search_text",
    "community",
    "owner_agency",
    "created_by",
)


def _save(person: Person, *, cleaned: bool = False) -> Person:
    """Save ``person``, checked first unless ``cleaned`` says the caller just did."""
    if not cleaned:
        person.full_clean(exclude=list(NOT_CLEANED))
    try:
        with transaction.atomic():
            person.save()
    except IntegrityError as exc:
        # A concurrent create with the same number won the race: same message as the check.
        found = Person.objects.filter(id_number_index=id_number_index(person.id_number)).first()
        if found is None:
            raise
        raise ValidationError({"id_number": [duplicate_message(found)]}) from exc
    return person


def _check_placement(actor, cleaned: dict, *, person: Person | None = None) -> None:
    """The home community must be one the actor may choose (the same choices as the form).

    ``actor=None`` is the system itself (commands, migrations of data): no scope to check.
    """
    if actor is None or actor.is_superuser:
        return
    from shegong.people.selectors import person_community_choices

    community = cleaned.get("community")
    if community is None:
        return
    if not person_community_choices(actor, person).filter(pk=community.pk).exists():
        raise ValidationError({"community": [_("Choose a community inside your own scope.")]})


def _check_still_in_scope(actor, person: Person) -> None:
    """Refuse a write after which the actor could no longer see the person they just wrote:
    a community staff member registering someone with no community, for instance."""
    if actor is None or actor.is_superuser:
        return
    if not Person.objects.for_user(actor, "change").filter(pk=person.pk).exists():
        raise ValidationError(
            {"community": [_("Choose your own community: otherwise the record leaves your scope.")]}
        )


def person_create(*, actor, request=None, **data) -> Person:
    # Validation and the pinyin search text are the slow part: done before the write
    # transaction, which on SQLite holds the one write lock every other writer waits for.
    cleaned = clean_person_fields(data)
    search_text = search_text_for(cleaned["name"])
    _check_placement(actor, cleaned)
    # Outside the write's transaction: the access-log entry of a duplicate hit must stay.
    _check_duplicate(cleaned["id_number"], actor=actor, request=request)
    with transaction.atomic(), set_actor(actor):
        person = Person(
            created_by=actor,
            search_text=search_text,
            **{k: cleaned.get(k) for k in PERSON_FIELDS if k in cleaned},
        )
        _save(person)
        _check_still_in_scope(actor, person)
    return person


@transaction.atomic
def people_bulk_create(
    *, actor, rows: Iterable[dict], skip_existing: bool = False, batch_size: int = 500
) -> list[Person]:
    """Create many people in bulk, by the rules of ``person_create``.

    Each row (the fields of ``PERSON_FIELDS``; ``community`` and ``owner_agency`` as objects or
    as ``community_id`` / ``owner_agency_id``; ``created_by`` defaults to ``actor``) is cleaned
    by ``clean_person_fields``. An ID number already on record, or repeated among the rows, is
    an error of that row; with ``skip_existing`` such rows are left out instead (demo data run
    twice). Any error raises one ValidationError keyed by the row's position and writes
    nothing.

    For callers that place people themselves (demo data, an import that checked each row's
    community against the actor's choices): scope is not checked row by row, and the change
    history gets no entry per person; the caller records the batch (an import job's entry).
    """
    ids = ("community_id", "owner_agency_id")
    cleaned_rows = []
    errors: dict[str, list[str]] = {}
    seen: set[str] = set()
    for position, row in enumerate(rows):
        try:
            cleaned = clean_person_fields(row)
        except ValidationError as exc:
            for field, messages in exc.message_dict.items():
                errors[f"{position}.{field}"] = messages
            continue
        index = id_number_index(cleaned["id_number"]) if cleaned["id_number"] else None
        if index and index in seen:
            if not skip_existing:
                errors[f"{position}.id_number"] = [_("This ID number is earlier in the list.")]
            continue
        if index:
            seen.add(index)
        cleaned_rows.append((position, index, cleaned))
    on_record: dict[str, Person] = {}
    indexes = [index for _position, index, _cleaned in cleaned_rows if index]
    for start in range(0, len(indexes), batch_size):
        for person in Person.objects.filter(
            id_number_index__in=indexes[start : start + batch_size]
        ):
            on_record[person.id_number_index] = person
    people = []
    for position, index, cleaned in cleaned_rows:
        if index in on_record:
            if not skip_existing:
                errors[f"{position}.id_number"] = [duplicate_message(on_record[index])]
            continue
        fields = {k: cleaned[k] for k in PERSON_FIELDS if cleaned.get(k) is not None}
        fields.update({k: cleaned[k] for k in ids if cleaned.get(k) is not None})
        fields.setdefault("created_by", cleaned.get("created_by") or actor)
        people.append(Person(search_text=search_text_for(cleaned["name"]), **fields))
    if errors:
        raise ValidationError(errors)
    return Person.objects.bulk_create(people, batch_size=batch_size)


def person_update(*, actor, person: Person, request=None, **data) -> Person:
    require(actor, person, CHANGE)  # before anything is read or written
    merged = {field: getattr(person, field) for field in PERSON_FIELDS}
    merged.update(data)
    cleaned = clean_person_fields(merged)
    search_text = search_text_for(cleaned["name"])
    _check_placement(actor, cleaned, person=person)
    # Outside the write's transaction: the access-log entry of a duplicate hit must stay.
    _check_duplicate(cleaned["id_number"], actor=actor, exclude_pk=person.pk, request=request)
    with transaction.atomic(), set_actor(actor):
        for field in PERSON_FIELDS:
            setattr(person, field, cleaned.get(field))
        person.search_text = search_text
        _save(person)
        _check_still_in_scope(actor, person)
    return person


@transaction.atomic
def consent_record(
    *,
    actor,
    person: Person,
    kind: str,
    scope: str,
    given_on: datetime.date,
    given_by: str,
    guardian_relation: str = "",
    note: str = "",
) -> Consent:
    require(actor, person, CHANGE)
    errors = {}
    if given_on and given_on > datetime.date.today():
        errors["given_on"] = [_("The consent date cannot be in the future.")]
    if person.is_minor and kind != ConsentKind.GUARDIAN:
        errors["kind"] = [_("This person is under 14: a guardian must give the consent.")]
    if kind == ConsentKind.GUARDIAN and not guardian_relation.strip():
        errors["guardian_relation"] = [_("Say how the guardian is related to the person.")]
    if errors:
        raise ValidationError(errors)
    with set_actor(actor):
        consent = Consent(
            person=person,
            kind=kind,
            scope=scope,
            given_on=given_on,
            given_by=given_by.strip(),
            guardian_relation=guardian_relation.strip(),
            note=note.strip(),
            recorded_by=actor,
        )
        consent.full_clean()
        consent.save()
    return consent


@transaction.atomic
def consent_withdraw(*, actor, consent: Consent, withdrawn_on: datetime.date) -> Consent:
    require(actor, consent, CHANGE)
    if consent.withdrawn_on is not None:
        raise ValidationError({"withdrawn_on": [_("This consent was already withdrawn.")]})
    if withdrawn_on > datetime.date.today():
        raise ValidationError({"withdrawn_on": [_("The withdrawal date cannot be in the future.")]})
    if withdrawn_on < consent.given_on:
        raise ValidationError({"withdrawn_on": [_("Withdrawal cannot precede the consent.")]})
    with set_actor(actor):
        consent.withdrawn_on = withdrawn_on
        consent.save(update_fields=["withdrawn_on", "updated_at"])
    return consent


def person_reveal(*, actor, person: Person, request=None) -> dict[str, str]:
    """Unmasked ID number and mobile for a user allowed to see them; every call is logged.

    Allowed: a user with the unmasking permission, on a person in their scope. Anyone else gets
    ``OutOfScope``, as if the person did not exist."""
    from shegong.core.access import log_access
    from shegong.core.models import AccessLog

    if not actor.has_perm(UNMASK_PERM):
        raise OutOfScope
    require(actor, person, VIEW)
    log_access(
        user=actor,
        action=AccessLog.Action.UNMASK,
        obj=person,
        request=request,
        detail="id_number,mobile",
    )
    return {"id_number": person.id_number, "mobile": person.mobile}


def clean_minimal_person(data: dict) -> dict:
    """Name and mobile, both required: what a resident gives when checking in to an activity."""
    errors: dict[str, list[str]] = {}
    name = (data.get("name") or "").strip()
    if not name:
        errors["name"] = [_("Enter the name.")]
    elif len(name) > 50:
        errors["name"] = [_("A name has at most 50 characters.")]
    else:
        try:
            Person._meta.get_field("name").run_validators(name)
        except ValidationError as exc:
            errors["name"] = exc.messages
    mobile = ""
    if not data.get("mobile"):
        errors["mobile"] = [_("Enter the mobile number.")]
    else:
        try:
            mobile = validate_mobile(data["mobile"])
        except ValidationError as exc:
            errors["mobile"] = exc.messages
    if errors:
        raise ValidationError(errors)
    return {"name": name, "mobile": mobile}


def person_create_minimal(*, actor, name: str, mobile: str, community, owner_agency=None) -> Person:
    """A person known by name and mobile only (a walk-in at an activity, a resident checking
    in by QR code), without an ID number; the file is completed later through ``person_update``.

    ``actor=None``: the resident themself on the public check-in page; no scope to check.
    """
    person = person_build_minimal(
        actor=actor, name=name, mobile=mobile, community=community, owner_agency=owner_agency
    )
    return person_save_built(actor=actor, person=person)


def person_build_minimal(*, actor, name: str, mobile: str, community, owner_agency=None) -> Person:
    """The checked, unsaved person ``person_create_minimal`` saves. A caller that must decide
    under a lock whether to create them (the public check-in) builds them before taking it
    and saves them with ``person_save_built``: the lock is held for the write alone."""
    cleaned = clean_minimal_person({"name": name, "mobile": mobile})
    cleaned.update(community=community, owner_agency=owner_agency)
    _check_placement(actor, cleaned)
    person = Person(created_by=actor, search_text=search_text_for(cleaned["name"]), **cleaned)
    person.full_clean(exclude=list(NOT_CLEANED))
    return person


def person_save_built(*, actor, person: Person) -> Person:
    """Save a person from ``person_build_minimal`` (by the same actor)."""
    with transaction.atomic(), set_actor(actor):
        _save(person, cleaned=True)
        _check_still_in_scope(actor, person)
    return person
