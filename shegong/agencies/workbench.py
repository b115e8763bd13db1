"""The agencies app's workbench figure: the agencies in a place's or the district's view."""

from django.db.models import Count, Q
from django.urls import reverse
from django.utils.translation import gettext as _

from shegong.agencies.models import AGENCY_VIEWERS, Agency
from shegong.core.registry import Figure
from shegong.core.scope import VIEW, user_assignments


def agency_figures(user):
    # Agency staff see their own agency only: "1 agency" is no figure. Everyone who looks at
    # agencies from a place (district, street, community) gets the count of their view.
    looks_from_place = user.is_superuser or any(
        a.role in AGENCY_VIEWERS and not a.agency_id for a in user_assignments(user)
    )
    if not looks_from_place:
        return []
    counts = Agency.objects.for_user(user, VIEW).aggregate(
        total=Count("pk"), active=Count("pk", filter=Q(is_active=True))
    )
    return [
        Figure(
            label=_("Agencies"),
            value=counts["total"],
            detail=_("active: %(n)s") % {"n": counts["active"]},
            url=reverse("agencies:list"),
            testid="agencies",
        )
    ]
