"""Activities API: the pages' list, detail, create, sessions, sign-up, cancel and attendance, with
the same scope, FilterSet and services. Mobiles are masked."""

import datetime

from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from shegong.activities import selectors, services
from shegong.activities.choices import ActivityCategory, ActivityKind, GroupStage
from shegong.activities.filters import ActivityFilter
from shegong.activities.models import Activity, ActivitySession
from shegong.api.filters import valid_filterset
from shegong.core.scope import CHANGE, VIEW, can

router = Router(tags=["activities"])


class ActivityOut(Schema):
    id: int
    kind: ActivityKind
    title: str
    category: ActivityCategory
    description: str
    community_id: int
    community_name: str = Field(..., alias="community.name")
    agency_id: int | None
    organiser_name: str
    pairing_id: int | None
    project_id: int | None
    starts_on: datetime.date
    ends_on: datetime.date
    stage: str


class ActivityListOut(ActivityOut):
    session_count: int
    person_times: int


class ActivityFilterIn(Schema):
    q: str | None = None
    kind: ActivityKind | None = None
    category: ActivityCategory | None = None
    stage: GroupStage | None = None
    street: int | None = None
    community: int | None = None
    pairing: int | None = Field(None, description="Joint activities of this pairing agreement")
    date_from: datetime.date | None = None
    date_to: datetime.date | None = None
    sort: str | None = Field(
        None,
        description="title, kind, category, community, starts_on, stage, sessions, "
        "person_times; '-' descends",
    )


class ActivityIn(Schema):
    kind: ActivityKind
    title: str
    category: ActivityCategory = ActivityCategory.OTHER
    description: str = ""
    community_id: int
    agency_id: int | None = None
    pairing_id: int | None = Field(None, description="The pairing agreement it belongs to")
    project_id: int | None = Field(None, description="The purchased-service project it delivers")
    starts_on: datetime.date
    ends_on: datetime.date


class ActivityPatch(Schema):
    title: str | None = None
    category: ActivityCategory | None = None
    description: str | None = None
    starts_on: datetime.date | None = None
    ends_on: datetime.date | None = None
    pairing_id: int | None = Field(None, description="null: no longer a joint activity")
    project_id: int | None = Field(None, description="null: no longer under a project")


def _project(project_id):
    """The project named by id, or None; a missing id is refused like one out of view (the
    service checks the view)."""
    from shegong.purchasing.models import Project

    if project_id is None:
        return None
    try:
        project = Project.objects.select_related("agency").filter(pk=project_id).first()
    except OverflowError:  # an id beyond the database's integers
        project = None
    if project is None:
        raise services.project_missing_error()
    return project


def _pairing(pairing_id):
    """The agreement named by id, or None; a missing id is refused like one out of view (the
    service checks the view)."""
    from shegong.pairing.models import PairingAgreement

    if pairing_id is None:
        return None
    try:
        pairing = (
            PairingAgreement.objects.select_related("community", "agency")
            .filter(pk=pairing_id)
            .first()
        )
    except OverflowError:  # an id beyond the database's integers
        pairing = None
    if pairing is None:
        raise services.pairing_missing_error()
    return pairing


class StageIn(Schema):
    to: GroupStage


class SessionOut(Schema):
    id: int
    activity_id: int
    starts_at: datetime.datetime
    ends_at: datetime.datetime
    place: str
    capacity: int


class SessionIn(Schema):
    starts_at: str = Field(..., description="ISO 8601 date and time, e.g. 2026-05-01T09:30")
    ends_at: str = Field(..., description="ISO 8601 date and time")
    place: str
    capacity: int


def _moment(data: dict, name: str, errors: dict):
    """An ISO date-time from the payload (local time when it names no zone), or a field error:
    checked by us, so a malformed value gets the same answer as any other bad input."""
    from django.utils import timezone
    from django.utils.dateparse import parse_datetime

    try:
        value = parse_datetime(data[name])
    except ValueError:
        value = None
    if value is None:
        errors[name] = [_("Enter a date and time, e.g. 2026-05-01T09:30.")]
        return None
    return value if timezone.is_aware(value) else timezone.make_aware(value)


