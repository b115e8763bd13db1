"""The disbursement ledger: an instalment is paid once, and what is paid never passes what the
policy committed (a check constraint, kept under the policy row's lock)."""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from shegong.core.audit import set_actor
from shegong.core.scope import VIEW, require
from shegong.core.validators import single_line_text
from shegong.talent.choices import ApplicationStatus
from shegong.talent.models import Application, Payment, Policy
from shegong.talent.services.common import acts_as, today


def payment_record(*, actor, payment: Payment, paid_on=None, reference: str = "") -> Payment:
    """Record that the finance office paid one instalment."""
    require(actor, payment, VIEW)
    if not acts_as(actor, "district_admin", Application, payment.application):
        raise PermissionDenied(_("Only the district records payments."))
    errors: dict[str, list[str]] = {}
    day = paid_on or today()
    if not isinstance(day, datetime.date):
        errors["paid_on"] = [_("Enter a valid date.")]
    elif day > today():
        errors["paid_on"] = [_("This date cannot be in the future.")]
    reference = (reference or "").strip()
    try:
        single_line_text(reference)
    except ValidationError as error:
        errors["reference"] = error.messages
    if len(reference) > 50:
        errors["reference"] = [_("At most 50 characters.")]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic(), set_actor(actor):
        locked = Payment.objects.select_for_update().get(pk=payment.pk)
        if locked.paid_on is not None:
            raise ValidationError({"paid_on": [_("This instalment has already been paid.")]})
        if day < locked.due_on:
            raise ValidationError(
                {"paid_on": [_("This instalment is due on %(date)s.") % {"date": locked.due_on}]}
            )
        policy = Policy.objects.select_for_update().get(pk=locked.policy_id)
        policy.disbursed += locked.amount
        policy.save(update_fields=["disbursed", "updated_at"])
        locked.paid_on, locked.paid_by, locked.reference = day, actor, reference
        locked.save(update_fields=["paid_on", "paid_by", "reference", "updated_at"])
        application = Application.objects.select_for_update().get(pk=locked.application_id)
        if not application.payments.filter(paid_on__isnull=True).exists():
            application.status = ApplicationStatus.PAID
            application.save(update_fields=["status", "updated_at"])
    return locked
