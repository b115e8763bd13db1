"""Writes to activities. Pages, the API, the public check-in and the demo all come through here."""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _

from shegong.activities import state
from shegong.activities.choices import (
    ActivityKind,
    AttendanceSource,
    GroupStage,
    RegistrationStatus,
)
from shegong.activities.models import (
    AGENCY_LEADS,
    MAX_CAPACITY,
    Activity,
    ActivitySession,
    Attendance,
    Registration,
)
from shegong.core.audit import set_actor
from shegong.core.capacity import capacity_and_taken
from shegong.core.checkin import CheckinResult
from shegong.core.scope import CHANGE, require, user_assignments
from shegong.core.validators import model_errors

ACTIVITY_FIELDS = (
    "title",
    "category",
    "description",
    "starts_on",
    "ends_on",
    "pairing",
    "project",
)
SESSION_FIELDS = ("starts_at", "ends_at", "place", "capacity")
# The public check-in opens this long before a session starts; its link works until this long
# after the session ends.
CHECKIN_OPENS_BEFORE = datetime.timedelta(hours=2)
CHECKIN_CLOSES_AFTER = datetime.timedelta(hours=2)


# --- who organises ---------------------------------------------------------------------------


def organising_agencies(user):
    """The agencies the user leads (director, supervisor): they organise activities for them."""
    from shegong.agencies.selectors import agencies_for

    ids = {a.agency_id for a in user_assignments(user) if a.agency_id and a.role in AGENCY_LEADS}
    return agencies_for(user).filter(pk__in=ids).order_by("name")


def organising_communities(user):
    """The communities whose staff the user is: they organise activities there themselves."""
    from shegong.places.models import Community

    ids = {
        a.community_id
        for a in user_assignments(user)
        if a.community_id and a.role == "community_staff"
    }
    return Community.objects.filter(pk__in=ids).select_related("street").order_by("code")


def served_communities(user, agency=None):
    """Communities an activity may serve: the staff's own, or any in the district of the
    organising agency (agencies serve residents across the district)."""
    from shegong.places.models import Community

    qs = organising_communities(user)
    if agency is not None:
        qs = qs | Community.objects.filter(street__district=agency.community.street.district_id)
    else:
        agencies = organising_agencies(user)
        if agencies.exists():
            districts = agencies.values("community__street__district")
            qs = qs | Community.objects.filter(street__district__in=districts)
    return qs.distinct().select_related("street").order_by("code")


def may_create_activity(user) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    return (
        user.is_superuser
        or organising_agencies(user).exists()
        or organising_communities(user).exists()
    )


# --- activities -------------------------------------------------------------------------------


def _check_period(data: dict, errors: dict) -> None:
    starts, ends = data.get("starts_on"), data.get("ends_on")
    if starts and ends and ends < starts:
        errors.setdefault("ends_on", []).append(_("The end cannot come before the start."))


def _check_organiser(actor, *, agency, community) -> dict[str, list[str]]:
    """An agency's leads organise for their agency, in any community of its district; community
    staff organise in their own community, without an agency."""
    errors: dict[str, list[str]] = {}
    if actor.is_superuser:
        if community is None:
            errors["community"] = [_("Choose the community the activity serves.")]
        return errors
    if agency is not None:
        if not organising_agencies(actor).filter(pk=agency.pk).exists():
            errors["agency"] = [_("Choose an agency you lead.")]
            return errors
        allowed = served_communities(actor, agency)
    elif organising_communities(actor).exists():
        allowed = organising_communities(actor)
    else:
        errors["agency"] = [_("Choose the organising agency.")]
        return errors
    if community is None:
        errors["community"] = [_("Choose the community the activity serves.")]
    elif not allowed.filter(pk=community.pk).exists():
        errors["community"] = [_("Choose a community inside your own scope.")]
    return errors


def pairing_choices(user, *, community=None, agency=None, keep=None):
    """Agreements an activity may belong to: in the user's view, draft or active (or ``keep``,
    the one it belongs to already), and (when known) pairing this community with this agency."""
    from django.db.models import Q

    from shegong.pairing.choices import AgreementStatus
    from shegong.pairing.models import PairingAgreement

    rows = PairingAgreement.objects.for_user(user).filter(
        Q(status__in=(AgreementStatus.DRAFT, AgreementStatus.ACTIVE)) | Q(pk=keep)
    )
    if community is not None:
        rows = rows.filter(community=community)
    if agency is not None:
        rows = rows.filter(agency=agency)
    elif not user.is_superuser:
        rows = rows.filter(agency__in=organising_agencies(user))
    return rows.select_related("community", "agency").order_by("-starts_on", "pk")


