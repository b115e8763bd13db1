"""Writes to volunteers. Pages, the API, the public check-in and the demo all come through here."""

import datetime
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from shegong.core.audit import set_actor
from shegong.core.checkin import CheckinResult
from shegong.core.scope import CHANGE, VIEW, require, user_assignments
from shegong.core.validators import model_errors, visible_text
from shegong.places.models import Community
from shegong.volunteers import state
from shegong.volunteers.choices import (
    HoursSource,
    HoursStatus,
    PointsKind,
    SignupStatus,
    VolunteerStatus,
)
from shegong.volunteers.models import (
    AGENCY_LEADS,
    MAX_SHIFT_CAPACITY,
    Certificate,
    PointsEntry,
    ServiceHours,
    ShiftSignup,
    VolunteerProfile,
    VolunteerShift,
    VolunteerTeam,
)

# Hours from check-in/out: the duration rounded to the half hour, at most the session's length
# plus this margin (a volunteer who forgets to scan out does not collect a night's hours).
HOURS_MARGIN = datetime.timedelta(minutes=30)
MIN_CHECKOUT_AFTER = datetime.timedelta(minutes=15)
# A volunteer's hours of one day, pending or approved, over all activities.
MAX_HOURS_PER_DAY = Decimal("24")
MAX_EXCHANGE_POINTS = 100_000
NUMBER_RETRIES = 5


def points_per_hour() -> int:
    return int(getattr(settings, "VOLUNTEER_POINTS_PER_HOUR", 10))


def number_prefix() -> str:
    return getattr(settings, "VOLUNTEER_NUMBER_PREFIX", "HL")


# --- who manages ------------------------------------------------------------------------------


def managed_teams(user):
    """Teams the user manages: their community's (community staff), their agency's (leads)."""
    if not getattr(user, "is_authenticated", False):
        return VolunteerTeam.objects.none()
    return VolunteerTeam.objects.for_user(user, CHANGE)


def may_manage(user) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    return user.is_superuser or any(
        (a.community_id and a.role == "community_staff") or (a.agency_id and a.role in AGENCY_LEADS)
        for a in user_assignments(user)
    )


def team_agencies(user):
    """Agencies a team may be run by: those the user leads (the add-team form's choices)."""
    from shegong.activities.services import organising_agencies
    from shegong.agencies.selectors import agencies_for

    if getattr(user, "is_superuser", False):
        return agencies_for(user).order_by("name")
    return organising_agencies(user)


def team_communities(user):
    """Communities a team may belong to: the staff's own, or any served by an agency the user
    leads (the add-team form's choices)."""
    from shegong.activities.services import served_communities

    if getattr(user, "is_superuser", False):
        return Community.objects.select_related("street").order_by("code")
    return served_communities(user)


def keeps_community_teams(user) -> bool:
    """Whether the user may add teams run by no agency: the community's staff (their own)."""
    from shegong.activities.services import organising_communities

    return getattr(user, "is_superuser", False) or organising_communities(user).exists()


def team_references(user, *, community_id, agency_id):
    """The community and agency a new team names by id (the API), looked up among the same
    choices the page offers: a missing id and one outside the user's scope read alike."""
    community = team_communities(user).filter(pk=community_id).first()
    agency = team_agencies(user).filter(pk=agency_id).first() if agency_id else None
    if agency_id and agency is None:
        raise ValidationError({"agency": [_("Choose an agency you lead.")]})
    return community, agency


def hours_activities(user):
    """Activities the user organises: where staff may enter volunteers' hours."""
    from shegong.activities.models import Activity

    if not getattr(user, "is_authenticated", False):
        return Activity.objects.none()
    return Activity.objects.for_user(user, CHANGE).order_by("-starts_on", "-id")


def _text(value) -> str:
    return (value or "").strip() if isinstance(value, str) or value is None else value


# --- teams ------------------------------------------------------------------------------------


