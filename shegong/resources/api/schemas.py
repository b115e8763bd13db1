"""Request and response bodies of the lists' API. Names carry their subject (NeedNoteIn,
not NoteIn): OpenAPI components are global, and a clash replaces another app's schema."""

import datetime

from ninja import Field, Schema

from shegong.resources.choices import (
    Category,
    NeedSource,
    NeedStatus,
    ProjectStatus,
    ResourceKind,
    Urgency,
    WishStatus,
)

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
    delivered_activity_id: int | None
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
    activity_id: int | None = Field(None, description="The activity it was delivered through")


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