def pairing_missing_error() -> ValidationError:
    """A pairing agreement not found, or out of the actor's view: the same answer."""
    return ValidationError({"pairing": [_("Choose a pairing agreement you may see.")]})


def _check_pairing(
    actor, pairing, *, community, agency, starts_on, errors: dict, linking: bool = True
) -> None:
    """A joint activity belongs to an agreement the actor sees, still draft or active, that
    pairs the activity's community with its organising agency, and starts within the
    agreement's period. ``linking=False``: the link stands, only the activity's dates moved."""
    from shegong.pairing.choices import AgreementStatus
    from shegong.pairing.models import PairingAgreement

    if pairing is None:
        return
    if linking:
        if actor is not None and not (
            PairingAgreement.objects.for_user(actor).filter(pk=pairing.pk).exists()
        ):
            errors["pairing"] = pairing_missing_error().message_dict["pairing"]
            return
        if pairing.status not in (AgreementStatus.DRAFT, AgreementStatus.ACTIVE):
            errors["pairing"] = [_("This pairing agreement has ended: choose a current one.")]
            return
        if (
            agency is None
            or pairing.agency_id != agency.pk
            or pairing.community_id != getattr(community, "pk", None)
        ):
            errors["pairing"] = [
                _(
                    "This agreement pairs %(community)s with %(agency)s: the activity must "
                    "serve that community and be organised by that agency."
                )
                % {"community": pairing.community.name, "agency": pairing.agency.name}
            ]
            return
    if isinstance(starts_on, datetime.date) and not (
        pairing.starts_on <= starts_on <= pairing.ends_on
    ):
        errors.setdefault("starts_on", []).append(
            _("A joint activity starts within its agreement's period, %(start)s to %(end)s.")
            % {"start": pairing.starts_on.isoformat(), "end": pairing.ends_on.isoformat()}
        )


def project_choices(user, *, community=None, agency=None):
    """Purchased-service projects an activity may be delivered under: in the user's view, of
    the organising agency (or, not yet known, of an agency the user leads) and, when known,
    serving the activity's community."""
    from shegong.purchasing.models import Project

    rows = Project.objects.for_user(user)
    if agency is not None:
        rows = rows.filter(agency=agency)
    elif not user.is_superuser:
        rows = rows.filter(agency__in=organising_agencies(user))
    if community is not None:
        rows = rows.filter(communities=community)
    return rows.select_related("agency").order_by("-starts_on", "pk")


def project_missing_error() -> ValidationError:
    """A project not found, or out of the actor's view: the same answer."""
    return ValidationError({"project": [_("Choose a purchased-service project you may see.")]})


def _check_project(actor, project, *, community, agency, starts_on, errors: dict) -> None:
    """An activity delivered under a project: one the actor sees, of the activity's organising
    agency, serving its community, and starting within the project's period (the KPI actuals
    count the sessions in the period)."""
    from shegong.purchasing.models import Project

    if project is None:
        return
    if actor is not None and not Project.objects.for_user(actor).filter(pk=project.pk).exists():
        errors["project"] = project_missing_error().message_dict["project"]
        return
    serves = community is not None and project.communities.filter(pk=community.pk).exists()
    if agency is None or project.agency_id != agency.pk or not serves:
        errors["project"] = [
            _(
                "This project is %(agency)s's: the activity must be organised by that agency "
                "in one of the project's communities."
            )
            % {"agency": project.agency.name}
        ]
        return
    if isinstance(starts_on, datetime.date) and not (
        project.starts_on <= starts_on <= project.ends_on
    ):
        errors.setdefault("starts_on", []).append(
            _("An activity of a project starts within its period, %(start)s to %(end)s.")
            % {"start": project.starts_on.isoformat(), "end": project.ends_on.isoformat()}
        )