class RegistrationIn(Schema):
    """Someone to sign up: a person on file (``person_id``), or a name and mobile."""

    person_id: int | None = None
    name: str | None = None
    mobile: str | None = None


class RegistrationOut(Schema):
    id: int
    session_id: int
    person_id: int
    person_name: str = Field(..., alias="person.name")
    mobile_masked: str = Field(..., alias="person.mobile_masked")
    status: str


class AttendanceIn(Schema):
    """Who was there: a person on file (``person_id``), or a walk-in's name and mobile."""

    person_id: int | None = None
    name: str | None = None
    mobile: str | None = None


class AttendanceOut(Schema):
    id: int
    session_id: int
    person_id: int
    person_name: str = Field(..., alias="person.name")
    mobile_masked: str = Field(..., alias="person.mobile_masked")
    source: str
    walk_in: bool
    created_at: datetime.datetime


def _missing(field: str, message: str):
    return ValidationError({field: [message]})


def _person(user, person_id):
    from shegong.people.selectors import people_for

    person = people_for(user).filter(pk=person_id).first() if person_id else None
    if person is None:
        raise _missing("person_id", _("Choose the person to sign up."))
    return person


@router.get("", response=list[ActivityListOut], summary="Activities in my scope")
@paginate
def list_activities(request, filters: Query[ActivityFilterIn]):
    if not can(request.auth, Activity, VIEW):
        raise Http404
    rows = valid_filterset(
        ActivityFilter, filters, queryset=selectors.activities_for(request.auth), user=request.auth
    ).qs
    return rows if filters.sort else rows.order_by("-starts_on", "-id")


@router.post("", response={201: ActivityOut}, summary="Create an activity")
def create_activity(request, payload: ActivityIn):
    if not services.may_create_activity(request.auth):
        raise Http404
    from shegong.agencies.selectors import agencies_for
    from shegong.places.models import Community

    data = payload.dict()
    # The place tree is readable by everyone; where the caller may organise is the service's check.
    community = Community.objects.for_user(request.auth).filter(pk=data.pop("community_id")).first()
    agency_id = data.pop("agency_id")
    # An agency out of the caller's view is refused like a missing one.
    agency = agencies_for(request.auth).filter(pk=agency_id).first() if agency_id else None
    if agency_id and agency is None:
        raise _missing("agency", _("Choose an agency you lead."))
    pairing = _pairing(data.pop("pairing_id"))
    project = _project(data.pop("project_id"))
    activity = services.activity_create(
        actor=request.auth,
        community=community,
        agency=agency,
        pairing=pairing,
        project=project,
        **data,
    )
    return Status(201, selectors.activity_for_user_or_404(request.auth, activity.pk))


@router.get("/{activity_id}", response=ActivityOut, summary="One activity")
def get_activity(request, activity_id: int):
    return selectors.activity_for_user_or_404(request.auth, activity_id)


@router.patch("/{activity_id}", response=ActivityOut, summary="Change an activity")
def update_activity(request, activity_id: int, payload: ActivityPatch):
    activity = selectors.activity_for_user_or_404(request.auth, activity_id, CHANGE)
    data = payload.dict(exclude_unset=True)
    if "pairing_id" in data:
        data["pairing"] = _pairing(data.pop("pairing_id"))
    if "project_id" in data:
        data["project"] = _project(data.pop("project_id"))
    services.activity_update(actor=request.auth, activity=activity, **data)
    return selectors.activity_for_user_or_404(request.auth, activity_id)


@router.post("/{activity_id}/stage", response=ActivityOut, summary="Move a group to a stage")
def move_stage(request, activity_id: int, payload: StageIn):
    activity = selectors.activity_for_user_or_404(request.auth, activity_id, CHANGE)
    services.activity_move_stage(actor=request.auth, activity=activity, to=payload.to)
    return selectors.activity_for_user_or_404(request.auth, activity_id)


