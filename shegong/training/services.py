"""Writes to the training academy. Pages, the API, the public enrolment and check-in pages, demo
data and commands all come through here."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from shegong.core.access import RateLimited
from shegong.core.audit import set_actor
from shegong.core.capacity import capacity_and_taken
from shegong.core.checkin import CheckinResult
from shegong.core.registry import CpdCredit
from shegong.core.scope import CHANGE, VIEW, can, require
from shegong.core.validators import model_errors
from shegong.training.choices import (
    ClassLevel,
    EmployerType,
    EnrolmentStatus,
    SessionMode,
    TrainingAttendanceSource,
)
from shegong.training.models import (
    Attendance,
    Completion,
    Course,
    Enrolment,
    Feedback,
    Site,
    Teacher,
    TrainingClass,
    TrainingSession,
)

CHECKIN_OPENS_BEFORE = datetime.timedelta(hours=2)
CHECKIN_CLOSES_AFTER = datetime.timedelta(hours=2)
LEVEL_CODES = {ClassLevel.JUNIOR: "C", ClassLevel.INTERMEDIATE: "Z", ClassLevel.ADVANCED: "G"}


def may_run_academy(user) -> bool:
    return can(user, TrainingClass, CHANGE)


def _district_of(actor):
    """The district the academy of ``actor`` belongs to: their district assignment's."""
    from shegong.core.scope import user_assignments

    for assignment in user_assignments(actor):
        if assignment.role == "training_admin" and assignment.district_id:
            return assignment.district
    from shegong.places.models import District

    return District.objects.order_by("pk").first()


def _require_admin(actor):
    if actor is not None and not may_run_academy(actor):
        from shegong.core.scope import OutOfScope

        raise OutOfScope


def _full_clean(instance, exclude=()) -> None:
    errors = model_errors(instance, exclude=exclude)
    if errors:
        raise ValidationError(errors)


def normalise_tags(text: str) -> str:
    """Expertise tags as typed ("个案, 小组、督导") → "个案、小组、督导", each once."""
    seen: list[str] = []
    for raw in (text or "").replace(",", "、").replace("，", "、").replace(";", "、").split("、"):
        tag = raw.strip()
        if tag and tag not in seen:
            seen.append(tag)
    return "、".join(seen)


# --- catalogue --------------------------------------------------------------------------------


def course_create(*, actor, subject: str, level: str, hours, description: str = "") -> Course:
    _require_admin(actor)
    course = Course(
        district=_district_of(actor),
        subject=(subject or "").strip(),
        level=level,
        hours=hours,
        description=(description or "").strip(),
    )
    _full_clean(course, exclude=["district"])
    if Course.objects.filter(
        district=course.district, subject=course.subject, level=course.level
    ).exists():
        raise ValidationError({"subject": [_("This course exists already at this level.")]})
    with transaction.atomic(), set_actor(actor):
        course.save()
    return course


def class_create(
    *,
    actor,
    title: str,
    year: int,
    level: str,
    capacity: int,
    starts_on,
    ends_on,
    courses=(),
    completion_percent: int = 80,
    cpd_hours=None,
    enrolment_open: bool = True,
    description: str = "",
) -> TrainingClass:
    _require_admin(actor)
    courses = list(courses)
    for course in courses:
        require(actor, course, VIEW)
    errors: dict[str, list[str]] = {}
    wrong = [c for c in courses if c.level != level]
    if wrong:
        errors["courses"] = [
            _("These courses are of another level: %(names)s.")
            % {"names": "、".join(c.subject for c in wrong)}
        ]
    if cpd_hours in (None, ""):
        cpd_hours = sum((c.hours for c in courses), Decimal("0"))
    klass = TrainingClass(
        district=_district_of(actor),
        title=(title or "").strip(),
        year=year,
        level=level,
        capacity=capacity,
        starts_on=starts_on,
        ends_on=ends_on,
        completion_percent=completion_percent,
        cpd_hours=cpd_hours,
        enrolment_open=enrolment_open,
        description=(description or "").strip(),
    )
    errors.update(_period_errors(klass, model_errors(klass, exclude=["district"])))
    if errors:
        raise ValidationError(errors)
    with transaction.atomic(), set_actor(actor):
        klass.save()
        klass.courses.set(courses)
    return klass


