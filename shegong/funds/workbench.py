"""Charity funds on the workbench: the balance of the funds in the user's scope and this year's
donations. No to-do: a fund waits for no one."""

from django.urls import reverse
from django.utils.translation import gettext as _

from shegong.core.registry import Figure
from shegong.core.scope import VIEW, can
from shegong.funds.models import Fund
from shegong.funds.selectors import fund_figures_for


def fund_figures(user):
    if not can(user, Fund, VIEW):
        return []
    figures = fund_figures_for(user)
    url = reverse("funds:list")
    return [
        Figure(
            label=_("Charity fund balance (yuan)"),
            value=int(figures["balance"]),
            detail=_("%(n)s funds") % {"n": figures["funds"]},
            url=url,
            testid="fund-balance",
        ),
        Figure(
            label=_("Donations this year"),
            value=figures["donations"],
            detail=_("%(yuan)s yuan in money") % {"yuan": figures["donated"]},
            url=url,
            testid="fund-donations",
        ),
    ]