@router.get("/{activity_id}/sessions", response=list[SessionOut], summary="Its sessions")
def list_sessions(request, activity_id: int):
    activity = selectors.activity_for_user_or_404(request.auth, activity_id)
    return list(selectors.sessions_of(activity))


@router.post("/{activity_id}/sessions", response={201: SessionOut}, summary="Add a session")
def create_session(request, activity_id: int, payload: SessionIn):
    activity = selectors.activity_for_user_or_404(request.auth, activity_id, CHANGE)
    data, errors = payload.dict(), {}
    data["starts_at"] = _moment(data, "starts_at", errors)
    data["ends_at"] = _moment(data, "ends_at", errors)
    if errors:
        raise ValidationError(errors)
    session = services.session_create(actor=request.auth, activity=activity, **data)
    return Status(201, session)


def _session(request, session_id: int, action: str = VIEW) -> ActivitySession:
    return selectors.session_for_user_or_404(request.auth, session_id, action)


@router.get(
    "/sessions/{session_id}/registrations",
    response=list[RegistrationOut],
    summary="Who signed up (mobiles masked)",
)
def list_registrations(request, session_id: int):
    return list(selectors.registrations_of(_session(request, session_id)))


@router.post(
    "/sessions/{session_id}/registrations",
    response={201: RegistrationOut},
    summary="Staff sign someone up",
)
def create_registration(request, session_id: int, payload: RegistrationIn):
    session = _session(request, session_id, CHANGE)
    if payload.person_id is None and (payload.name or payload.mobile):
        registration = services.registration_by_contact(
            actor=request.auth,
            session=session,
            name=payload.name or "",
            mobile=payload.mobile or "",
        )
    else:
        registration = services.registration_create(
            actor=request.auth, session=session, person=_person(request.auth, payload.person_id)
        )
    return Status(201, registration)


@router.post(
    "/sessions/{session_id}/sign-up",
    response={201: RegistrationOut},
    summary="Sign myself up for a community activity",
)
def sign_up(request, session_id: int):
    session = ActivitySession.objects.select_related("activity").filter(pk=session_id).first()
    # Community activities are open to residents; a group's sessions exist only for its staff.
    if session is None or (
        session.activity.kind != ActivityKind.COMMUNITY
        and not ActivitySession.objects.for_user(request.auth).filter(pk=session_id).exists()
    ):
        raise Http404
    registration = services.registration_self(user=request.auth, session=session)
    return Status(201, registration)


@router.post(
    "/registrations/{registration_id}/cancel",
    response=RegistrationOut,
    summary="Cancel a sign-up (staff, or the person themself)",
)
def cancel_registration(request, registration_id: int):
    registration = selectors.registration_for_user_or_404(request.auth, registration_id)
    return services.registration_cancel(actor=request.auth, registration=registration)


@router.get(
    "/sessions/{session_id}/attendance",
    response=list[AttendanceOut],
    summary="Who attended (mobiles masked)",
)
def list_attendance(request, session_id: int):
    return list(selectors.attendances_of(_session(request, session_id)))


@router.post(
    "/sessions/{session_id}/attendance",
    response={201: AttendanceOut, 200: AttendanceOut},
    summary="Mark someone present; 200 when they were already",
)
def mark_attendance(request, session_id: int, payload: AttendanceIn):
    session = _session(request, session_id, CHANGE)
    if payload.person_id is None and (payload.name or payload.mobile):
        attendance, created = services.attendance_walk_in(
            actor=request.auth,
            session=session,
            name=payload.name or "",
            mobile=payload.mobile or "",
        )
    else:
        attendance, created = services.attendance_mark(
            actor=request.auth, session=session, person=_person(request.auth, payload.person_id)
        )
    return Status(201 if created else 200, attendance)
