"""The lists' API: what the pages do, with the same selectors, FilterSets and services; and the
public side of small wishes (list and claim without an account, rate-limited per address)."""

import datetime

from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status
from ninja.errors import HttpError
from ninja.pagination import paginate

from shegong.agencies.models import Agency
from shegong.api.filters import valid_filterset
from shegong.api.ratelimit import limit_anonymous
from shegong.core.scope import CHANGE, VIEW, can
from shegong.people.selectors import people_for
from shegong.places.models import Community, Street
from shegong.resources import selectors, services
from shegong.resources.choices import (
    Category,
    NeedSource,
    NeedStatus,
    ProjectStatus,
    ResourceKind,
    Urgency,
    WishStatus,
)
from shegong.resources.filters import NeedFilter, ProjectFilter, ResourceFilter, WishFilter
from shegong.resources.models import Need, Project, Resource, Wish

router = Router(tags=["resources"])


# --- schemas -----------------------------------------------------------------------------------


class NeedOut(Schema):
    id: int
    number: str
    title: str
    description: str
    category: Category
    urgency: Urgency
    people_affected: int
    wanted_by: datetime.date | None
    community_id: int
    community_name: str = Field(..., alias="community.name")
    source: NeedSource
    person_id: int | None
    status: NeedStatus
    agency_id: int | None
    resource_id: int | None
    dispatched_at: datetime.datetime | None
    claimed_at: datetime.datetime | None
    delivered_on: datetime.date | None
    delivery_summary: str
    rating: int | None
    rating_comment: str


class NeedRaiseIn(Schema):
    title: str
    category: Category
    community_id: int
    urgency: Urgency = Urgency.NORMAL
    people_affected: int = 1
    wanted_by: datetime.date | None = None
    source: NeedSource = NeedSource.STAFF
    person_id: int | None = None
    description: str = ""


class NeedFilterIn(Schema):
    q: str | None = None
    status: NeedStatus | None = None
    category: Category | None = None
    urgency: Urgency | None = None
    community: int | None = None
    sort: str | None = Field(None, description="created, title, category, urgency, people, …")


class NeedEventOut(Schema):
    kind: str
    at: datetime.datetime = Field(..., alias="created_at")
    actor: str | None
    note: str

    @staticmethod
    def resolve_actor(event):
        return str(event.actor) if event.actor_id else None


class MatchReasonOut(Schema):
    criterion: str
    label: str
    points: int
    max_points: int
    text: str


class MatchSuggestionOut(Schema):
    resource_id: int
    resource_name: str
    owner: str
    total: int
    max_total: int
    reasons: list[MatchReasonOut]


class NeedDispatchIn(Schema):
    agency_id: int | None = None
    resource_id: int | None = None
    note: str = ""


class NeedNoteIn(Schema):
    note: str = ""


class NeedDeclineIn(Schema):
    reason: str


class NeedDeliverIn(Schema):
    delivered_on: datetime.date
    summary: str


class NeedRateIn(Schema):
    rating: int
    comment: str = ""


class ResourceOut(Schema):
    id: int
    name: str
    kind: ResourceKind
    description: str
    owner_agency_id: int | None
    owner_name: str
    community_id: int
    categories: list[str] = Field(..., alias="category_list")
    capacity: int | None
    capacity_unit: str
    available_from: datetime.date | None
    available_to: datetime.date | None
    schedule: str
    district_wide: bool
    service_community_ids: list[int]
    service_street_ids: list[int]
    is_active: bool

    @staticmethod
    def resolve_service_community_ids(resource):
        return [c.pk for c in resource.service_communities.all()]

    @staticmethod
    def resolve_service_street_ids(resource):
        return [s.pk for s in resource.service_streets.all()]


