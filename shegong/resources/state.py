"""The need flow: the one place that says which step may follow which (居民点单—社区派单—多方接单).

raised → dispatched (the community or street sends it to an agency or a resource) → claimed (the
party accepts it; declining sends it back to raised) → delivered → rated (by the resident, or by
staff on their behalf). Services ask :func:`next_status` before every change; a refusal is a
``ValidationError`` whose message names the reason, and nothing is written.

``side`` says who takes a step: ``place`` (the staff of the need's community, street or
district) or ``party`` (the agency it went to; for a community-owned resource, the place staff).
"""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from shegong.resources.choices import NeedStatus as S

DISPATCH = "dispatch"
CLAIM = "claim"
DECLINE = "decline"
DELIVER = "deliver"
RATE = "rate"

PLACE = "place"
PARTY = "party"


@dataclass(frozen=True)
class Move:
    sources: tuple[str, ...]
    target: str
    side: str


MOVES = {
    DISPATCH: Move((S.RAISED,), S.DISPATCHED, PLACE),
    CLAIM: Move((S.DISPATCHED,), S.CLAIMED, PARTY),
    DECLINE: Move((S.DISPATCHED,), S.RAISED, PARTY),
    DELIVER: Move((S.CLAIMED,), S.DELIVERED, PARTY),
    RATE: Move((S.DELIVERED,), S.RATED, PLACE),
}
ACTIONS = tuple(MOVES)


class IllegalTransition(ValidationError):
    pass


def _refuse(message: str):
    raise IllegalTransition(message, code="illegal_transition")


def _reason(status: str, action: str) -> str:
    if status == S.RATED:
        return _("The need is closed: it has been delivered and rated.")
    if action == DISPATCH:
        return _(
            "The need has already been dispatched; it can be dispatched again only after "
            "the party declines it."
        )
    if action in (CLAIM, DECLINE):
        if status == S.RAISED:
            return _("The need has not been dispatched to anyone yet.")
        return _("The need has already been claimed.")
    if action == DELIVER:
        if status in (S.RAISED, S.DISPATCHED):
            return _("The need must be claimed before it is delivered.")
        return _("The need has already been delivered.")
    # RATE
    if status == S.DELIVERED:
        return ""
    return _("Only a delivered need can be rated.")


def next_status(status: str, action: str) -> str:
    """The status after ``action``, or IllegalTransition saying why it may not happen now."""
    if action not in MOVES:
        raise ValueError(f"Unknown need action {action!r}")
    move = MOVES[action]
    if status not in move.sources:
        _refuse(_reason(status, action))
    return move.target


def side_of(action: str) -> str:
    return MOVES[action].side


def allowed_actions(status: str) -> list[str]:
    return [action for action, move in MOVES.items() if status in move.sources]
