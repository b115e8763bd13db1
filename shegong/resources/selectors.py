"""Reads of the three lists and wishes: always through the user's scope, filtered by the one
FilterSet of each list."""

from django.db.models import Q

from shegong.agencies.models import Agency
from shegong.core.scope import CHANGE, VIEW, can, user_assignments
from shegong.places.models import Community
from shegong.resources import matching, state
from shegong.resources.choices import NeedStatus, WishStatus
from shegong.resources.models import (
    AGENCY_LEADS,
    PLACE_STAFF,
    Need,
    NeedEvent,
    Project,
    Resource,
    Wish,
)


def needs_for(user, action: str = VIEW):
    return Need.objects.for_user(user, action).select_related(
        "community__street", "agency", "resource", "person", "raised_by"
    )


def need_for_user_or_404(user, pk, action: str = VIEW) -> Need:
    return needs_for(user).get_for_user_or_404(user, action, pk=pk)


def delivered_activity_of(user, need: Need):
    """The activity the need was delivered through, if the user may see it."""
    if need.delivered_activity_id is None:
        return None
    from shegong.activities.models import Activity

    return Activity.objects.for_user(user).filter(pk=need.delivered_activity_id).first()


def need_events(need: Need):
    return NeedEvent.objects.filter(need=need).select_related("actor")


def resources_for(user, action: str = VIEW):
    return Resource.objects.for_user(user, action).select_related(
        "community__street", "owner_agency"
    )


def resource_for_user_or_404(user, pk, action: str = VIEW) -> Resource:
    return (
        resources_for(user)
        .prefetch_related("service_communities", "service_streets")
        .get_for_user_or_404(user, action, pk=pk)
    )


def projects_for(user, action: str = VIEW):
    return Project.objects.for_user(user, action).select_related("community__street", "lead_agency")


def project_for_user_or_404(user, pk, action: str = VIEW) -> Project:
    return projects_for(user).prefetch_related("needs").get_for_user_or_404(user, action, pk=pk)


def wishes_for(user, action: str = VIEW):
    return Wish.objects.for_user(user, action).select_related("community__street", "person")


def wish_for_user_or_404(user, pk, action: str = VIEW) -> Wish:
    return wishes_for(user).get_for_user_or_404(user, action, pk=pk)


def public_wishes():
    """Open wishes anyone may claim: only what the public side shows is read from them."""
    return (
        Wish.objects.filter(status=WishStatus.OPEN)
        .select_related("community", "person")
        .order_by("-created_at", "-pk")
    )


def may_view(user, model) -> bool:
    return can(user, model, VIEW)


def may_change(user, obj) -> bool:
    return type(obj).objects.for_user(user, CHANGE).filter(pk=obj.pk).exists()


def _place_q(user):
    q = None
    for assignment in user_assignments(user):
        if assignment.role in PLACE_STAFF and not assignment.agency_id:
            part = Need.scope_rule.q_for(assignment)
            q = part if q is None else q | part
    return q


def lead_agencies(user) -> set[int]:
    return {a.agency_id for a in user_assignments(user) if a.role in AGENCY_LEADS and a.agency_id}


def staff_agencies(user) -> set[int]:
    return {a.agency_id for a in user_assignments(user) if a.agency_id}


def agency_users(agency, roles):
    """Active users holding one of ``roles`` at the agency."""
    from shegong.accounts.models import User

    return User.objects.filter(
        is_active=True,
        role_assignments__agency=agency,
        role_assignments__is_active=True,
        role_assignments__role__in=roles,
    ).distinct()


def need_actions(user, need: Need) -> list[str]:
    """The flow buttons this user gets on this need now (the services decide again)."""
    actions = []
    for action in state.allowed_actions(need.status):
        side = state.side_of(action)
        if user.is_superuser:
            actions.append(action)
        elif side == state.PARTY and need.agency_id:
            agencies = staff_agencies(user) if action == state.DELIVER else lead_agencies(user)
            if need.agency_id in agencies:
                actions.append(action)
        else:
            q = _place_q(user)
            if q is not None and Need.objects.filter(pk=need.pk).filter(q).exists():
                actions.append(action)
    return actions


def on_place_side(user, need: Need) -> bool:
    """Whether the user is staff of the need's place (who dispatch it and see suggestions)."""
    if user.is_superuser:
        return True
    q = _place_q(user)
    return q is not None and Need.objects.filter(pk=need.pk).filter(q).exists()


def suggestions_for(need: Need):
    return matching.suggestions(need)


def dispatch_agencies(user):
    return Agency.objects.for_user(user, VIEW).filter(is_active=True).order_by("name")


def awaiting_dispatch(user):
    q = _place_q(user)
    if q is None:
        return Need.objects.none()
    return Need.objects.filter(q, status=NeedStatus.RAISED)


def awaiting_own_resources(user):
    """Needs dispatched to resources a place owns: its staff take them on."""
    q = _place_q(user)
    if q is None:
        return Need.objects.none()
    return Need.objects.filter(q, status=NeedStatus.DISPATCHED, agency__isnull=True)


def awaiting_claim(user):
    agencies = lead_agencies(user)
    if not agencies:
        return Need.objects.none()
    return Need.objects.filter(agency_id__in=agencies, status=NeedStatus.DISPATCHED)


def awaiting_delivery(user):
    agencies = staff_agencies(user)
    if not agencies:
        return Need.objects.none()
    return Need.objects.filter(agency_id__in=agencies, status=NeedStatus.CLAIMED)


def filter_communities(user):
    """Communities a list's filter offers: those of the user's place nodes, or, for agency
    staff, those their agency's needs come from."""
    if user.is_superuser:
        return Community.objects.select_related("street").order_by("code")
    rows = Community.objects.filter(
        Q(pk__in=Need.objects.for_user(user).values("community"))
        | Q(pk__in=Resource.objects.for_user(user).values("community"))
    )
    from shegong.places.selectors import communities_within

    return (rows | communities_within(user)).distinct().select_related("street").order_by("code")
