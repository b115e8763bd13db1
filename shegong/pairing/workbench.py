"""Pairing on the workbench: reviews due this year (district and street), overdue commitments
(the side that made them), and the active pairings of the user's scope."""

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from shegong.core.registry import Figure, Todo
from shegong.core.scope import VIEW, can, user_roles
from shegong.pairing import selectors
from shegong.pairing.choices import AgreementStatus, Side
from shegong.pairing.models import AGENCY_SIDE, COMMUNITY_SIDE, PAIRING_ADMINS, PairingAgreement


def pairing_todos(user):
    roles = user_roles(user)
    todos = []
    url = reverse("pairing:list")
    if user.is_superuser or roles & PAIRING_ADMINS:
        year = timezone.localdate().year
        todos.append(
            Todo(
                label=_("Pairing reviews due in %(year)s") % {"year": year},
                count=selectors.reviews_due(user).count(),
                url=f"{url}?review_due=true",
                empty=_("Every active pairing agreement has its review for this year."),
                testid="pairing-reviews-due",
            )
        )
    sides = set()
    if roles & COMMUNITY_SIDE:
        sides.add(Side.COMMUNITY)
    if roles & AGENCY_SIDE:
        sides.add(Side.AGENCY)
    if sides:
        todos.append(
            Todo(
                label=_("Overdue pairing commitments"),
                count=selectors.overdue_commitments(user, sides).count(),
                url=f"{url}?status={AgreementStatus.ACTIVE}",
                empty=_("No commitment of your side is overdue."),
                testid="pairing-overdue",
            )
        )
    return todos


def pairing_figures(user):
    if not can(user, PairingAgreement, VIEW):
        return []
    counts = selectors.agreement_counts(user)
    if not counts["total"]:
        return []
    return [
        Figure(
            label=_("Active pairings"),
            value=counts["active"],
            detail=_("with urban villages: %(n)s") % {"n": counts["urban"]},
            url=f"{reverse('pairing:list')}?status={AgreementStatus.ACTIVE}",
            testid="pairing-active",
        )
    ]