class ResourceIn(Schema):
    name: str
    kind: ResourceKind
    community_id: int | None = None
    owner_agency_id: int | None = None
    categories: list[Category] = []
    capacity: int | None = None
    capacity_unit: str = ""
    available_from: datetime.date | None = None
    available_to: datetime.date | None = None
    schedule: str = ""
    district_wide: bool = False
    service_community_ids: list[int] = []
    service_street_ids: list[int] = []
    description: str = ""
    is_active: bool = True


class ResourcePatch(Schema):
    name: str | None = None
    kind: ResourceKind | None = None
    community_id: int | None = None
    categories: list[Category] | None = None
    capacity: int | None = None
    capacity_unit: str | None = None
    available_from: datetime.date | None = None
    available_to: datetime.date | None = None
    schedule: str | None = None
    district_wide: bool | None = None
    service_community_ids: list[int] | None = None
    service_street_ids: list[int] | None = None
    description: str | None = None
    is_active: bool | None = None


class ResourceFilterIn(Schema):
    q: str | None = None
    kind: ResourceKind | None = None
    category: Category | None = None
    community: int | None = None
    active: bool | None = None
    sort: str | None = None


class ProjectOut(Schema):
    id: int
    title: str
    description: str
    community_id: int
    categories: list[str] = Field(..., alias="category_list")
    starts_on: datetime.date
    ends_on: datetime.date | None
    status: ProjectStatus
    lead_agency_id: int | None
    need_ids: list[int]

    @staticmethod
    def resolve_need_ids(project):
        return [n.pk for n in project.needs.all()]


class ProjectIn(Schema):
    title: str
    community_id: int
    starts_on: datetime.date
    ends_on: datetime.date | None = None
    status: ProjectStatus = ProjectStatus.PLANNED
    categories: list[Category] = []
    lead_agency_id: int | None = None
    need_ids: list[int] = []
    description: str = ""


class ProjectPatch(Schema):
    title: str | None = None
    community_id: int | None = None
    starts_on: datetime.date | None = None
    ends_on: datetime.date | None = None
    status: ProjectStatus | None = None
    categories: list[Category] | None = None
    lead_agency_id: int | None = None
    need_ids: list[int] | None = None
    description: str | None = None


class ProjectFilterIn(Schema):
    q: str | None = None
    status: ProjectStatus | None = None
    category: Category | None = None
    community: int | None = None
    sort: str | None = None


class WishOut(Schema):
    id: int
    title: str
    description: str
    community_id: int
    person_id: int | None
    recipient: str = Field(..., alias="public_recipient")
    wanted_by: datetime.date | None
    status: WishStatus
    claimant_name: str
    claimant_mobile_masked: str
    claimant_company: str
    claimed_at: datetime.datetime | None
    fulfilled_on: datetime.date | None


class WishIn(Schema):
    title: str
    community_id: int
    recipient_description: str
    person_id: int | None = None
    wanted_by: datetime.date | None = None
    description: str = ""


class WishFilterIn(Schema):
    q: str | None = None
    status: WishStatus | None = None
    community: int | None = None
    sort: str | None = None


class PublicWishOut(Schema):
    """What anyone may read of an open wish: no name, no contact, no id of a person."""

    id: int
    title: str
    description: str
    recipient: str = Field(..., alias="public_recipient")
    community_name: str = Field(..., alias="community.name")
    wanted_by: datetime.date | None


class WishClaimIn(Schema):
    name: str
    mobile: str
    company: str = ""


class WishClaimOut(Schema):
    id: int
    title: str
    status: WishStatus
    claimant_mobile_masked: str


# --- helpers -----------------------------------------------------------------------------------


def _ref(model, pk, field: str, message: str):
    if pk is None:
        return None
    obj = model.objects.filter(pk=pk).first()
    if obj is None:
        raise ValidationError({field: [message]})
    return obj


def _community(pk):
    return _ref(Community, pk, "community", _("Choose a community inside your own scope."))