def activity_create(
    *,
    actor,
    kind: str,
    title: str,
    community,
    starts_on: datetime.date,
    ends_on: datetime.date,
    category: str = "other",
    description: str = "",
    agency=None,
    pairing=None,
    project=None,
) -> Activity:
    """A group or community activity, organised by ``agency`` (a lead of it) or, without one,
    by the community's own staff."""
    if not may_create_activity(actor):
        raise PermissionDenied(_("You may not organise activities."))
    errors = _check_organiser(actor, agency=agency, community=community)
    if not errors:
        _check_pairing(
            actor,
            pairing,
            community=community,
            agency=agency,
            starts_on=starts_on,
            errors=errors,
        )
        _check_project(
            actor, project, community=community, agency=agency, starts_on=starts_on, errors=errors
        )
    activity = Activity(
        kind=kind,
        title=(title or "").strip(),
        category=category,
        description=(description or "").strip(),
        community=community,
        agency=agency,
        pairing=pairing,
        project=project,
        starts_on=starts_on,
        ends_on=ends_on,
        stage=GroupStage.PREPARING if kind == ActivityKind.GROUP else "",
        created_by=actor,
    )
    _check_period({"starts_on": starts_on, "ends_on": ends_on}, errors)
    skip = [name for name in ("community", "agency", "pairing", "project") if name in errors]
    for field, messages in model_errors(activity, exclude=skip).items():
        if field != "__all__":  # the period's constraint: said by _check_period, on its field
            errors.setdefault(field, []).extend(messages)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic(), set_actor(actor):
        activity.save()
    return activity


def activity_update(*, actor, activity: Activity, **data) -> Activity:
    require(actor, activity, CHANGE)
    unknown = set(data) - set(ACTIVITY_FIELDS)
    if unknown:
        raise ValidationError({name: [_("This field cannot be changed.")] for name in unknown})
    for name in ("title", "description"):
        if isinstance(data.get(name), str):
            data[name] = data[name].strip()
    merged = {name: getattr(activity, name) for name in ACTIVITY_FIELDS} | data
    errors: dict[str, list[str]] = {}
    _check_period(merged, errors)
    linking = "pairing" in data and getattr(data["pairing"], "pk", None) != activity.pairing_id
    if linking or "starts_on" in data:
        _check_pairing(
            actor,
            data.get("pairing", activity.pairing),
            community=activity.community,
            agency=activity.agency,
            starts_on=merged["starts_on"],
            errors=errors,
            linking=linking,
        )
    project = data.get("project", activity.project)
    if project is not None and ("project" in data or "starts_on" in data):
        _check_project(
            actor if "project" in data else None,  # a link that stands needs no new look
            project,
            community=activity.community,
            agency=activity.agency,
            starts_on=merged["starts_on"],
            errors=errors,
        )
    for name, value in data.items():
        setattr(activity, name, value)
    skip = [name for name in ("pairing", "project") if name in errors]
    for field, messages in model_errors(activity, exclude=skip).items():
        errors.setdefault(field, []).extend(messages)
    if errors:
        activity.refresh_from_db()
        raise ValidationError(errors)
    with transaction.atomic(), set_actor(actor):
        activity.save()
    return activity


def activity_move_stage(*, actor, activity: Activity, to: str) -> Activity:
    """Move a group to its next stage, or end it (``cases/state.py``'s counterpart)."""
    require(actor, activity, CHANGE)
    with transaction.atomic(), set_actor(actor):
        current = Activity.objects.select_for_update().get(pk=activity.pk)
        state.check_move(current, to)
        current.stage = to
        current.save(update_fields=["stage", "updated_at"])
    activity.stage = to
    return activity


# --- sessions ---------------------------------------------------------------------------------


def _check_session(data: dict, errors: dict) -> None:
    starts, ends = data.get("starts_at"), data.get("ends_at")
    if starts and ends and ends <= starts:
        errors.setdefault("ends_at", []).append(_("A session ends after it starts."))
    capacity = data.get("capacity")
    if capacity is not None and not 1 <= capacity <= MAX_CAPACITY:
        errors.setdefault("capacity", []).append(
            _("Capacity is between 1 and %(max)s people.") % {"max": MAX_CAPACITY}
        )


def session_create(
    *, actor, activity: Activity, starts_at, ends_at, place: str, capacity: int
) -> ActivitySession:
    require(actor, activity, CHANGE)
    errors: dict[str, list[str]] = {}
    if activity.stage == GroupStage.ENDED:
        errors["starts_at"] = [_("This group has ended: it gets no new sessions.")]
    session = ActivitySession(
        activity=activity,
        starts_at=starts_at,
        ends_at=ends_at,
        place=(place or "").strip(),
        capacity=capacity,
    )
    _check_session({"starts_at": starts_at, "ends_at": ends_at, "capacity": capacity}, errors)
    for field, messages in model_errors(session).items():
        errors.setdefault(field, []).extend(messages)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic(), set_actor(actor):
        session.save()
    return session