def team_create(*, actor, name: str, community, agency=None) -> VolunteerTeam:
    """A team of the actor's community (community staff) or of an agency they lead."""
    if not may_manage(actor):
        raise PermissionDenied(_("You may not manage volunteers."))
    team = VolunteerTeam(name=_text(name), community=community, agency=agency)
    errors = model_errors(team, exclude=["community", "agency"])
    if community is None:
        errors["community"] = [_("Choose the community of the team.")]
    if not actor.is_superuser and "community" not in errors:
        from shegong.activities.services import (
            organising_agencies,
            organising_communities,
            served_communities,
        )

        # An agency's leads keep teams of their agency, in any community it serves; community
        # staff keep teams of their own community, run by no agency.
        if agency is not None:
            if not organising_agencies(actor).filter(pk=agency.pk).exists():
                errors["agency"] = [_("Choose an agency you lead.")]
            elif not served_communities(actor, agency).filter(pk=community.pk).exists():
                errors["community"] = [_("Choose a community inside your own scope.")]
        elif not organising_communities(actor).filter(pk=community.pk).exists():
            errors["community"] = [_("Choose a community inside your own scope.")]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic(), set_actor(actor):
        # Under the community's lock, so a double submit cannot make the team twice.
        Community.objects.select_for_update().filter(pk=community.pk).first()
        if VolunteerTeam.objects.filter(
            community=community, agency=agency, name=team.name
        ).exists():
            raise ValidationError({"name": [_("The community already has a team of this name.")]})
        team.save()
    return team


# --- volunteers -------------------------------------------------------------------------------


def _next_number(year: int) -> str:
    prefix = f"{number_prefix()}{year}"
    last = (
        VolunteerProfile.objects.filter(number__startswith=prefix)
        .aggregate(m=Max("number"))
        .get("m")
    )
    sequence = int(last[len(prefix) :]) + 1 if last else 1
    return f"{prefix}{sequence:05d}"


def _clean_skills(skills) -> list[str]:
    if skills is None:
        return []
    if isinstance(skills, str):
        skills = [s for s in skills.split(",") if s]
    return sorted(set(skills)) if isinstance(skills, (list, tuple, set)) else skills


def volunteer_register(*, actor, person, team, skills=(), user=None) -> VolunteerProfile:
    """Register a person on file as a volunteer of a team the actor manages. The number is
    ``<prefix><year><sequence>``, unique; a race for the same number takes the next one."""
    from shegong.people.selectors import people_for

    errors: dict[str, list[str]] = {}
    if team is None or not managed_teams(actor).filter(pk=team.pk).exists():
        errors["team"] = [_("Choose a team you manage.")]
    if person is None or not people_for(actor).filter(pk=person.pk).exists():
        errors["person"] = [_("Choose the person to register.")]
    elif VolunteerProfile.objects.filter(person=person).exists():
        errors["person"] = [_("This person is a volunteer already.")]
    if user is not None and VolunteerProfile.objects.filter(user=user).exists():
        errors["user"] = [_("This login belongs to another volunteer already.")]
    profile = VolunteerProfile(
        person=person, team=team, skills=_clean_skills(skills), user=user, number="x"
    )
    for field, messages in model_errors(profile, exclude=["person", "team", "user"]).items():
        errors.setdefault(field, []).extend(messages)
    if errors:
        raise ValidationError(errors)
    year = timezone.localdate().year
    for attempt in range(NUMBER_RETRIES):
        try:
            with transaction.atomic(), set_actor(actor):
                profile.number = _next_number(year)
                profile.save()
            return profile
        except IntegrityError:
            if VolunteerProfile.objects.filter(person=person).exists():
                raise ValidationError(
                    {"person": [_("This person is a volunteer already.")]}
                ) from None
            if attempt == NUMBER_RETRIES - 1:
                raise
            profile.pk = None
    return profile  # pragma: no cover - the loop returns or raises


VOLUNTEER_FIELDS = ("team", "skills", "status")


def volunteer_update(*, actor, profile: VolunteerProfile, **data) -> VolunteerProfile:
    require(actor, profile, CHANGE)
    unknown = set(data) - set(VOLUNTEER_FIELDS)
    if unknown:
        raise ValidationError({name: [_("This field cannot be changed.")] for name in unknown})
    errors: dict[str, list[str]] = {}
    if "team" in data and (
        data["team"] is None or not managed_teams(actor).filter(pk=data["team"].pk).exists()
    ):
        errors["team"] = [_("Choose a team you manage.")]
    if "skills" in data:
        data["skills"] = _clean_skills(data["skills"])
    for name, value in data.items():
        if name not in errors:
            setattr(profile, name, value)
    for field, messages in model_errors(profile, exclude=["person", "team", "user"]).items():
        errors.setdefault(field, []).extend(messages)
    if errors:
        profile.refresh_from_db()
        raise ValidationError(errors)
    with transaction.atomic(), set_actor(actor):
        profile.save()
    return profile


