"""转介: referring a case to another agency or a community service, and the answer."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from shegong.cases import state
from shegong.cases.choices import CaseSource, EventKind, ReferralStatus
from shegong.cases.models import Case, Referral
from shegong.cases.services._common import (
    _allowed,
    _case_link,
    _is_lead,
    _notify_leads,
    _raise,
    _require,
    event_create,
    today,
)
from shegong.cases.services.lifecycle import case_open
from shegong.core.audit import set_actor
from shegong.core.scope import CHANGE, CONTENT, OutOfScope
from shegong.core.validators import field_errors
from shegong.notifications.services import notify
from shegong.people.choices import ConsentScope

# --- referral ---------------------------------------------------------------------------------


@transaction.atomic
def referral_create(
    *,
    actor,
    case: Case,
    reason: str,
    summary_for_receiver: str,
    consent,
    to_agency=None,
    to_service: str = "",
) -> Referral:
    """转介: only with the client's recorded, unwithdrawn consent to sharing."""
    _require(actor, case, CONTENT, CHANGE)
    _allowed(case, state.NOTE)  # open and not awaiting closure
    errors: dict[str, list[str]] = {}
    if (to_agency is None) == (not to_service.strip()):
        errors["to_agency"] = [_("Refer either to an agency or to a community service.")]
    elif to_agency is not None and to_agency.pk == case.agency_id:
        errors["to_agency"] = [_("Reassign within the agency instead of referring to it.")]
    if consent is None or consent.person_id != case.client_id or not consent.is_active:
        errors["consent"] = [_("A referral needs the client's recorded consent to sharing.")]
    elif consent.scope != ConsentScope.SHARING:
        errors["consent"] = [_("The consent must cover sharing with partner organisations.")]
    if not reason.strip():
        errors["reason"] = [_("Give the reason for the referral.")]
    if not summary_for_receiver.strip():
        errors["summary_for_receiver"] = [_("Write what the receiver needs to know.")]
    _raise(errors)
    with set_actor(actor):
        referral = Referral(
            case=case,
            to_agency=to_agency,
            to_service=to_service.strip(),
            reason=reason.strip(),
            summary_for_receiver=summary_for_receiver.strip(),
            consent=consent,
            requested_by=actor,
        )
        if to_agency is None:
            # A community service has no account here: the referral is recorded as delivered.
            referral.status = ReferralStatus.ACCEPTED
            referral.decided_at = timezone.now()
        referral.full_clean()
        referral.save()
        event_create(
            case=case,
            kind=EventKind.REFERRED,
            actor=actor,
            from_status=case.status,
            to_status=case.status,
            note=str(to_agency or to_service),
        )
    if to_agency is not None:
        _notify_leads(
            to_agency,
            _("A case referral from %(agency)s awaits your answer.") % {"agency": case.agency},
            "cases:referrals",
            actor=actor,
        )
    return referral


@transaction.atomic
def referral_decide(
    *, actor, referral: Referral, accept: bool, decline_reason: str = "", worker=None
) -> Referral:
    """The receiving agency accepts (opening its own case for the client) or declines."""
    agency = referral.to_agency
    if agency is None or not _is_lead(actor, agency):
        raise OutOfScope
    if referral.status != ReferralStatus.PENDING:
        raise ValidationError({"referral": [_("This referral has already been answered.")]})
    if not accept and not decline_reason.strip():
        raise ValidationError({"decline_reason": [_("Say why the referral is declined.")]})
    case = referral.case
    with set_actor(actor):
        if accept:
            new_case = case_open(
                actor=actor,
                client=case.client,
                agency=agency,
                worker=worker or actor,
                source=CaseSource.REFERRAL,
                presenting_problem=referral.summary_for_receiver,
                risk_level=case.risk_level,
                intake_date=today(),
                is_taiwan_service=case.is_taiwan_service,
                shared_by_referral=True,
            )
            new_case.referred_from = case
            new_case.save(update_fields=["referred_from"])
            referral.new_case = new_case
            referral.status = ReferralStatus.ACCEPTED
        else:
            referral.status = ReferralStatus.DECLINED
            referral.decline_reason = decline_reason.strip()
            _raise(field_errors(referral, ["decline_reason"]))
        referral.decided_by = actor
        referral.decided_at = timezone.now()
        referral.save()
        event_create(
            case=case,
            kind=EventKind.REFERRAL_DECIDED,
            actor=actor,
            from_status=case.status,
            to_status=case.status,
            note=referral.get_status_display(),
        )
    notify(
        case.worker,
        _("The referral of case %(number)s was %(status)s.")
        % {"number": case.number, "status": referral.get_status_display()},
        _case_link(case),
    )
    return referral
