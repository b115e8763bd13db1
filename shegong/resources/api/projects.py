"""Community projects (项目清单)."""

from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from ninja import Query, Status
from ninja.pagination import paginate

from shegong.agencies.models import Agency
from shegong.api.filters import valid_filterset
from shegong.core.scope import CHANGE, VIEW, can
from shegong.resources import selectors, services
from shegong.resources.api import router
from shegong.resources.api._common import _community, _ref, _sorted
from shegong.resources.api.schemas import (
    ProjectFilterIn,
    ProjectIn,
    ProjectOut,
    ProjectPatch,
)
from shegong.resources.filters import ProjectFilter
from shegong.resources.models import Project

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
