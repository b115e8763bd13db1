"""Volunteers API: the list and profiles (ID numbers and mobiles never shown), shifts with
self sign-up and cancel, hours with approval, points exchanges and certificates. The same
scope, FilterSet and services as the pages."""

import datetime
from decimal import Decimal

from django.http import Http404
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from shegong.api.filters import valid_filterset
from shegong.core.scope import CHANGE
from shegong.volunteers import selectors, services
from shegong.volunteers.choices import HoursStatus, Skill, VolunteerStatus
from shegong.volunteers.filters import TeamFilter, VolunteerFilter

router = Router(tags=["volunteers"])


class VolunteerOut(Schema):
    id: int
    number: str
    person_id: int
    name: str = Field(..., alias="person.name")
    team_id: int
    team_name: str = Field(..., alias="team.name")
    skills: list[str]
    status: str
    points_balance: int


class VolunteerListOut(VolunteerOut):
    approved_hours: Decimal


class VolunteerFilterIn(Schema):
    q: str | None = None
    team: int | None = None
    skill: Skill | None = None
    status: VolunteerStatus | None = None
    sort: str | None = Field(None, description="number, name, team, status, hours, points")


class VolunteerIn(Schema):
    person_id: int
    team_id: int
    skills: list[Skill] = []


class VolunteerPatch(Schema):
    team_id: int | None = None
    skills: list[Skill] | None = None
    status: VolunteerStatus | None = None


class ShiftOut(Schema):
    id: int
    session_id: int
    activity_title: str = Field(..., alias="session.activity.title")
    title: str
    description: str
    capacity: int
    starts_at: datetime.datetime = Field(..., alias="session.starts_at")
    ends_at: datetime.datetime = Field(..., alias="session.ends_at")
    place: str = Field(..., alias="session.place")


class OpenShiftOut(ShiftOut):
    taken: int


class ShiftIn(Schema):
    session_id: int
    title: str
    capacity: int
    description: str = ""


class AssignIn(Schema):
    volunteer_id: int


class SignupOut(Schema):
    id: int
    shift_id: int
    volunteer_id: int
    status: str
    checked_in_at: datetime.datetime | None
    checked_out_at: datetime.datetime | None


class HoursOut(Schema):
    id: int
    volunteer_id: int
    activity_id: int
    activity_title: str = Field(..., alias="activity.title")
    served_on: datetime.date
    hours: Decimal
    source: str
    reason: str
    status: str
    decision_note: str


class HoursIn(Schema):
    activity_id: int
    served_on: datetime.date
    hours: Decimal
    reason: str


class HoursDecisionIn(Schema):
    to: HoursStatus
    note: str = ""


class PointsOut(Schema):
    id: int
    kind: str
    points: int
    balance_after: int
    item: str
    created_at: datetime.datetime


class ExchangeIn(Schema):
    item: str
    points: int


class CertificateOut(Schema):
    id: int
    number: str
    issued_on: datetime.date
    name: str
    id_type: str
    id_number_masked: str
    volunteer_number: str
    total_hours: Decimal
    services: list[dict]
    issuer: str
    person_in_charge: str
    handler: str
    handler_contact: str


class CertificateIn(Schema):
    person_in_charge: str
    handler: str
    handler_contact: str


class TeamOut(Schema):
    id: int
    name: str
    community_id: int
    agency_id: int | None
    owner_name: str


class VolunteerTeamFilterIn(Schema):
    q: str | None = None
    sort: str | None = Field(None, description="name, community, volunteers")


class TeamIn(Schema):
    name: str
    community_id: int
    agency_id: int | None = None


def _profile(request, profile_id: int, action: str = "view"):
    return selectors.volunteer_for_user_or_404(request.auth, profile_id, action)


@router.get("", response=list[VolunteerListOut], summary="Volunteers in my scope")
@paginate
def list_volunteers(request, filters: Query[VolunteerFilterIn]):
    if not selectors.may_list(request.auth):
        raise Http404
    rows = valid_filterset(
        VolunteerFilter,
        filters,
        queryset=selectors.volunteers_for(request.auth),
        user=request.auth,
    ).qs
    return rows if filters.sort else rows.order_by("number")


@router.post("", response={201: VolunteerOut}, summary="Register a person as a volunteer")
def register_volunteer(request, payload: VolunteerIn):
    if not services.may_manage(request.auth):
        raise Http404
    person = selectors.registrable_people(request.auth).filter(pk=payload.person_id).first()
    team = services.managed_teams(request.auth).filter(pk=payload.team_id).first()
    profile = services.volunteer_register(
        actor=request.auth, person=person, team=team, skills=[str(s) for s in payload.skills]
    )
    return Status(201, selectors.volunteer_for_user_or_404(request.auth, profile.pk))


@router.get("/teams", response=list[TeamOut], summary="Volunteer teams in my scope")
def list_teams(request, filters: Query[VolunteerTeamFilterIn]):
    if not selectors.may_list(request.auth):
        raise Http404
    rows = valid_filterset(
        TeamFilter, filters, queryset=selectors.teams_for(request.auth), user=request.auth
    ).qs
    return list(rows[:500])


@router.post("/teams", response={201: TeamOut}, summary="Add a team of my community or agency")
def create_team(request, payload: TeamIn):
    if not services.may_manage(request.auth):
        raise Http404
    community, agency = services.team_references(
        request.auth, community_id=payload.community_id, agency_id=payload.agency_id
    )
    team = services.team_create(
        actor=request.auth, name=payload.name, community=community, agency=agency
    )
    return Status(201, team)


@router.get("/me", response=VolunteerOut, summary="My volunteer profile")
def my_profile(request):
    profile = services.own_profile(request.auth)
    if profile is None:
        raise Http404
    return profile


