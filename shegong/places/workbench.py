"""The places app's workbench figure: the communities a place's staff look after."""

from django.db.models import Count, Q
from django.urls import reverse
from django.utils.translation import gettext as _

from shegong.core.registry import Figure
from shegong.core.scope import user_roles
from shegong.places.selectors import communities_within

# The roles whose work is a place (district, street, community). Agency staff, trainers,
# evaluators and auditors are bound to a node too, but a count of its communities says nothing
# about their work.
PLACE_STAFF = frozenset({"district_admin", "street_admin", "community_staff"})


def place_figures(user):
    if not (user.is_superuser or user_roles(user) & PLACE_STAFF):
        return []
    counts = communities_within(user).aggregate(
        total=Count("pk"), urban=Count("pk", filter=Q(urban_village=True))
    )
    return [
        Figure(
            label=_("Communities in your area"),
            value=counts["total"],
            detail=_("of which urban villages: %(n)s") % {"n": counts["urban"]},
            url=reverse("places:tree"),
            testid="communities",
        )
    ]