def _period_errors(klass: TrainingClass, errors: dict) -> dict:
    """The model's errors with the period's rule said on ``ends_on``: the table's check
    constraint says it too, as a raw non-field message, which is dropped."""
    errors.pop("__all__", None)
    if klass.starts_on and klass.ends_on and klass.ends_on < klass.starts_on:
        errors.setdefault("ends_on", []).append(_("The class cannot end before it starts."))
    return errors


def class_update(*, actor, klass: TrainingClass, **data) -> TrainingClass:
    """Change the class's settings (capacity, completion rule, enrolment open). A capacity
    raised promotes waitlisted learners into the new places."""
    require(actor, klass, CHANGE)
    allowed = {
        "title",
        "capacity",
        "completion_percent",
        "cpd_hours",
        "enrolment_open",
        "description",
        "starts_on",
        "ends_on",
    }
    with transaction.atomic(), set_actor(actor):
        locked = _lock_class(klass)
        confirmed = locked.enrolments.filter(status=EnrolmentStatus.CONFIRMED).count()
        for name, value in data.items():
            if name in allowed:
                setattr(locked, name, value.strip() if isinstance(value, str) else value)
        errors = _period_errors(locked, model_errors(locked, exclude=["district"]))
        if locked.capacity is not None and locked.capacity < confirmed and "capacity" not in errors:
            errors["capacity"] = [
                _("%(n)s learners are confirmed already: the capacity cannot be lower.")
                % {"n": confirmed}
            ]
        if errors:
            raise ValidationError(errors)
        locked.save()
        _promote(locked)
    return locked


def session_create(
    *,
    actor,
    klass: TrainingClass,
    course: Course,
    mode: str,
    starts_at,
    ends_at,
    teacher: Teacher | None = None,
    venue: str = "",
    live_url: str = "",
) -> TrainingSession:
    require(actor, klass, CHANGE)
    errors: dict[str, list[str]] = {}
    if course is None or not klass.courses.filter(pk=course.pk).exists():
        errors["course"] = [_("Choose one of the class's courses.")]
    if teacher is not None:
        require(actor, teacher, VIEW)
        if not teacher.is_active:
            errors["teacher"] = [_("This teacher is no longer in the pool.")]
    venue = (venue or "").strip()
    live_url = (live_url or "").strip()
    if mode in (SessionMode.OFFLINE, SessionMode.HYBRID) and not venue:
        errors["venue"] = [_("Enter the venue of an offline or hybrid session.")]
    if mode in (SessionMode.ONLINE, SessionMode.HYBRID) and not live_url:
        errors["live_url"] = [_("Enter the live-stream link of an online or hybrid session.")]
    session = TrainingSession(
        klass=klass,
        course=course if "course" not in errors else None,
        teacher=teacher,
        mode=mode,
        venue=venue,
        live_url=live_url,
        starts_at=starts_at,
        ends_at=ends_at,
    )
    for name, messages in model_errors(session, exclude=["klass", "course"]).items():
        if name != "__all__":  # the period's constraint: said below, on its field
            errors.setdefault(name, messages)
    if starts_at and ends_at and ends_at <= starts_at:
        errors.setdefault("ends_at", []).append(_("The session must end after it starts."))
    if errors:
        raise ValidationError(errors)
    with transaction.atomic(), set_actor(actor):
        session.save()
    return session


def teacher_create(*, actor, name: str, expertise: str, **data) -> Teacher:
    _require_admin(actor)
    teacher = Teacher(district=_district_of(actor))
    return _teacher_save(actor, teacher, {"name": name, "expertise": expertise, **data})


def teacher_update(*, actor, teacher: Teacher, **data) -> Teacher:
    require(actor, teacher, CHANGE)
    return _teacher_save(actor, teacher, data)


