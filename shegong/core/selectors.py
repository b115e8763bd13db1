"""Figures for the home page, computed from rows in the user's scope (never typed in)."""

from django.apps import apps
from django.utils.translation import gettext as _

from shegong.core.scope import VIEW, can, user_assignments


def home_figures(user) -> list[dict]:
    from shegong.places.selectors import communities_within

    Community = apps.get_model("places", "Community")
    Agency = apps.get_model("agencies", "Agency")
    Person = apps.get_model("people", "Person")

    has_place_node = user.is_superuser or any(
        a.district_id or a.street_id or a.community_id for a in user_assignments(user)
    )
    figures = []
    if has_place_node:
        communities = communities_within(user)
        figures.append(
            {
                "label": _("Communities in your area"),
                "value": communities.count(),
                "detail": _("of which urban villages: %(n)s")
                % {"n": communities.filter(urban_village=True).count()},
                "url_name": "places:tree",
            }
        )
    else:
        figures.append(
            {
                "label": _("Communities in the district"),
                "value": Community.objects.count(),
                "detail": "",
                "url_name": "places:tree",
            }
        )
    if can(user, Agency, VIEW):
        agencies = Agency.objects.for_user(user, VIEW)
        figures.append(
            {
                "label": _("Agencies"),
                "value": agencies.count(),
                "detail": _("active: %(n)s") % {"n": agencies.filter(is_active=True).count()},
                "url_name": "agencies:list",
            }
        )
    if can(user, Person, VIEW):
        figures.append(
            {
                "label": _("People on file"),
                "value": Person.objects.for_user(user, VIEW).count(),
                "detail": "",
                "url_name": "people:list",
            }
        )
    return figures
