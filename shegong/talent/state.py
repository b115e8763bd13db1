"""The application's review state machine, in one place.

    in_review (step 1 … n) --approve--> next step … --approve at the last--> in_notice (公示)
    in_review --return--> returned --resubmit--> in_review (step 1)
    in_review --reject--> rejected
    in_notice --objection upheld--> rejected
    in_notice --notice closed--> scheduled (payments) | granted (a title, nothing to pay)
    scheduled --last instalment paid--> paid

Every service asks ``require_status`` before it moves an application, so an illegal move is
refused with a message that names the reason, whichever page or API operation asked.
"""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from shegong.talent.choices import ApplicationStatus

MOVES = {
    "review": {ApplicationStatus.IN_REVIEW},
    "resubmit": {ApplicationStatus.RETURNED},
    "set_amount": {ApplicationStatus.IN_REVIEW, ApplicationStatus.RETURNED},
    "object": {ApplicationStatus.IN_NOTICE},
    "close_notice": {ApplicationStatus.IN_NOTICE},
    "withdraw": {ApplicationStatus.IN_REVIEW, ApplicationStatus.RETURNED},
}


def require_status(application, move: str, *, field: str = "status") -> None:
    if application.status in MOVES[move]:
        return
    messages = {
        "review": _("This application is not waiting for a review (it is %(status)s)."),
        "resubmit": _(
            "Only an application returned for changes can be resubmitted (it is %(status)s)."
        ),
        "set_amount": _("The amount cannot change after approval (the application is %(status)s)."),
        "object": _("Objections are recorded only during the public notice (it is %(status)s)."),
        "close_notice": _("Only an application in public notice can end it (it is %(status)s)."),
        "withdraw": _("This application can no longer be withdrawn (it is %(status)s)."),
    }
    raise ValidationError(
        {field: [messages[move] % {"status": ApplicationStatus(application.status).label}]}
    )