def _teacher_save(actor, teacher: Teacher, data: dict) -> Teacher:
    for name in ("name", "organisation", "title", "qualifications", "bio", "is_active"):
        if name in data:
            value = data[name]
            setattr(teacher, name, value.strip() if isinstance(value, str) else value)
    if "expertise" in data:
        teacher.expertise = normalise_tags(data["expertise"])
    errors = model_errors(teacher, exclude=["district"])
    if not teacher.expertise and "expertise" not in errors:
        errors["expertise"] = [_("Enter at least one area of expertise.")]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic(), set_actor(actor):
        teacher.save()
    return teacher


def site_create(*, actor, name: str, region: str = "", coordinators=()) -> Site:
    _require_admin(actor)
    site = Site(district=_district_of(actor), name=(name or "").strip(), region=region.strip())
    errors = model_errors(site, exclude=["district"])
    if not errors and Site.objects.filter(district=site.district, name=site.name).exists():
        errors["name"] = [_("A site of this name exists already.")]
    coordinators = list(coordinators)
    not_coordinators = [
        u for u in coordinators if not u.role_assignments.filter(role="site_coordinator").exists()
    ]
    if not_coordinators:
        errors["coordinators"] = [
            _("Grant the site-coordinator role first: %(names)s.")
            % {"names": "、".join(u.get_username() for u in not_coordinators)}
        ]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic(), set_actor(actor):
        site.save()
        site.coordinators.set(coordinators)
    return site


# --- enrolment --------------------------------------------------------------------------------


def clean_enrolment_fields(data: dict) -> dict:
    """The public form's fields: the person's identity by the people app's own rules (name, ID
    type and number, mobile: required here, check-in matches it), and the employer. Raises one
    ValidationError with every field's error; the messages never echo a number."""
    from shegong.people.services import clean_person_fields

    errors: dict[str, list[str]] = {}
    person_data = {k: data.get(k) for k in ("name", "id_type", "id_number", "mobile")}
    try:
        cleaned = clean_person_fields(person_data)
    except ValidationError as exc:
        errors.update(exc.message_dict)
        cleaned = {}
    if not data.get("mobile") and "mobile" not in errors:
        errors["mobile"] = [_("Enter the mobile number.")]
    employer_type = data.get("employer_type") or ""
    if employer_type not in EmployerType.values:
        errors["employer_type"] = [_("Choose the kind of employer.")]
    employer_name = (data.get("employer_name") or "").strip()
    if not employer_name:
        errors["employer_name"] = [_("Enter the employer's name.")]
    else:
        try:
            Enrolment._meta.get_field("employer_name").clean(employer_name, None)
        except ValidationError as exc:
            errors["employer_name"] = exc.messages
    if errors:
        raise ValidationError(errors)
    cleaned.update(employer_type=employer_type, employer_name=employer_name)
    return cleaned


def _lock_class(klass: TrainingClass) -> TrainingClass:
    """The class's row lock (PostgreSQL): enrolments and cancellations of one class count one
    after the other. On SQLite the transaction began IMMEDIATE holds the one write lock."""
    return TrainingClass.objects.select_for_update().get(pk=klass.pk)


def _places_under_lock(klass: TrainingClass) -> tuple[int, int]:
    """The class's capacity and confirmed enrolments, with its row lock (``_lock_class``)."""
    places = capacity_and_taken(
        klass, counted=Enrolment, link="klass_id", status=EnrolmentStatus.CONFIRMED
    )
    if places is None:
        # Deleted since the form read it: a refusal, not a server error.
        raise ValidationError(_("Enrolment for this class is closed."))
    return places


class IdentityRefused(ValidationError):
    """A refusal that tells the ID number is in the district's register: a name not the one on
    file, or the person enrolled already. Counted per address on the public form."""


# Identity refusals one address may get from the public enrolment in an hour. Each tells an
# anonymous caller that an ID number is on file (and whether a name is its holder's); a few
# are typing errors, more would serve to probe the register (see the people app's allowance
# of duplicate hits for staff). Past it, the address's enrolments are refused for the hour.
IDENTITY_REFUSALS_PER_HOUR = 5
IDENTITY_REFUSALS_GROUP = "training-enrol-identity"