def session_update(*, actor, session: ActivitySession, **data) -> ActivitySession:
    require(actor, session, CHANGE)
    unknown = set(data) - set(SESSION_FIELDS)
    if unknown:
        raise ValidationError({name: [_("This field cannot be changed.")] for name in unknown})
    if isinstance(data.get("place"), str):
        data["place"] = data["place"].strip()
    merged = {name: getattr(session, name) for name in SESSION_FIELDS} | data
    errors: dict[str, list[str]] = {}
    _check_session(merged, errors)
    if (
        "capacity" in data
        and data["capacity"] is not None
        and data["capacity"] < max(_registered(session).count(), session.attendances.count())
    ):
        errors.setdefault("capacity", []).append(
            _("More people have signed up or attended than this capacity.")
        )
    for name, value in data.items():
        setattr(session, name, value)
    for field, messages in model_errors(session).items():
        errors.setdefault(field, []).extend(messages)
    if errors:
        session.refresh_from_db()
        raise ValidationError(errors)
    with transaction.atomic(), set_actor(actor):
        session.save()
    return session


# --- sign-up ----------------------------------------------------------------------------------


def _registered(session):
    return Registration.objects.filter(session=session, status=RegistrationStatus.REGISTERED)


def _lock(session: ActivitySession) -> ActivitySession:
    """Take the session's row lock (PostgreSQL; SQLite's writers queue on the one write lock
    already): two sign-ups for the last place count one after the other."""
    return ActivitySession.objects.select_for_update().get(pk=session.pk)


def _places_under_lock(session: ActivitySession) -> tuple[int, int]:
    """The session's capacity and attendances so far, with its row lock (``_lock``)."""
    places = capacity_and_taken(session, counted=Attendance, link="session_id")
    if places is None:
        raise ValidationError(_("Check-in for this session is closed."))
    return places


def _register(*, actor, session, person) -> Registration:
    full = _("This session is full (%(n)s places).")
    with transaction.atomic(), set_actor(actor):
        locked = _lock(session)
        existing = Registration.objects.filter(session=locked, person=person).first()
        if existing and existing.status == RegistrationStatus.REGISTERED:
            raise ValidationError({"person": [_("This person has signed up already.")]})
        if _registered(locked).count() >= locked.capacity:
            raise ValidationError({"person": [full % {"n": locked.capacity}]})
        if existing:
            existing.status = RegistrationStatus.REGISTERED
            existing.registered_by = actor
            existing.save(update_fields=["status", "registered_by", "updated_at"])
            return existing
        return Registration.objects.create(session=locked, person=person, registered_by=actor)


def _check_open_for_sign_up(session) -> None:
    if session.ends_at <= timezone.now():
        raise ValidationError({"session": [_("This session is over: sign-up is closed.")]})
    if session.activity.stage == GroupStage.ENDED:
        raise ValidationError({"session": [_("This group has ended: sign-up is closed.")]})


def registration_create(*, actor, session: ActivitySession, person) -> Registration:
    """Staff sign someone up (a group's members, a resident who phoned in)."""
    require(actor, session, CHANGE)
    if person is None:
        raise ValidationError({"person": [_("Choose the person to sign up.")]})
    _require_person(actor, person)
    _check_open_for_sign_up(session)
    return _register(actor=actor, session=session, person=person)


def _require_person(actor, person) -> None:
    from shegong.people.selectors import people_for

    if not people_for(actor).filter(pk=person.pk).exists():
        # Out of scope reads like missing: the same message as no choice at all.
        raise ValidationError({"person": [_("Choose the person to sign up.")]})


def registration_self(*, user, session: ActivitySession) -> Registration:
    """A signed-in resident signs themself up for a community activity (open to residents).
    A group's members are chosen by its staff."""
    person = getattr(user, "person", None)
    if person is None:
        raise ValidationError(
            {"person": [_("Your account is not linked to a person record: ask your community.")]}
        )
    if session.activity.kind != ActivityKind.COMMUNITY:
        raise ValidationError({"session": [_("Group members are signed up by the group's staff.")]})
    _check_open_for_sign_up(session)
    return _register(actor=user, session=session, person=person)