def _person(user, pk):
    if pk is None:
        return None
    person = people_for(user).filter(pk=pk).first()
    if person is None:
        raise ValidationError({"person": [_("Choose a resident you may see.")]})
    return person


def _sorted(qs, filters, *default):
    return qs if filters.sort else qs.order_by(*default)


# --- needs -------------------------------------------------------------------------------------


@router.get("/needs", response=list[NeedOut], summary="Needs in my scope")
@paginate
def list_needs(request, filters: Query[NeedFilterIn]):
    if not can(request.auth, Need, VIEW):
        raise Http404
    rows = selectors.needs_for(request.auth)
    qs = valid_filterset(NeedFilter, filters, queryset=rows, user=request.auth).qs
    return _sorted(qs, filters, "-created_at", "-pk")


@router.post("/needs", response={201: NeedOut}, summary="Record a need")
def raise_need(request, payload: NeedRaiseIn):
    if not services.works_for_place(request.auth):
        raise Http404
    data = payload.dict()
    data["community"] = _community(data.pop("community_id"))
    data["person"] = _person(request.auth, data.pop("person_id"))
    need = services.need_raise(actor=request.auth, **data)
    return Status(201, selectors.need_for_user_or_404(request.auth, need.pk))


@router.get("/needs/{need_id}", response=NeedOut, summary="One need")
def get_need(request, need_id: int):
    return selectors.need_for_user_or_404(request.auth, need_id)


@router.get("/needs/{need_id}/events", response=list[NeedEventOut], summary="A need's history")
def need_history(request, need_id: int):
    need = selectors.need_for_user_or_404(request.auth, need_id)
    return list(selectors.need_events(need))


@router.get(
    "/needs/{need_id}/suggestions",
    response=list[MatchSuggestionOut],
    summary="Ranked resources for a need, each score explained",
)
def need_suggestions(request, need_id: int):
    need = selectors.need_for_user_or_404(request.auth, need_id)
    if not selectors.on_place_side(request.auth, need):
        raise Http404  # only the staff who dispatch the need are shown what it may go to
    return [
        MatchSuggestionOut(
            resource_id=s.resource.pk,
            resource_name=s.resource.name,
            owner=s.resource.owner_name,
            total=s.score.total,
            max_total=s.score.max_total,
            reasons=[MatchReasonOut(**r.__dict__) for r in s.score.reasons],
        )
        for s in selectors.suggestions_for(need)
    ]


def _step_need(request, need_id, action):
    need = selectors.need_for_user_or_404(request.auth, need_id)
    services.require_side(request.auth, need, action)
    return need


@router.post(
    "/needs/{need_id}/dispatch", response=NeedOut, summary="Dispatch (or accept a suggestion)"
)
def dispatch_need(request, need_id: int, payload: NeedDispatchIn):
    need = _step_need(request, need_id, "dispatch")
    agency = _ref(
        Agency, payload.agency_id, "agency", _("Choose an active agency inside your own scope.")
    )
    resource = _ref(
        Resource,
        payload.resource_id,
        "resource",
        _("Choose an active resource that serves this need's community."),
    )
    services.need_dispatch(
        actor=request.auth, need=need, agency=agency, resource=resource, note=payload.note
    )
    return selectors.need_for_user_or_404(request.auth, need_id)


@router.post("/needs/{need_id}/claim", response=NeedOut, summary="Claim a dispatched need")
def claim_need(request, need_id: int, payload: NeedNoteIn):
    need = _step_need(request, need_id, "claim")
    services.need_claim(actor=request.auth, need=need, note=payload.note)
    return selectors.need_for_user_or_404(request.auth, need_id)


@router.post("/needs/{need_id}/decline", response=NeedOut, summary="Decline a dispatched need")
def decline_need(request, need_id: int, payload: NeedDeclineIn):
    need = _step_need(request, need_id, "decline")
    # Declined, the need leaves the agency's scope: the answer is the need as it now stands.
    return services.need_decline(actor=request.auth, need=need, reason=payload.reason)