def _identity_limited() -> RateLimited:
    return RateLimited(
        {
            "id_number": [
                _(
                    "Too many enrolments from your network did not match the register. Try "
                    "again in an hour, or ask the academy to enrol you."
                )
            ]
        }
    )


def _identity_refusals_over(address: str, *, count: bool) -> bool:
    """Counting a refusal: whether it is one too many. Looking: whether the allowance is used up
    (``over_limit`` reads "more than the rate", hence one less)."""
    from shegong.core.ratelimit import over_limit

    allowed = IDENTITY_REFUSALS_PER_HOUR if count else IDENTITY_REFUSALS_PER_HOUR - 1
    return over_limit(
        group=IDENTITY_REFUSALS_GROUP, address=address, rate=f"{allowed}/h", increment=count
    )


def _find_person(cleaned: dict):
    """The person on file with this ID number, or None. A person on file under another name is
    refused: the enrolment must be the person's own."""
    from shegong.people.selectors import person_by_id_number

    person = person_by_id_number(cleaned["id_number"])
    if person is not None and person.name != cleaned["name"]:
        raise IdentityRefused(
            {"name": [_("The name does not match the ID number on file. Check both.")]}
        )
    return person


def enrolment_open_check(klass: TrainingClass, site: Site | None, *, public: bool = True) -> None:
    # Staff may record a past class's learners (back-filling the academy's records); the public
    # may enrol only in a class that is open and not over.
    if not klass.enrolment_open or (public and klass.ends_on < timezone.localdate()):
        raise ValidationError(_("Enrolment for this class is closed."))
    if site is not None and site.district_id != klass.district_id:
        raise ValidationError({"site": [_("Choose one of the academy's sites.")]})


def enrolment_create(
    *, klass: TrainingClass, site: Site | None = None, actor=None, address=None, **data
):
    """Enrol a person in a class: open, free and without an account (``actor=None``), or by
    staff. The identity is checked by the people app's rules and matched to the person on file
    by ID number, or a person is registered with it. A confirmed place while the class has room,
    else the waitlist; a second enrolment of the same person is refused.

    The public form passes the client's ``address``: its identity refusals are counted, and
    past ``IDENTITY_REFUSALS_PER_HOUR`` every enrolment from it is refused (``RateLimited``)
    before anyone is looked up.

    Returns the enrolment. Bad input, a closed class or a second enrolment write nothing.
    """
    if actor is not None or address is None:
        return _enrolment_create(klass=klass, site=site, actor=actor, **data)
    if _identity_refusals_over(address, count=False):
        raise _identity_limited()
    try:
        return _enrolment_create(klass=klass, site=site, actor=None, **data)
    except IdentityRefused as exc:
        if _identity_refusals_over(address, count=True):
            raise _identity_limited() from exc
        raise