def registration_cancel(*, actor, registration: Registration) -> Registration:
    """Staff cancel a sign-up, or the person cancels their own; the place becomes free."""
    own = getattr(actor, "person_id", None) and actor.person_id == registration.person_id
    if not own:
        require(actor, registration, CHANGE)
    if registration.status == RegistrationStatus.CANCELLED:
        raise ValidationError({"registration": [_("This sign-up was cancelled already.")]})
    with transaction.atomic(), set_actor(actor):
        registration.status = RegistrationStatus.CANCELLED
        registration.save(update_fields=["status", "updated_at"])
    return registration


# --- attendance -------------------------------------------------------------------------------


def _attend(*, actor, session, person, source: str, walk_in: bool) -> tuple[Attendance, bool]:
    """One attendance per person and session: a second time returns the first (counts once).
    The session's capacity bounds the attendances too."""
    existing = Attendance.objects.filter(session=session, person=person).first()
    if existing:
        return existing, False
    try:
        with transaction.atomic(), set_actor(actor):
            locked = _lock(session)
            existing = Attendance.objects.filter(session=locked, person=person).first()
            if existing:
                return existing, False
            if Attendance.objects.filter(session=locked).count() >= locked.capacity:
                raise ValidationError(
                    _("This session is full (%(n)s places).") % {"n": locked.capacity}
                )
            attendance = Attendance.objects.create(
                session=locked,
                person=person,
                source=source,
                walk_in=walk_in,
                recorded_by=actor,
            )
    except IntegrityError:
        # The same person at the same instant from two phones: the other one won.
        existing = Attendance.objects.filter(session=session, person=person).first()
        if existing is None:
            raise
        return existing, False
    return attendance, True


def attendance_mark(*, actor, session: ActivitySession, person) -> tuple[Attendance, bool]:
    """Staff mark a registrant (or anyone in their scope) present."""
    require(actor, session, CHANGE)
    if person is None:
        raise ValidationError({"person": [_("Choose the person to sign up.")]})
    registered = _registered(session).filter(person=person).exists()
    if not registered:
        _require_person(actor, person)
    return _attend(
        actor=actor,
        session=session,
        person=person,
        source=AttendanceSource.STAFF,
        walk_in=not registered,
    )


def _find_or_create_person(*, actor, session, name: str, mobile: str):
    """The person with this name and mobile, or a new minimal record. Runs inside the caller's
    transaction after the session's lock (``_lock``): two people checking in as the same new
    resident at once make one record, not two."""
    from shegong.people.selectors import person_by_name_and_mobile
    from shegong.people.services import clean_minimal_person, person_create_minimal

    cleaned = clean_minimal_person({"name": name, "mobile": mobile})
    _lock(session)
    person = person_by_name_and_mobile(cleaned["name"], cleaned["mobile"])
    if person is not None:
        return person
    activity = session.activity
    return person_create_minimal(
        actor=actor,
        name=cleaned["name"],
        mobile=cleaned["mobile"],
        community=activity.community,
        owner_agency=activity.agency,
    )


def attendance_walk_in(
    *, actor, session: ActivitySession, name: str, mobile: str
) -> tuple[Attendance, bool]:
    """Staff add someone who came without signing up: matched by name and mobile to the person
    on file, or registered with just those."""
    require(actor, session, CHANGE)
    # One transaction: a refusal (the session is full) keeps no new person either.
    with transaction.atomic():
        person = _find_or_create_person(actor=actor, session=session, name=name, mobile=mobile)
        return _attend(
            actor=actor,
            session=session,
            person=person,
            source=AttendanceSource.STAFF,
            walk_in=True,
        )


def check_in_window(session, now=None) -> str | None:
    """Why the public check-in is not open now, or None when it is."""
    now = now or timezone.now()
    if now < session.starts_at - CHECKIN_OPENS_BEFORE:
        return _("Check-in opens two hours before the session starts.")
    if now > session.ends_at + CHECKIN_CLOSES_AFTER:
        return _("Check-in for this session is closed.")
    return None


def _signed_up_person(activity, cleaned: dict):
    """The person signed up for the activity with this name and mobile. Several records may
    share them (a walk-in checked in by name and mobile, registered again by staff with an ID
    number): the one signed up is the one checking in, not the earliest on file."""
    from shegong.people.services import mobile_index

    registration = (
        Registration.objects.filter(
            session__activity=activity,
            status=RegistrationStatus.REGISTERED,
            person__name=cleaned["name"],
            person__mobile_index=mobile_index(cleaned["mobile"]),
        )
        .select_related("person")
        .first()
    )
    return registration.person if registration is not None else None


