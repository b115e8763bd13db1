"""The contract flow, in one place: draft → active → ended or terminated; a draft may also be
cancelled (it then holds no unit). Services ask :func:`check` before every change; a refusal is a
``ValidationError`` whose message names the reason, and nothing is written."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from shegong.park.choices import ContractStatus as S

ACTIVATE = "activate"
END = "end"
TERMINATE = "terminate"
CANCEL = "cancel"

MOVES = {
    ACTIVATE: ((S.DRAFT,), S.ACTIVE),
    END: ((S.ACTIVE,), S.ENDED),
    TERMINATE: ((S.ACTIVE,), S.TERMINATED),
    CANCEL: ((S.DRAFT,), S.CANCELLED),
}


def _reason(status: str, action: str) -> str:
    if status in (S.ENDED, S.TERMINATED, S.CANCELLED):
        return _("The contract is closed (%(status)s); it can no longer change.") % {
            "status": S(status).label
        }
    if status == S.ACTIVE:
        return _("The contract is already in force; only ending or terminating it is possible.")
    return _("The contract is still a draft; activate it first.")


def check(status: str, action: str) -> str:
    """The status ``action`` leads to from ``status``, or a refusal naming why not."""
    sources, target = MOVES[action]
    if status not in sources:
        raise ValidationError({"status": [_reason(status, action)]}, code="illegal_transition")
    return target


def allowed(status: str) -> list[str]:
    return [action for action, (sources, _target) in MOVES.items() if status in sources]