def _enrolment_create(*, klass: TrainingClass, site: Site | None, actor, **data):
    if actor is not None:
        require(actor, klass, CHANGE)
    enrolment_open_check(klass, site, public=actor is None)
    # The slow, read-only part first (validation, encryption of the search text is done by the
    # people service): the write transaction below holds SQLite's one write lock.
    cleaned = clean_enrolment_fields(data)
    person = _find_person(cleaned)
    created = False
    if person is None:
        # Registered in a short transaction of its own, before the class's lock: the person's
        # cleaning, search text and encryption would otherwise hold SQLite's one write lock
        # while every other enrolment waits. The identity is valid by now, so a person kept
        # after a later refusal (the class closed meanwhile) is a correct record all the same.
        from shegong.people.services import person_create

        try:
            person = person_create(
                actor=None,
                name=cleaned["name"],
                id_type=cleaned["id_type"],
                id_number=cleaned["id_number"],
                mobile=cleaned["mobile"],
                gender=cleaned.get("gender"),
                birth_date=cleaned.get("birth_date"),
            )
            created = True
        except ValidationError:
            # Registered by a concurrent form since the look-up above: that person, if the
            # name matches; else the refusal stands.
            person = _find_person(cleaned)
            if person is None:
                raise
    elif _already_enrolled(klass, person):
        raise _duplicate_error()
    try:
        with transaction.atomic(), set_actor(actor):
            capacity, confirmed = _places_under_lock(klass)
            # A person registered just now has no enrolment yet: no need to look.
            existing = (
                None if created else Enrolment.objects.filter(klass=klass, person=person).first()
            )
            if existing is not None and existing.status != EnrolmentStatus.CANCELLED:
                raise _duplicate_error()
            status = (
                EnrolmentStatus.CONFIRMED if confirmed < capacity else EnrolmentStatus.WAITLISTED
            )
            enrolment = existing or Enrolment(klass=klass, person=person)
            enrolment.site = site
            enrolment.status = status
            enrolment.queued_at = timezone.now()
            enrolment.cancelled_at = None
            enrolment.mobile = cleaned["mobile"]
            enrolment.employer_type = cleaned["employer_type"]
            enrolment.employer_name = cleaned["employer_name"]
            enrolment.save()
    except IntegrityError as exc:
        # The same person sent twice at once (PostgreSQL, the unique pair): say so.
        if person is not None and _already_enrolled(klass, person):
            raise _duplicate_error() from exc
        raise
    return enrolment


def _already_enrolled(klass, person) -> bool:
    return (
        Enrolment.objects.filter(klass=klass, person=person)
        .exclude(status=EnrolmentStatus.CANCELLED)
        .exists()
    )


def _duplicate_error() -> IdentityRefused:
    return IdentityRefused(
        {"id_number": [_("This person is enrolled in this class already (or on its waitlist).")]}
    )


def _promote(klass: TrainingClass) -> list[Enrolment]:
    """Fill free places from the waitlist, first come first served. Called under the lock."""
    confirmed = klass.enrolments.filter(status=EnrolmentStatus.CONFIRMED).count()
    free = klass.capacity - confirmed
    if free <= 0:
        return []
    waiting = list(
        klass.enrolments.filter(status=EnrolmentStatus.WAITLISTED).order_by("queued_at", "pk")[
            :free
        ]
    )
    for enrolment in waiting:
        enrolment.status = EnrolmentStatus.CONFIRMED
        enrolment.save(update_fields=["status", "updated_at"])
    return waiting


def may_cancel(user, enrolment: Enrolment) -> bool:
    if enrolment.status == EnrolmentStatus.CANCELLED:
        return False
    if Enrolment.objects.for_user(user, CHANGE).filter(pk=enrolment.pk).exists():
        return True
    return bool(user.is_authenticated and user.person_id == enrolment.person_id)


def enrolment_cancel(*, actor, enrolment: Enrolment) -> list[Enrolment]:
    """Cancel an enrolment (staff, the site's coordinator or the learner themself) and promote
    the first waitlisted learners into the freed place, in the same transaction. Returns the
    promoted enrolments."""
    from shegong.core.scope import OutOfScope

    if actor is not None and not may_cancel(actor, enrolment):
        if enrolment.status == EnrolmentStatus.CANCELLED and (
            Enrolment.objects.for_user(actor).filter(pk=enrolment.pk).exists()
            or actor.person_id == enrolment.person_id
        ):
            raise ValidationError(_("This enrolment was cancelled already."))
        raise OutOfScope
    if hasattr(enrolment, "completion"):
        raise ValidationError(_("A completed class cannot be cancelled."))
    with transaction.atomic(), set_actor(actor):
        locked = _lock_class(enrolment.klass)
        enrolment.refresh_from_db()
        if enrolment.status == EnrolmentStatus.CANCELLED:
            raise ValidationError(_("This enrolment was cancelled already."))
        enrolment.status = EnrolmentStatus.CANCELLED
        enrolment.cancelled_at = timezone.now()
        enrolment.save(update_fields=["status", "cancelled_at", "updated_at"])
        return _promote(locked)


# --- attendance -------------------------------------------------------------------------------


