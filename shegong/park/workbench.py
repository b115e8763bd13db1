"""The park on the workbench: the contracts in arrears for whoever runs the park (a to-do: rent
to collect), and for an agency's director what their organisation owes in rent (a figure)."""

from django.urls import reverse
from django.utils.translation import gettext as _

from shegong.core.registry import Figure, Todo
from shegong.core.scope import VIEW, can, user_roles
from shegong.park.models import Contract
from shegong.park.selectors import rent_figures
from shegong.park.services import may_run_park


def park_todos(user):
    if not may_run_park(user):
        return []
    figures = rent_figures(user)
    return [
        Todo(
            label=_("Park contracts in arrears"),
            count=figures["in_arrears"],
            url=reverse("park:overview"),
            empty=_("Tenants whose rent is 15 days late show here."),
            testid="park-arrears",
        )
    ]


def park_figures(user):
    # The director of a tenant agency: what their organisation owes. Park staff see the
    # arrears as a to-do instead.
    if may_run_park(user) or "agency_admin" not in user_roles(user):
        return []
    if not can(user, Contract, VIEW):
        return []
    figures = rent_figures(user)
    if not figures["contracts"]:
        return []
    return [
        Figure(
            label=_("Park rent owed (yuan)"),
            value=int(figures["owed"]),
            detail=_("%(yuan)s yuan in arrears") % {"yuan": figures["arrears"]},
            url=reverse("park:contracts"),
            testid="park-rent-owed",
        )
    ]