def own_profile(user) -> VolunteerProfile | None:
    if not getattr(user, "is_authenticated", False):
        return None
    return VolunteerProfile.objects.select_related("person", "team").filter(user=user).first()


# --- shifts -----------------------------------------------------------------------------------


def shift_create(
    *, actor, session, title: str, capacity: int, description: str = ""
) -> VolunteerShift:
    """A position on a session of an activity the actor organises."""
    if session is None or not may_change_session(actor, session):
        raise ValidationError({"session": [_("Choose a session of an activity you organise.")]})
    shift = VolunteerShift(
        session=session,
        title=_text(title),
        capacity=capacity,
        description=_text(description),
        created_by=actor,
    )
    errors = model_errors(shift, exclude=["session"])
    if capacity is not None and not 1 <= capacity <= MAX_SHIFT_CAPACITY:
        errors["capacity"] = [_("Places are between 1 and %(max)s.") % {"max": MAX_SHIFT_CAPACITY}]
    if session.ends_at <= timezone.now():
        errors.setdefault("session", []).append(_("This session is over."))
    if errors:
        raise ValidationError(errors)
    with transaction.atomic(), set_actor(actor):
        shift.save()
    return shift


def may_change_session(user, session) -> bool:
    from shegong.activities.models import ActivitySession

    return ActivitySession.objects.for_user(user, CHANGE).filter(pk=session.pk).exists()


def _signed_up(shift):
    return ShiftSignup.objects.filter(shift=shift, status=SignupStatus.SIGNED_UP)


def _check_open(shift, profile) -> None:
    if shift.session.ends_at <= timezone.now():
        raise ValidationError({"shift": [_("This shift is over: sign-up is closed.")]})
    if profile.status != VolunteerStatus.ACTIVE:
        raise ValidationError({"volunteer": [_("This volunteer is suspended.")]})


def _sign_up(*, actor, shift, profile) -> ShiftSignup:
    """Take the shift row's lock, then count: two volunteers for the last place are served one
    after the other, and the second is told the shift is full."""
    with transaction.atomic(), set_actor(actor):
        locked = VolunteerShift.objects.select_for_update().get(pk=shift.pk)
        existing = ShiftSignup.objects.filter(shift=locked, volunteer=profile).first()
        if existing and existing.status == SignupStatus.SIGNED_UP:
            raise ValidationError({"volunteer": [_("Signed up for this shift already.")]})
        if _signed_up(locked).count() >= locked.capacity:
            raise ValidationError(
                {"shift": [_("This shift is full (%(n)s places).") % {"n": locked.capacity}]}
            )
        if existing:
            existing.status = SignupStatus.SIGNED_UP
            existing.signed_up_by = actor
            existing.save(update_fields=["status", "signed_up_by", "updated_at"])
            return existing
        return ShiftSignup.objects.create(shift=locked, volunteer=profile, signed_up_by=actor)


def signup_self(*, user, shift: VolunteerShift) -> ShiftSignup:
    """A volunteer signs up for a shift of their district."""
    profile = own_profile(user)
    if profile is None:
        raise ValidationError(
            {"volunteer": [_("Your login is not linked to a volunteer profile: ask your team.")]}
        )
    _check_open(shift, profile)
    return _sign_up(actor=user, shift=shift, profile=profile)


def signup_assign(*, actor, shift: VolunteerShift, volunteer: VolunteerProfile) -> ShiftSignup:
    """Staff of the organising side put a volunteer they can see on a shift."""
    require(actor, shift, CHANGE)
    if (
        volunteer is None
        or not VolunteerProfile.objects.for_user(actor, VIEW).filter(pk=volunteer.pk).exists()
    ):
        raise ValidationError({"volunteer": [_("Choose the volunteer.")]})
    _check_open(shift, volunteer)
    return _sign_up(actor=actor, shift=shift, profile=volunteer)


def _is_own(user, signup) -> bool:
    profile = own_profile(user)
    return profile is not None and profile.pk == signup.volunteer_id


def signup_cancel(*, actor, signup: ShiftSignup) -> ShiftSignup:
    """The volunteer cancels their own sign-up, or the organising staff do; the place frees."""
    if not _is_own(actor, signup):
        require(actor, signup, CHANGE)
    with transaction.atomic(), set_actor(actor):
        locked = ShiftSignup.objects.select_for_update().get(pk=signup.pk)
        if locked.status == SignupStatus.CANCELLED:
            raise ValidationError({"signup": [_("This sign-up was cancelled already.")]})
        if locked.checked_in_at:
            raise ValidationError({"signup": [_("Checked in already: it cannot be cancelled.")]})
        locked.status = SignupStatus.CANCELLED
        locked.save(update_fields=["status", "updated_at"])
    signup.status = SignupStatus.CANCELLED
    return signup