def check_in_window(session: TrainingSession, now=None) -> str | None:
    now = now or timezone.now()
    if now < session.starts_at - CHECKIN_OPENS_BEFORE:
        return _("Check-in opens two hours before the session starts.")
    if now > session.ends_at + CHECKIN_CLOSES_AFTER:
        return _("Check-in for this session is closed.")
    return None


def session_checkin_expiry(session: TrainingSession) -> datetime.datetime:
    return session.ends_at + CHECKIN_CLOSES_AFTER


def session_describe(session: TrainingSession) -> dict:
    """What the public check-in page shows: the session, nothing about anyone."""
    local = timezone.localtime(session.starts_at)
    lines = [
        (_("Class"), session.klass.title),
        (_("Time"), f"{local:%Y-%m-%d %H:%M}–{timezone.localtime(session.ends_at):%H:%M}"),
        (_("Mode"), session.get_mode_display()),
    ]
    if session.venue:
        lines.append((_("Venue"), session.venue))
    if session.teacher_id:
        lines.append((_("Teacher"), session.teacher.name))
    lines.append((_("Enrolled learners"), _("Give the name and mobile you enrolled with.")))
    return {"title": session.course.subject, "lines": lines}


def enrolment_by_contact(klass: TrainingClass, *, name: str, mobile: str) -> Enrolment | None:
    """The confirmed enrolment of the class with this name and mobile (as enrolled)."""
    from shegong.people.services import clean_minimal_person, mobile_index

    cleaned = clean_minimal_person({"name": name, "mobile": mobile})
    return (
        Enrolment.objects.filter(
            klass=klass,
            status=EnrolmentStatus.CONFIRMED,
            mobile_index=mobile_index(cleaned["mobile"]),
            person__name=cleaned["name"],
        )
        .select_related("person", "site")
        .first()
    )


def _no_such_learner() -> ValidationError:
    return ValidationError(
        {
            "name": [
                _(
                    "No confirmed learner of this class has this name and mobile: use the "
                    "ones you enrolled with, or ask the staff on site."
                )
            ]
        }
    )


def attendance_check_in(
    session: TrainingSession, *, name: str, mobile: str, claim=None
) -> CheckinResult:
    """A learner checks in with the session's signed code (the public page, no login), at the
    academy or at their remote site: matched to their confirmed enrolment by name and mobile.
    The attendance records the enrolment's site, which gives the per-site figures."""
    closed = check_in_window(session)
    if closed:
        raise ValidationError(closed)
    enrolment = enrolment_by_contact(session.klass, name=name, mobile=mobile)
    if enrolment is None:
        raise _no_such_learner()
    with transaction.atomic(), set_actor(None):
        if claim:
            claim()
        # Still confirmed, under the enrolment's row lock: a cancellation committed since the
        # lookup above refuses the scan (and keeps the form unused); one that comes after
        # waits for this attendance.
        locked = Enrolment.objects.select_for_update().filter(
            pk=enrolment.pk, status=EnrolmentStatus.CONFIRMED
        )
        if not list(locked.values_list("pk", flat=True)):
            raise _no_such_learner()
        _created, attendance = _attend(session, enrolment, TrainingAttendanceSource.CHECKIN, None)
    return CheckinResult(created=_created, name=enrolment.person.name)


def _attend(session, enrolment, source, actor) -> tuple[bool, Attendance]:
    existing = Attendance.objects.filter(session=session, enrolment=enrolment).first()
    if existing:
        return False, existing
    try:
        with transaction.atomic():
            return True, Attendance.objects.create(
                session=session,
                enrolment=enrolment,
                site=enrolment.site,
                source=source,
                recorded_by=actor,
            )
    except IntegrityError:
        return False, Attendance.objects.get(session=session, enrolment=enrolment)