@router.get("/shifts", response=list[OpenShiftOut], summary="Shifts not over yet")
def list_shifts(request):
    if not (selectors.may_use_shifts(request.auth) or selectors.may_list(request.auth)):
        raise Http404
    return list(selectors.upcoming_shifts(request.auth)[:200])


@router.post("/shifts", response={201: ShiftOut}, summary="Add a shift to a session")
def create_shift(request, payload: ShiftIn):
    if not services.may_manage(request.auth):
        raise Http404
    from shegong.activities.selectors import session_for_user_or_404

    try:
        session = session_for_user_or_404(request.auth, payload.session_id, CHANGE)
    except Http404:
        session = None
    shift = services.shift_create(
        actor=request.auth,
        session=session,
        title=payload.title,
        capacity=payload.capacity,
        description=payload.description,
    )
    return Status(201, shift)


@router.post("/shifts/{shift_id}/sign-up", response={201: SignupOut}, summary="Sign myself up")
def sign_up(request, shift_id: int):
    if not selectors.may_use_shifts(request.auth):
        raise Http404
    shift = selectors.shift_for_sign_up_or_404(request.auth, shift_id)
    return Status(201, services.signup_self(user=request.auth, shift=shift))


@router.post(
    "/shifts/{shift_id}/assign", response={201: SignupOut}, summary="Staff put a volunteer on it"
)
def assign(request, shift_id: int, payload: AssignIn):
    shift = selectors.shift_for_user_or_404(request.auth, shift_id, CHANGE)
    from shegong.volunteers.models import VolunteerProfile

    volunteer = VolunteerProfile.objects.for_user(request.auth).filter(pk=payload.volunteer_id)
    return Status(
        201,
        services.signup_assign(actor=request.auth, shift=shift, volunteer=volunteer.first()),
    )


@router.post("/signups/{signup_id}/cancel", response=SignupOut, summary="Cancel a sign-up")
def cancel_signup(request, signup_id: int):
    signup = selectors.signup_for_user_or_404(request.auth, signup_id)
    return services.signup_cancel(actor=request.auth, signup=signup)


@router.get("/hours/pending", response=list[HoursOut], summary="Hours awaiting my approval")
@paginate
def pending_hours(request):
    if not services.may_manage(request.auth):
        raise Http404
    return selectors.hours_queue(request.auth)


@router.post("/hours/{hours_id}/decision", response=HoursOut, summary="Approve or reject hours")
def decide_hours(request, hours_id: int, payload: HoursDecisionIn):
    hours = selectors.hours_for_user_or_404(request.auth, hours_id, CHANGE)
    return services.hours_decide(actor=request.auth, hours=hours, to=payload.to, note=payload.note)


@router.get("/{profile_id}", response=VolunteerOut, summary="One volunteer")
def get_volunteer(request, profile_id: int):
    return _profile(request, profile_id)


@router.patch("/{profile_id}", response=VolunteerOut, summary="Change team, skills or status")
def update_volunteer(request, profile_id: int, payload: VolunteerPatch):
    profile = _profile(request, profile_id, CHANGE)
    data = payload.dict(exclude_unset=True)
    if "team_id" in data:
        data["team"] = services.managed_teams(request.auth).filter(pk=data.pop("team_id")).first()
    if "skills" in data:
        data["skills"] = [str(s) for s in data["skills"] or []]
    services.volunteer_update(actor=request.auth, profile=profile, **data)
    return _profile(request, profile_id)


@router.get("/{profile_id}/signups", response=list[SignupOut], summary="Their sign-ups")
def list_signups(request, profile_id: int):
    return list(selectors.signups_of(_profile(request, profile_id))[:200])


@router.get("/{profile_id}/hours", response=list[HoursOut], summary="Their hours")
def list_hours(request, profile_id: int):
    return list(selectors.hours_of(_profile(request, profile_id))[:500])


@router.post("/{profile_id}/hours", response={201: HoursOut}, summary="Staff enter hours")
def enter_hours(request, profile_id: int, payload: HoursIn):
    profile = _profile(request, profile_id)
    if not services.may_manage(request.auth):
        raise Http404
    activity = services.hours_activities(request.auth).filter(pk=payload.activity_id)
    record = services.hours_enter(
        actor=request.auth,
        volunteer=profile,
        activity=activity.first(),
        served_on=payload.served_on,
        hours=payload.hours,
        reason=payload.reason,
    )
    return Status(201, record)


@router.get("/{profile_id}/points", response=list[PointsOut], summary="Their points ledger")
def list_points(request, profile_id: int):
    return list(selectors.points_of(_profile(request, profile_id))[:500])


@router.post("/{profile_id}/exchanges", response={201: PointsOut}, summary="Record an exchange")
def exchange(request, profile_id: int, payload: ExchangeIn):
    profile = _profile(request, profile_id, CHANGE)
    entry = services.points_exchange(
        actor=request.auth, volunteer=profile, item=payload.item, points=payload.points
    )
    return Status(201, entry)


@router.get(
    "/{profile_id}/certificates", response=list[CertificateOut], summary="Their certificates"
)
def list_certificates(request, profile_id: int):
    return list(selectors.certificates_of(_profile(request, profile_id)))


@router.post(
    "/{profile_id}/certificates", response={201: CertificateOut}, summary="Issue a certificate"
)
def issue_certificate(request, profile_id: int, payload: CertificateIn):
    profile = _profile(request, profile_id, CHANGE)
    certificate = services.certificate_issue(
        actor=request.auth, volunteer=profile, **payload.dict()
    )
    return Status(201, certificate)