def attendance_check_in(
    session: ActivitySession, *, name: str, mobile: str, claim=None
) -> CheckinResult:
    """A resident checks in on their phone (the public page, no login): matched to the person
    on file by name and mobile, or registered with those. A group takes its members only.

    Three hundred people may scan the code within a minute: everything that only reads or
    computes (cleaning, the mobile's blind index, finding the person, the group's members, a
    second scan of someone already in) happens before the write transaction, which on SQLite
    holds the one write lock from its first statement. Inside it, ``claim`` (the form's
    one-time nonce, from the public page) comes first, then what must be decided under the
    lock: the person created if still missing, the capacity, the attendance."""
    closed = check_in_window(session)
    if closed:
        raise ValidationError(closed)
    from shegong.people.selectors import person_by_name_and_mobile
    from shegong.people.services import (
        clean_minimal_person,
        person_build_minimal,
        person_save_built,
    )

    cleaned = clean_minimal_person({"name": name, "mobile": mobile})
    activity = session.activity
    signed_up = _signed_up_person(activity, cleaned)
    if activity.kind == ActivityKind.GROUP and signed_up is None:
        raise ValidationError(
            _("This group takes its signed-up members only: ask the staff on site.")
        )
    person = signed_up or person_by_name_and_mobile(cleaned["name"], cleaned["mobile"])
    registered = person is not None and _registered(session).filter(person=person).exists()
    if person is not None and Attendance.objects.filter(session=session, person=person).exists():
        with transaction.atomic():  # a second scan: counted once, the form used up all the same
            if claim:
                claim()
        return CheckinResult(created=False, name=person.name)
    newcomer = None
    if person is None:
        # Built and checked now, saved under the lock only if still nobody on file has them.
        newcomer = person_build_minimal(
            actor=None,
            name=cleaned["name"],
            mobile=cleaned["mobile"],
            community=activity.community,
            owner_agency=activity.agency,
        )
    with transaction.atomic():
        if claim:
            claim()
        capacity, taken = _places_under_lock(session)
        saved_now = False
        if person is None:
            # Under the lock: two phones checking in the same new resident make one record.
            person = person_by_name_and_mobile(cleaned["name"], cleaned["mobile"])
            if person is None:
                person = person_save_built(actor=None, person=newcomer)
                saved_now = True
            else:  # registered by another phone meanwhile, maybe checked in by it too
                registered = _registered(session).filter(person=person).exists()
        if not saved_now and Attendance.objects.filter(session=session, person=person).exists():
            # Already in: said so even when the session has filled up since.
            return CheckinResult(created=False, name=person.name)
        if taken >= capacity:
            raise ValidationError(_("This session is full (%(n)s places).") % {"n": capacity})
        try:
            with transaction.atomic(), set_actor(None):
                Attendance.objects.create(
                    session=session,
                    person=person,
                    source=AttendanceSource.CHECKIN,
                    walk_in=not registered,
                    recorded_by=None,
                )
        except IntegrityError:
            # The same person at the same instant from two phones: the other one won.
            return CheckinResult(created=False, name=person.name)
    return CheckinResult(created=True, name=person.name)


def session_checkin_expiry(session: ActivitySession) -> datetime.datetime:
    return session.ends_at + CHECKIN_CLOSES_AFTER


def session_describe(session: ActivitySession) -> dict:
    """What the public check-in page shows: the session, nothing about anyone."""
    activity = session.activity
    local = timezone.localtime(session.starts_at)
    return {
        "title": activity.title,
        "lines": [
            (_("Time"), f"{local:%Y-%m-%d %H:%M}–{timezone.localtime(session.ends_at):%H:%M}"),
            (_("Place"), session.place),
            (_("Organiser"), activity.organiser_name),
        ],
    }


def registration_by_contact(
    *, actor, session: ActivitySession, name: str, mobile: str
) -> Registration:
    """Staff sign up someone by name and mobile: the person on file, or registered with those."""
    require(actor, session, CHANGE)
    _check_open_for_sign_up(session)
    # One transaction: a refusal (the session is full) keeps no new person either.
    with transaction.atomic():
        person = _find_or_create_person(actor=actor, session=session, name=name, mobile=mobile)
        return _register(actor=actor, session=session, person=person)


