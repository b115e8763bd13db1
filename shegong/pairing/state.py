"""The pairing agreement's one state machine: draft → active → ended.

A draft is being written (commitments may still be added); it becomes active when both sides
have signed; an active agreement ends at the end of its period or earlier by decision. Nothing
goes back. Services ask :func:`next_status` before every change; a refusal names the reason.
"""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from shegong.pairing.choices import AgreementStatus as S

ACTIVATE = "activate"
END = "end"
ACTIONS = (ACTIVATE, END)

_MOVES = {
    (S.DRAFT, ACTIVATE): S.ACTIVE,
    (S.ACTIVE, END): S.ENDED,
}


def next_status(status: str, action: str) -> str:
    if action not in ACTIONS:
        raise ValidationError({"action": [_("Unknown action.")]}, code="illegal_transition")
    try:
        return _MOVES[(status, action)]
    except KeyError:
        if action == ACTIVATE:
            message = (
                _("The agreement is already active.")
                if status == S.ACTIVE
                else _("An ended agreement cannot be activated again.")
            )
        elif status == S.DRAFT:
            message = _("A draft is not in force; activate it before ending it.")
        else:
            message = _("The agreement has already ended.")
        raise ValidationError({"action": [message]}, code="illegal_transition") from None