# --- check-in and check-out (core's signed link, kind "vs") -----------------------------------


def hours_between(start, end, session) -> Decimal:
    """The duration rounded to the half hour, capped at the session's length plus the margin."""
    cap = session.ends_at - session.starts_at + HOURS_MARGIN
    seconds = min(end - start, cap).total_seconds()
    halves = (Decimal(seconds) / Decimal(1800)).quantize(Decimal(1), rounding=ROUND_HALF_UP)
    return max(halves / 2, Decimal("0.5")).quantize(Decimal("0.1"))


def shift_check(shift: VolunteerShift, *, name: str, mobile: str) -> CheckinResult:
    """A volunteer scans the shift's link: the first scan checks in, the second checks out and
    records the hours, awaiting approval. Only volunteers signed up for the shift."""
    from shegong.activities.services import check_in_window
    from shegong.people.services import clean_minimal_person, mobile_index

    closed = check_in_window(shift.session)
    if closed:
        raise ValidationError(closed)
    cleaned = clean_minimal_person({"name": name, "mobile": mobile})
    # Among the shift's own sign-ups: another record with the same name and mobile (a walk-in
    # checked in at an activity before staff registered the volunteer) must not hide theirs.
    signup = (
        ShiftSignup.objects.filter(
            shift=shift,
            status=SignupStatus.SIGNED_UP,
            volunteer__person__name=cleaned["name"],
            volunteer__person__mobile_index=mobile_index(cleaned["mobile"]),
        )
        .select_related("volunteer__person")
        .first()
    )
    if signup is None:
        raise ValidationError(_("You are not signed up for this shift: ask the staff on site."))
    if signup.volunteer.status != VolunteerStatus.ACTIVE:
        # Suspended since signing up: no hours, as no sign-up.
        raise ValidationError(_("Your volunteer service is suspended: ask the staff on site."))
    person = signup.volunteer.person
    now = timezone.now()
    with transaction.atomic(), set_actor(None):
        locked = ShiftSignup.objects.select_for_update().get(pk=signup.pk)
        if locked.checked_in_at is None:
            locked.checked_in_at = now
            locked.save(update_fields=["checked_in_at", "updated_at"])
            return CheckinResult(
                created=True,
                name=person.name,
                message=_("%(name)s, you are checked in. Scan again when you leave.")
                % {"name": person.name},
            )
        if locked.checked_out_at is not None:
            return CheckinResult(
                created=False,
                name=person.name,
                message=_("%(name)s, you have checked out already.") % {"name": person.name},
            )
        if now - locked.checked_in_at < MIN_CHECKOUT_AFTER:
            raise ValidationError(
                _("You checked in less than 15 minutes ago: scan again when you leave.")
            )
        locked.checked_out_at = now
        locked.save(update_fields=["checked_out_at", "updated_at"])
        hours = hours_between(locked.checked_in_at, now, shift.session)
        ServiceHours.objects.create(
            volunteer_id=locked.volunteer_id,
            activity_id=shift.session.activity_id,
            signup=locked,
            served_on=timezone.localdate(locked.checked_in_at),
            hours=hours,
            source=HoursSource.CHECKIN,
        )
    return CheckinResult(
        created=True,
        name=person.name,
        message=_("%(name)s, you are checked out: %(hours)s hours await approval.")
        % {"name": person.name, "hours": hours},
    )


def shift_checkin_expiry(shift: VolunteerShift) -> datetime.datetime:
    from shegong.activities.services import CHECKIN_CLOSES_AFTER

    return shift.session.ends_at + CHECKIN_CLOSES_AFTER


def shift_describe(shift: VolunteerShift) -> dict:
    """What the public page shows: the shift and its session, nothing about anyone."""
    session = shift.session
    local = timezone.localtime(session.starts_at)
    return {
        "title": f"{session.activity.title} · {shift.title}",
        "lines": [
            (_("Time"), f"{local:%Y-%m-%d %H:%M}–{timezone.localtime(session.ends_at):%H:%M}"),
            (_("Place"), session.place),
            (_("Organiser"), session.activity.organiser_name),
        ],
    }


# --- hours ------------------------------------------------------------------------------------