# --- attendance in bulk (the spreadsheet import) ----------------------------------------------

_DATE_SEPARATORS = str.maketrans({"/": "-", ".": "-", "年": "-", "月": "-", "日": None})
EARLIEST_ATTENDANCE = datetime.date(2000, 1, 1)


def clean_attendance_date(value, *, today: datetime.date) -> datetime.date:
    """The day of an attendance as a sheet gives it (a date cell, ``2025-03-08``,
    ``2025/3/8``, ``2025.3.8`` or ``2025年3月8日``); neither in the future nor before 2000."""
    if isinstance(value, datetime.datetime):
        day = value.date()
    elif isinstance(value, datetime.date):
        day = value
    else:
        text = (value or "").strip()
        if not text:
            raise ValidationError(_("Enter the date."))
        head = text.split("T")[0].split(" ")[0].translate(_DATE_SEPARATORS).strip("-")
        try:
            year, month, day_of_month = (int(part) for part in head.split("-"))
            day = datetime.date(year, month, day_of_month)
        except ValueError:
            raise ValidationError(_("Enter a date such as 2025-03-08.")) from None
    if day > today:
        raise ValidationError(_("This date is in the future."))
    if day < EARLIEST_ATTENDANCE:
        raise ValidationError(_("This date is too early."))
    return day


def clean_attendee(data: dict, *, today: datetime.date | None = None) -> dict:
    """Who attended, as a sheet names them: the name, and an ID number or a mobile (or both)
    to find them on file. Raises one ValidationError with every field's error; returns the
    normalised ``name``, ``id_number`` and ``mobile`` (empty when not given). The messages
    never echo a number."""
    from shegong.people.choices import PERMIT_PREFIX, IdType
    from shegong.people.models import Person
    from shegong.people.validators import (
        PASSPORT_RE,
        normalise_id_number,
        validate_id_number,
        validate_mobile,
    )

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
    id_number = normalise_id_number(data.get("id_number") or "")
    if len(id_number) == 18:
        # A resident ID or a residence permit (the same GB 11643 form, told by its prefix).
        permits = {prefix: kind for kind, prefix in PERMIT_PREFIX.items()}
        id_type = permits.get(id_number[:6], IdType.RESIDENT_ID)
        try:
            id_number = validate_id_number(id_type, id_number, today=today).number
        except ValidationError as exc:
            errors["id_number"] = exc.messages
    elif id_number and not PASSPORT_RE.match(id_number):
        errors["id_number"] = [_("Enter a valid ID number.")]
    mobile = ""
    if data.get("mobile"):
        try:
            mobile = validate_mobile(data["mobile"])
        except ValidationError as exc:
            errors["mobile"] = exc.messages
    elif not id_number:
        errors["id_number"] = [_("Enter the ID number or the mobile number.")]
    if errors:
        raise ValidationError(errors)
    return {"name": name, "id_number": id_number, "mobile": mobile}


def _ids_subquery(ids):
    """``pk__in`` for thousands of ids as ONE parameter (a JSON array for SQLite, an array for
    PostgreSQL): a placeholder each costs more than the query (see people's
    ``id_indexes_on_record``)."""
    import json

    from django.db import connection
    from django.db.models.expressions import RawSQL

    if connection.vendor == "postgresql":
        return RawSQL("SELECT unnest(%s::bigint[])", [list(ids)])
    return RawSQL("SELECT value FROM json_each(%s)", [json.dumps(list(ids))])