@router.post("/needs/{need_id}/deliver", response=NeedOut, summary="Record the delivery")
def deliver_need(request, need_id: int, payload: NeedDeliverIn):
    need = _step_need(request, need_id, "deliver")
    services.need_deliver(
        actor=request.auth, need=need, delivered_on=payload.delivered_on, summary=payload.summary
    )
    return selectors.need_for_user_or_404(request.auth, need_id)


@router.post("/needs/{need_id}/rate", response=NeedOut, summary="Rate a delivered need")
def rate_need(request, need_id: int, payload: NeedRateIn):
    need = _step_need(request, need_id, "rate")
    services.need_rate(
        actor=request.auth, need=need, rating=payload.rating, comment=payload.comment
    )
    return selectors.need_for_user_or_404(request.auth, need_id)


# --- projects ----------------------------------------------------------------------------------


@router.get("/projects", response=list[ProjectOut], summary="Community projects in my scope")
@paginate
def list_projects(request, filters: Query[ProjectFilterIn]):
    if not can(request.auth, Project, VIEW):
        raise Http404
    rows = selectors.projects_for(request.auth).prefetch_related("needs")
    qs = valid_filterset(ProjectFilter, filters, queryset=rows, user=request.auth).qs
    return _sorted(qs, filters, "-starts_on", "-pk")


def _project_data(request, data: dict) -> dict:
    if "community_id" in data:
        data["community"] = _community(data.pop("community_id"))
    if "lead_agency_id" in data:
        data["lead_agency"] = _ref(
            Agency,
            data.pop("lead_agency_id"),
            "lead_agency",
            _("Choose an agency inside your own scope."),
        )
    if "need_ids" in data:
        ids = data.pop("need_ids") or []
        needs = list(selectors.needs_for(request.auth).filter(pk__in=ids))
        if len(needs) != len(set(ids)):
            raise ValidationError({"needs": [_("Link needs of the project's own community.")]})
        data["needs"] = needs
    return data


@router.post("/projects", response={201: ProjectOut}, summary="Add a community project")
def create_project(request, payload: ProjectIn):
    if not services.works_for_place(request.auth):
        raise Http404
    project = services.project_save(actor=request.auth, **_project_data(request, payload.dict()))
    return Status(201, selectors.project_for_user_or_404(request.auth, project.pk))


@router.get("/projects/{project_id}", response=ProjectOut, summary="One community project")
def get_project(request, project_id: int):
    return selectors.project_for_user_or_404(request.auth, project_id)


@router.patch("/projects/{project_id}", response=ProjectOut, summary="Change a project")
def update_project(request, project_id: int, payload: ProjectPatch):
    project = selectors.project_for_user_or_404(request.auth, project_id, CHANGE)
    data = _project_data(request, payload.dict(exclude_unset=True))
    services.project_save(actor=request.auth, project=project, **data)
    return selectors.project_for_user_or_404(request.auth, project_id)


# --- wishes ------------------------------------------------------------------------------------


@router.get(
    "/wishes/public", auth=None, response=list[PublicWishOut], summary="Open small wishes (public)"
)
@paginate
def public_wishes(request):
    limit_anonymous(request, group="wishes")
    return selectors.public_wishes()


@router.post(
    "/wishes/public/{wish_id}/claim",
    auth=None,
    response={201: WishClaimOut},
    summary="Claim an open small wish (no account needed)",
)
def claim_wish(request, wish_id: int, payload: WishClaimIn):
    """One claim per wish: a second claimant gets 409. Rate-limited per address."""
    limit_anonymous(request, group="wish-claim")
    try:
        wish = services.wish_claim(
            wish_id=wish_id, name=payload.name, mobile=payload.mobile, company=payload.company
        )
    except services.WishTaken as exc:
        raise HttpError(409, exc.messages[0]) from exc
    return Status(201, wish)


