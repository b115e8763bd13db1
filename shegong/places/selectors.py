"""Reads of the place tree."""

from django.db.models import Prefetch

from shegong.places.models import Community, District, Street


def place_tree(user):
    """Districts with their streets and communities, in code order, in two queries per level."""
    communities = Community.objects.for_user(user).order_by("code")
    streets = (
        Street.objects.for_user(user)
        .order_by("code")
        .prefetch_related(Prefetch("communities", queryset=communities))
    )
    return District.objects.for_user(user).prefetch_related(Prefetch("streets", queryset=streets))


def communities_within(user):
    """Communities under the user's place nodes: the choices when placing something new.

    Unlike ``Community.objects.for_user`` (everyone may read the tree), this is where the user
    *acts*: a street admin may register an agency in their street's communities only.
    """
    from shegong.core.scope import user_assignments

    if not getattr(user, "is_authenticated", False):
        return Community.objects.none()
    if user.is_superuser:
        return Community.objects.all()
    q = None
    for assignment in user_assignments(user):
        if assignment.district_id:
            part = Community.objects.filter(street__district_id=assignment.district_id)
        elif assignment.street_id:
            part = Community.objects.filter(street_id=assignment.street_id)
        elif assignment.community_id:
            part = Community.objects.filter(pk=assignment.community_id)
        else:
            continue
        q = part if q is None else q | part
    return q if q is not None else Community.objects.none()