def attendance_mark(
    *, actor, session: TrainingSession, enrolment: Enrolment, present: bool = True
) -> Attendance | None:
    """Staff (or the learner's site coordinator) mark a learner present, or absent again."""
    require(actor, enrolment, CHANGE)
    if enrolment.klass_id != session.klass_id:
        raise ValidationError({"enrolment": [_("This learner is not in the session's class.")]})
    if enrolment.status != EnrolmentStatus.CONFIRMED:
        raise ValidationError({"enrolment": [_("Only confirmed learners attend.")]})
    if session.starts_at - CHECKIN_OPENS_BEFORE > timezone.now():
        raise ValidationError({"session": [_("This session has not started yet.")]})
    with transaction.atomic(), set_actor(actor):
        if present:
            return _attend(session, enrolment, TrainingAttendanceSource.STAFF, actor)[1]
        Attendance.objects.filter(session=session, enrolment=enrolment).delete()
    return None


# --- completion -------------------------------------------------------------------------------


def completion_needed(klass: TrainingClass, sessions: int) -> int:
    """Sessions a learner must attend: ``completion_percent`` of them, rounded up."""
    return -(-sessions * klass.completion_percent // 100)


def completions_record(
    *, actor, klass: TrainingClass, on: datetime.date | None = None
) -> list[Completion]:
    """Record a completion for every confirmed learner who attended at least the class's share
    of its sessions, with its certificate number and the class's hours. Learners who completed
    already keep their certificate; running it again adds only new completions."""
    require(actor, klass, CHANGE)
    from django.db.models import Count

    on = on or timezone.localdate()
    sessions = klass.sessions.count()
    if sessions == 0:
        raise ValidationError(_("The class has no sessions yet: nobody can complete it."))
    needed = completion_needed(klass, sessions)
    candidates = (
        klass.enrolments.filter(status=EnrolmentStatus.CONFIRMED, completion__isnull=True)
        .annotate(attended=Count("attendances"))
        .filter(attended__gte=needed)
    )
    code = LEVEL_CODES.get(klass.level, "X")
    made = []
    with transaction.atomic(), set_actor(actor):
        for enrolment in candidates:
            made.append(
                Completion.objects.create(
                    enrolment=enrolment,
                    certificate_number=f"PX{klass.year}{code}{enrolment.pk:07d}",
                    completed_on=on,
                    hours=klass.cpd_hours,
                    attended=enrolment.attended,
                    sessions=sessions,
                )
            )
    return made


def cpd_credits_for(person_ids) -> list[CpdCredit]:
    """The continuing-education hours of completed classes (core.registry's CPD source)."""
    rows = Completion.objects.filter(enrolment__person_id__in=list(person_ids)).values_list(
        "enrolment__person_id", "completed_on", "hours", "enrolment__klass__title"
    )
    return [
        CpdCredit(person_id=pid, date=day, hours=hours, label=title, source="training")
        for pid, day, hours, title in rows
    ]


# --- feedback ---------------------------------------------------------------------------------


def feedback_submit(
    session: TrainingSession, *, name: str, mobile: str, rating, comment: str = ""
) -> Feedback:
    """A learner who attended rates the session (public, with the session's signed code);
    a second rating replaces the first."""
    errors: dict[str, list[str]] = {}
    try:
        rating = int(rating)
    except (TypeError, ValueError):
        rating = 0
    if not 1 <= rating <= 5:
        errors["rating"] = [_("Give a rating from 1 to 5.")]
    comment = (comment or "").strip()
    try:
        Feedback._meta.get_field("comment").clean(comment, None)
    except ValidationError as exc:
        errors["comment"] = exc.messages
    try:
        enrolment = enrolment_by_contact(session.klass, name=name, mobile=mobile)
    except ValidationError as exc:
        errors.update(exc.message_dict)
        enrolment = None
    if (
        enrolment is not None
        and not Attendance.objects.filter(session=session, enrolment=enrolment).exists()
    ):
        enrolment = None
    if enrolment is None and "name" not in errors and "mobile" not in errors:
        errors["name"] = [_("Only learners who attended this session may rate it.")]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic(), set_actor(None):
        feedback, _created = Feedback.objects.update_or_create(
            session=session, enrolment=enrolment, defaults={"rating": rating, "comment": comment}
        )
    return feedback