def _shows_something(text: str) -> bool:
    """Whether the text has a visible character (a reason of zero-width spaces says nothing)."""
    try:
        visible_text(text)
    except ValidationError:
        return False
    return bool(text)


def hours_enter(*, actor, volunteer, activity, served_on, hours, reason: str) -> ServiceHours:
    """Staff of the organising side enter hours served at their activity, saying why (no
    check-in: a paper sheet, a phone outage). They await approval like any other."""
    errors: dict[str, list[str]] = {}
    if activity is None or not hours_activities(actor).filter(pk=activity.pk).exists():
        errors["activity"] = [_("Choose an activity you organise.")]
    # A volunteer the actor manages, or one signed up for a shift of this activity.
    if volunteer is None or not (
        VolunteerProfile.objects.for_user(actor, VIEW).filter(pk=volunteer.pk).exists()
        or (
            activity is not None
            and ShiftSignup.objects.filter(
                volunteer=volunteer, shift__session__activity=activity
            ).exists()
        )
    ):
        errors["volunteer"] = [_("Choose the volunteer.")]
    reason = _text(reason)
    if not _shows_something(reason):
        errors["reason"] = [_("Say why the hours are entered by hand.")]
    try:
        hours = Decimal(str(hours)) if hours is not None else None
    except ArithmeticError:
        hours = None
    if hours is None:
        errors["hours"] = [_("Enter the hours, e.g. 2.5.")]
    record = ServiceHours(
        volunteer=volunteer,
        activity=activity,
        served_on=served_on,
        hours=hours,
        source=HoursSource.STAFF,
        reason=reason,
        recorded_by=actor,
    )
    for field, messages in model_errors(record, exclude=["volunteer", "activity"]).items():
        if field not in errors:
            errors.setdefault(field, []).extend(messages)
    if hours is not None and "hours" not in errors and hours * 2 != int(hours * 2):
        errors["hours"] = [_("Hours are counted in half hours, e.g. 2.5.")]
    if (
        activity is not None
        and served_on
        and "activity" not in errors
        and not activity.starts_on <= served_on <= activity.ends_on
    ):
        errors.setdefault("served_on", []).append(_("The date is outside the activity's period."))
    if errors:
        raise ValidationError(errors)
    record.hours = hours = hours.quantize(Decimal("0.1"))
    with transaction.atomic(), set_actor(actor):
        # Under the volunteer's lock, so two entries sent at once cannot both fit the day.
        VolunteerProfile.objects.select_for_update().filter(pk=volunteer.pk).first()
        logged = ServiceHours.objects.filter(volunteer=volunteer, served_on=served_on).exclude(
            status=HoursStatus.REJECTED
        ).aggregate(total=Sum("hours"))["total"] or Decimal("0")
        if logged + hours > MAX_HOURS_PER_DAY:
            raise ValidationError(
                {
                    "hours": [
                        _(
                            "This volunteer already has %(hours)s hours on that day; a day has "
                            "at most 24 hours."
                        )
                        % {"hours": Decimal(logged).quantize(Decimal("0.1"))}
                    ]
                }
            )
        record.save()
    return record


def hours_decide(*, actor, hours: ServiceHours, to: str, note: str = "") -> ServiceHours:
    """Approve or reject pending hours (the organising side's staff). Approval earns points."""
    require(actor, hours, CHANGE)
    note = _text(note)
    if to == HoursStatus.REJECTED and not note:
        raise ValidationError({"decision_note": [_("Say why the hours are rejected.")]})
    if len(note) > 200:
        raise ValidationError({"decision_note": [_("At most 200 characters.")]})
    own = own_profile(actor)
    if own is not None and own.pk == hours.volunteer_id:
        raise ValidationError({"status": [_("You cannot decide on your own hours.")]})
    with transaction.atomic(), set_actor(actor):
        locked = ServiceHours.objects.select_for_update().get(pk=hours.pk)
        state.check_move(locked, to)
        locked.status = to
        locked.decided_by = actor
        locked.decided_at = timezone.now()
        locked.decision_note = note
        locked.save(
            update_fields=["status", "decided_by", "decided_at", "decision_note", "updated_at"]
        )
        if to == HoursStatus.APPROVED:
            earned = int(
                (locked.hours * points_per_hour()).quantize(Decimal(1), rounding=ROUND_HALF_UP)
            )
            _post_points(
                actor=actor,
                volunteer_id=locked.volunteer_id,
                kind=PointsKind.EARN,
                points=earned,
                hours=locked,
            )
    return locked


