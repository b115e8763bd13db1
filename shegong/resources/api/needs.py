"""Needs: list, record, read, history, suggestions and the flow's steps."""

from django.http import Http404
from django.utils.translation import gettext as _
from ninja import Query, Status
from ninja.pagination import paginate

from shegong.agencies.models import Agency
from shegong.api.filters import valid_filterset
from shegong.core.scope import VIEW, can
from shegong.resources import selectors, services
from shegong.resources.api import router
from shegong.resources.api._common import _community, _person, _ref, _sorted
from shegong.resources.api.schemas import (
    MatchReasonOut,
    MatchSuggestionOut,
    NeedDeclineIn,
    NeedDeliverIn,
    NeedDispatchIn,
    NeedEventOut,
    NeedFilterIn,
    NeedNoteIn,
    NeedOut,
    NeedRaiseIn,
    NeedRateIn,
)
from shegong.resources.filters import NeedFilter
from shegong.resources.models import Need, Resource

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


def _activity(activity_id):
    """The activity named by id, or None; a missing id is refused like one out of view (the
    service checks the view)."""
    from shegong.activities.models import Activity

    if activity_id is None:
        return None
    try:
        activity = Activity.objects.filter(pk=activity_id).first()
    except OverflowError:  # an id beyond the database's integers
        activity = None
    if activity is None:
        raise services.activity_missing_error()
    return activity


@router.post("/needs/{need_id}/deliver", response=NeedOut, summary="Record the delivery")
def deliver_need(request, need_id: int, payload: NeedDeliverIn):
    need = _step_need(request, need_id, "deliver")
    services.need_deliver(
        actor=request.auth,
        need=need,
        delivered_on=payload.delivered_on,
        summary=payload.summary,
        activity=_activity(payload.activity_id),
    )
    return selectors.need_for_user_or_404(request.auth, need_id)


@router.post("/needs/{need_id}/rate", response=NeedOut, summary="Rate a delivered need")
def rate_need(request, need_id: int, payload: NeedRateIn):
    need = _step_need(request, need_id, "rate")
    services.need_rate(
        actor=request.auth, need=need, rating=payload.rating, comment=payload.comment
    )
    return selectors.need_for_user_or_404(request.auth, need_id)