@router.get("/wishes", response=list[WishOut], summary="Small wishes in my scope")
@paginate
def list_wishes(request, filters: Query[WishFilterIn]):
    if not can(request.auth, Wish, VIEW):
        raise Http404
    rows = selectors.wishes_for(request.auth)
    qs = valid_filterset(WishFilter, filters, queryset=rows, user=request.auth).qs
    return _sorted(qs, filters, "-created_at", "-pk")


@router.post("/wishes", response={201: WishOut}, summary="Post a small wish")
def post_wish(request, payload: WishIn):
    if not services.works_for_place(request.auth):
        raise Http404
    data = payload.dict()
    data["community"] = _community(data.pop("community_id"))
    data["person"] = _person(request.auth, data.pop("person_id"))
    wish = services.wish_post(actor=request.auth, **data)
    return Status(201, selectors.wish_for_user_or_404(request.auth, wish.pk))


@router.get("/wishes/{wish_id}", response=WishOut, summary="One small wish")
def get_wish(request, wish_id: int):
    return selectors.wish_for_user_or_404(request.auth, wish_id)


@router.post("/wishes/{wish_id}/fulfil", response=WishOut, summary="Confirm a wish fulfilled")
def fulfil_wish(request, wish_id: int):
    wish = selectors.wish_for_user_or_404(request.auth, wish_id, CHANGE)
    services.wish_fulfil(actor=request.auth, wish=wish)
    return selectors.wish_for_user_or_404(request.auth, wish_id)


# --- resources (last: "/{resource_id}" after the fixed paths) -----------------------------------


def _resource_data(request, data: dict) -> dict:
    if "community_id" in data:
        data["community"] = _community(data.pop("community_id"))
    if "owner_agency_id" in data:
        data["owner_agency"] = _ref(
            Agency,
            data.pop("owner_agency_id"),
            "owner_agency",
            _("Choose an agency you manage resources for."),
        )
    if "service_community_ids" in data:
        data["service_communities"] = list(
            Community.objects.filter(pk__in=data.pop("service_community_ids") or [])
        )
    if "service_street_ids" in data:
        data["service_streets"] = list(
            Street.objects.filter(pk__in=data.pop("service_street_ids") or [])
        )
    return {k: v for k, v in data.items() if not (k == "community" and v is None)}


@router.get("", response=list[ResourceOut], summary="Resources in my scope")
@paginate
def list_resources(request, filters: Query[ResourceFilterIn]):
    if not can(request.auth, Resource, VIEW):
        raise Http404
    rows = selectors.resources_for(request.auth).prefetch_related(
        "service_communities", "service_streets"
    )
    qs = valid_filterset(ResourceFilter, filters, queryset=rows, user=request.auth).qs
    return _sorted(qs, filters, "name", "pk")


@router.post("", response={201: ResourceOut}, summary="Register a resource")
def create_resource(request, payload: ResourceIn):
    if not services.may_create_resource(request.auth):
        raise Http404
    data = _resource_data(request, payload.dict())
    if data.get("owner_agency") is None and "community" not in data:
        raise ValidationError({"community": [_("Choose a community.")]})
    resource = services.resource_create(actor=request.auth, **data)
    return Status(201, selectors.resource_for_user_or_404(request.auth, resource.pk))


@router.get("/{resource_id}", response=ResourceOut, summary="One resource")
def get_resource(request, resource_id: int):
    return selectors.resource_for_user_or_404(request.auth, resource_id)


@router.patch("/{resource_id}", response=ResourceOut, summary="Change a resource")
def update_resource(request, resource_id: int, payload: ResourcePatch):
    resource = selectors.resource_for_user_or_404(request.auth, resource_id, CHANGE)
    data = _resource_data(request, payload.dict(exclude_unset=True))
    services.resource_update(actor=request.auth, resource=resource, **data)
    return selectors.resource_for_user_or_404(request.auth, resource_id)
