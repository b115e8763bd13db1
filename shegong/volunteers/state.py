"""The one state machine of service hours: pending → approved or rejected. Both are final:
approved hours have earned points; rejected ones are entered again if they were wrong."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from shegong.volunteers.choices import HoursStatus

MOVES = {
    HoursStatus.PENDING: {HoursStatus.APPROVED, HoursStatus.REJECTED},
    HoursStatus.APPROVED: set(),
    HoursStatus.REJECTED: set(),
}


def allowed_moves(hours) -> list[str]:
    return sorted(MOVES.get(hours.status, set()))


def check_move(hours, to: str) -> None:
    if to not in (HoursStatus.APPROVED, HoursStatus.REJECTED):
        raise ValidationError({"status": [_("Choose to approve or to reject.")]})
    if to in MOVES.get(hours.status, set()):
        return
    if hours.status == HoursStatus.APPROVED:
        message = _("These hours were approved already: a decision is final.")
    else:
        message = _("These hours were rejected already: a decision is final.")
    raise ValidationError({"status": [message]})