def attendance_bulk_create(
    *, actor, rows, source: str = AttendanceSource.IMPORT, batch: int = 2000
) -> int:
    """Record many attendances at once, by the rules of ``attendance_mark``; returns how many.

    ``rows`` are ``(session id, person id)`` pairs. Every session must be one the actor may
    change; every person one the actor sees, or signed up for that session; a pair may not
    repeat, nor be on record already, and a session takes no more than its capacity. Any
    error raises one ValidationError keyed ``<position>.<field>`` and writes nothing. The rows
    go in with one ``executemany`` per ``batch`` inside the caller's transaction (an import
    job's, whose change-history entry stands for them all), else in one of their own.
    """
    from auditlog.context import disable_auditlog
    from django.db import connection

    from shegong.people.selectors import people_for

    rows = [(int(session_id), int(person_id)) for session_id, person_id in rows]
    if not rows:
        return 0
    session_ids = {session_id for session_id, _person in rows}
    person_ids = {person_id for _session, person_id in rows}
    allowed = dict(
        require(
            actor, ActivitySession.objects.filter(pk__in=_ids_subquery(session_ids)), CHANGE
        ).values_list("pk", "capacity")
    )
    in_scope = people_for(actor).filter(pk__in=_ids_subquery(person_ids)).order_by()
    visible = set(in_scope.values_list("pk", flat=True))
    taken = dict(
        Attendance.objects.filter(session_id__in=_ids_subquery(session_ids))
        .values_list("session_id")
        .annotate(n=Count("id"))
        .values_list("session_id", "n")
    )
    # Pairs are looked up only in sessions that have any sign-up / any attendance at all:
    # a session being filled from a sheet usually has neither.
    signed_up = set(
        Registration.objects.filter(
            session_id__in=_ids_subquery(session_ids), status=RegistrationStatus.REGISTERED
        )
        .values_list("session_id", flat=True)
        .distinct()
    )
    registered = _pairs_in(
        Registration.objects.filter(status=RegistrationStatus.REGISTERED), rows, signed_up
    )
    on_record = _pairs_in(Attendance.objects.all(), rows, set(taken))
    errors: dict[str, list[str]] = {}
    seen: set[tuple[int, int]] = set()
    walk_ins = []
    for position, pair in enumerate(rows):
        session_id, person_id = pair
        if session_id not in allowed:
            # Out of scope reads like missing, as everywhere.
            errors[f"{position}.session"] = [_("Unknown session.")]
            continue
        if person_id not in visible and pair not in registered:
            errors[f"{position}.person"] = [_("Choose the person to sign up.")]
            continue
        if pair in seen:
            errors[f"{position}.person"] = [_("This person is earlier in the list.")]
            continue
        seen.add(pair)
        if pair in on_record:
            errors[f"{position}.person"] = [_("This person's attendance is on record already.")]
            continue
        taken[session_id] = taken.get(session_id, 0) + 1
        if taken[session_id] > allowed[session_id]:
            errors[f"{position}.session"] = [
                _("This session is full (%(n)s places).") % {"n": allowed[session_id]}
            ]
            continue
        walk_ins.append(pair not in registered)
    if errors:
        raise ValidationError(errors)
    sql, fixed = _attendance_insert(connection, source=source, actor=actor)
    # In index order: the (session, person) index is written page after page, not at random.
    values = [
        (*pair, walk_in, *fixed) for pair, walk_in in sorted(zip(rows, walk_ins, strict=True))
    ]
    with transaction.atomic(), disable_auditlog(), connection.cursor() as cursor:
        for start in range(0, len(values), batch):
            cursor.executemany(sql, values[start : start + batch])
    return len(values)


def _pairs_in(queryset, rows, sessions: set[int]) -> set[tuple[int, int]]:
    """Which of the (session, person) ``rows`` in ``sessions`` the queryset holds."""
    asked = [(s, p) for s, p in rows if s in sessions]
    if not asked:
        return set()
    found = queryset.filter(
        session_id__in=_ids_subquery({s for s, _p in asked}),
        person_id__in=_ids_subquery({p for _s, p in asked}),
    ).values_list("session_id", "person_id")
    return set(found)


def _attendance_insert(connection, *, source: str, actor):
    """The INSERT of Attendance's concrete fields, and the values of all but the first three
    (session, person, walk-in), which are the same for every row: ``bulk_create`` without
    its per-object work (as people's import)."""
    now = timezone.now()
    meta = Attendance._meta
    given = {"source": source, "recorded_by_id": getattr(actor, "pk", None)}
    varying = [meta.get_field(name) for name in ("session", "person", "walk_in")]
    fields = varying + [
        field for field in meta.concrete_fields if not field.primary_key and field not in varying
    ]
    fixed = []
    for field in fields[len(varying) :]:
        if field.attname in given:
            value = given[field.attname]
        elif getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
            value = field.get_db_prep_save(now, connection)
        else:
            value = field.get_db_prep_save(field.get_default(), connection)
        fixed.append(value)
    ops = connection.ops
    table = ops.quote_name(meta.db_table)
    columns = ", ".join(ops.quote_name(field.column) for field in fields)
    marks = ", ".join(["%s"] * len(fields))
    sql = f"INSERT INTO {table} ({columns}) VALUES ({marks})"  # noqa: S608 - names from the model
    return sql, tuple(fixed)
