"""Agencies API: the page's list, detail, create and edit, with the same scope and services."""

import datetime

from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from shegong.agencies.choices import AgencyKind
from shegong.agencies.filters import AgencyFilter
from shegong.agencies.models import Agency
from shegong.agencies.selectors import agencies_for, agency_for_user_or_404
from shegong.agencies.services import agency_create, agency_update, may_create_agency
from shegong.api.filters import valid_filterset
from shegong.core.scope import CHANGE, VIEW, can
from shegong.places.models import Community

router = Router(tags=["agencies"])


class AgencyOut(Schema):
    id: int
    name: str
    kind: AgencyKind
    uscc: str
    community_id: int
    community_name: str = Field(..., alias="community.name")
    street_id: int = Field(..., alias="community.street_id")
    address: str
    legal_representative: str
    contact_name: str
    contact_phone_masked: str
    email: str
    registered_on: datetime.date | None
    is_active: bool


class AgencyFilterIn(Schema):
    q: str | None = None
    kind: AgencyKind | None = None
    street: int | None = None
    community: int | None = None
    active: bool | None = None
    sort: str | None = Field(
        None,
        description="name, uscc, kind, street, community, contact_name, is_active; '-' descends",
    )


class AgencyIn(Schema):
    name: str
    kind: AgencyKind = AgencyKind.SOCIAL_WORK
    uscc: str
    community_id: int
    address: str = ""
    legal_representative: str = ""
    contact_name: str = ""
    contact_phone: str = ""
    email: str = ""
    registered_on: datetime.date | None = None
    is_active: bool = True


class AgencyPatch(Schema):
    name: str | None = None
    kind: AgencyKind | None = None
    uscc: str | None = None
    community_id: int | None = None
    address: str | None = None
    legal_representative: str | None = None
    contact_name: str | None = None
    contact_phone: str | None = None
    email: str | None = None
    registered_on: datetime.date | None = None
    is_active: bool | None = None


def _service_data(payload: dict) -> dict:
    data = dict(payload)
    if "community_id" in data:
        community_id = data.pop("community_id")
        # Any existing community may be named; the service refuses those outside the scope.
        data["community"] = Community.objects.filter(pk=community_id).first()
        if data["community"] is None:
            raise ValidationError({"community": [_("Choose a community inside your own scope.")]})
    return data


@router.get("", response=list[AgencyOut], summary="Agencies in my scope")
@paginate
def list_agencies(request, filters: Query[AgencyFilterIn]):
    if not can(request.auth, Agency, VIEW):
        raise Http404
    agencies = valid_filterset(AgencyFilter, filters, queryset=agencies_for(request.auth)).qs
    return agencies if filters.sort else agencies.order_by("name", "pk")


@router.get("/{agency_id}", response=AgencyOut, summary="One agency")
def get_agency(request, agency_id: int):
    return agency_for_user_or_404(request.auth, agency_id)


@router.post("", response={201: AgencyOut}, summary="Register an agency")
def create_agency(request, payload: AgencyIn):
    if not may_create_agency(request.auth):
        raise Http404  # before looking at the payload: no hint about what would be accepted
    agency = agency_create(actor=request.auth, **_service_data(payload.dict()))
    return Status(201, agency_for_user_or_404(request.auth, agency.pk))


@router.patch("/{agency_id}", response=AgencyOut, summary="Change an agency")
def update_agency(request, agency_id: int, payload: AgencyPatch):
    agency = agency_for_user_or_404(request.auth, agency_id, CHANGE)
    agency_update(
        actor=request.auth, agency=agency, **_service_data(payload.dict(exclude_unset=True))
    )
    return agency_for_user_or_404(request.auth, agency_id)
