"""Resources (资源清单), registered last: ``/{resource_id}`` after the fixed paths."""

from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from ninja import Query, Status
from ninja.pagination import paginate

from shegong.agencies.models import Agency
from shegong.api.filters import valid_filterset
from shegong.core.scope import CHANGE, VIEW, can
from shegong.places.models import Community, Street
from shegong.resources import selectors, services
from shegong.resources.api import router
from shegong.resources.api._common import _community, _ref, _sorted
from shegong.resources.api.schemas import (
    ResourceFilterIn,
    ResourceIn,
    ResourceOut,
    ResourcePatch,
)
from shegong.resources.filters import ResourceFilter
from shegong.resources.models import Resource

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