# --- points -----------------------------------------------------------------------------------


def _post_points(*, actor, volunteer_id, kind, points: int, hours=None, item="") -> PointsEntry:
    """One ledger entry under the profile's lock (the caller's transaction)."""
    profile = VolunteerProfile.objects.select_for_update().get(pk=volunteer_id)
    balance = profile.points_balance + points
    if balance < 0:
        raise ValidationError(
            {"points": [_("Only %(n)s points are available.") % {"n": profile.points_balance}]}
        )
    entry = PointsEntry.objects.create(
        volunteer=profile,
        kind=kind,
        points=points,
        balance_after=balance,
        hours=hours,
        item=item,
        recorded_by=actor,
    )
    VolunteerProfile.objects.filter(pk=profile.pk).update(points_balance=balance)
    return entry


def points_exchange(*, actor, volunteer: VolunteerProfile, item: str, points) -> PointsEntry:
    """Record an exchange of points for an item (staff managing the volunteer)."""
    require(actor, volunteer, CHANGE)
    errors: dict[str, list[str]] = {}
    item = _text(item)
    if not item:
        errors["item"] = [_("Say what the points are exchanged for.")]
    else:
        try:
            PointsEntry._meta.get_field("item").clean(item, None)
        except ValidationError as exc:
            errors["item"] = exc.messages
    if not isinstance(points, int) or isinstance(points, bool):
        errors["points"] = [_("Enter a whole number of points.")]
    elif not 1 <= points <= MAX_EXCHANGE_POINTS:
        errors["points"] = [_("Points are between 1 and %(max)s.") % {"max": MAX_EXCHANGE_POINTS}]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic(), set_actor(actor):
        return _post_points(
            actor=actor,
            volunteer_id=volunteer.pk,
            kind=PointsKind.SPEND,
            points=-points,
            item=item,
        )


# --- certificates -----------------------------------------------------------------------------


def approved_hours(volunteer):
    return ServiceHours.objects.filter(volunteer=volunteer, status=HoursStatus.APPROVED)


def certificate_issue(
    *, actor, volunteer: VolunteerProfile, person_in_charge: str, handler: str, handler_contact: str
) -> Certificate:
    """Issue a volunteer service record certificate (民政部令第67号) from the approved hours,
    numbered ``ZYFW<year><sequence>``: unique and without gaps within a year."""
    require(actor, volunteer, CHANGE)
    person = volunteer.person
    rows = list(approved_hours(volunteer).select_related("activity").order_by("served_on", "id"))
    total = sum((row.hours for row in rows), Decimal("0.0"))
    year = timezone.localdate().year
    certificate = Certificate(
        volunteer=volunteer,
        year=year,
        sequence=1,
        number="x",
        issued_on=timezone.localdate(),
        name=person.name,
        id_type=str(person.get_id_type_display()),
        id_number_masked=person.id_number_masked,
        volunteer_number=volunteer.number,
        total_hours=total,
        services=[
            {"activity": r.activity.title, "date": r.served_on.isoformat(), "hours": str(r.hours)}
            for r in rows
        ],
        issuer=volunteer.team.owner_name,
        person_in_charge=_text(person_in_charge),
        handler=_text(handler),
        handler_contact=_text(handler_contact),
        issued_by=actor,
    )
    errors: dict[str, list[str]] = {}
    for name in ("person_in_charge", "handler", "handler_contact"):
        if not getattr(certificate, name):
            errors[name] = [_("This field is required.")]
    for field, messages in model_errors(
        certificate, exclude=["volunteer", "number", "year", "sequence"]
    ).items():
        if field not in errors:
            errors.setdefault(field, []).extend(messages)
    if not rows:
        errors.setdefault("volunteer", []).append(_("No approved hours to certify yet."))
    if errors:
        raise ValidationError(errors)
    for attempt in range(NUMBER_RETRIES):
        try:
            with transaction.atomic(), set_actor(actor):
                last = Certificate.objects.filter(year=year).aggregate(m=Max("sequence"))["m"]
                certificate.sequence = (last or 0) + 1
                certificate.number = f"ZYFW{year}{certificate.sequence:06d}"
                certificate.save()
            return certificate
        except IntegrityError:
            if attempt == NUMBER_RETRIES - 1:
                raise
            certificate.pk = None
    return certificate  # pragma: no cover


def approved_total(volunteer) -> Decimal:
    return approved_hours(volunteer).aggregate(t=Sum("hours"))["t"] or Decimal("0.0")
