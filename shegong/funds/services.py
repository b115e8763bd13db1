"""Writes to charity funds: open a fund, record donations and disbursements, reverse an entry.

There is no update and no delete: the ledger is append-only (``models.Entry`` refuses both).
Every entry is written while the fund row is locked (``select_for_update``; on SQLite the
write transaction itself is the lock), so two disbursements at once cannot both spend the
same yuan, and receipt numbers follow each other without gaps.
"""

import datetime
from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from shegong.core.audit import set_actor
from shegong.core.scope import CHANGE, VIEW, require, user_roles
from shegong.core.validators import model_errors
from shegong.funds.choices import DonationForm, DonorType, EntryKind
from shegong.funds.models import FUND_OPENERS, ZERO, Entry, Fund
from shegong.places.selectors import communities_within

MAX_AMOUNT = Decimal("9999999999.99")  # what Decimal(12, 2) holds


def may_open_fund(user) -> bool:
    return user.is_superuser or bool(user_roles(user) & FUND_OPENERS)


def _amount(value, field: str, errors: dict, *, required: bool = True) -> Decimal:
    if value in (None, ""):
        if required:
            errors[field] = [_("Enter an amount in yuan.")]
        return ZERO
    try:
        amount = Decimal(str(value))
    except (InvalidOperation, ValueError, TypeError):
        errors[field] = [_("Enter an amount in yuan, e.g. 500 or 12.50.")]
        return ZERO
    if not amount.is_finite():
        errors[field] = [_("Enter an amount in yuan, e.g. 500 or 12.50.")]
        return ZERO
    if amount <= 0:
        errors[field] = [_("The amount must be greater than 0.")]
    elif amount > MAX_AMOUNT:
        errors[field] = [_("The amount is too large.")]
    elif amount != amount.quantize(Decimal("0.01")):
        errors[field] = [_("Amounts are in yuan with at most two decimals (fen).")]
    return amount.quantize(Decimal("0.01")) if field not in errors else ZERO


def _text(data: dict, name: str) -> str:
    value = data.get(name)
    return "" if value is None else str(value).strip()


def fund_open(*, actor, community, name: str = "", description: str = "") -> Fund:
    if not may_open_fund(actor):
        raise PermissionDenied(_("You may not open charity funds."))
    errors = {}
    if community is None or not communities_within(actor).filter(pk=community.pk).exists():
        errors["community"] = [_("Choose a community inside your own scope.")]
    elif Fund.objects.filter(community=community).exists():
        errors["community"] = [_("This community already has a charity fund.")]
    if errors:
        raise ValidationError(errors)
    fund = Fund(
        community=community,
        name=(name or "").strip() or _("%(community)s charity fund") % {"community": community},
        description=(description or "").strip(),
        opened_by=actor,
    )
    errors = model_errors(fund, exclude=("opened_by",))
    if errors:
        raise ValidationError(errors)
    try:
        with transaction.atomic(), set_actor(actor):
            fund.save()
    except IntegrityError:
        # The one-to-one column decides when two openers race.
        raise ValidationError(
            {"community": [_("This community already has a charity fund.")]}
        ) from None
    return fund


def _occurred_on(value, errors: dict) -> datetime.date:
    if value in (None, ""):
        return timezone.localdate()
    if isinstance(value, datetime.date):
        return value
    try:
        return datetime.date.fromisoformat(str(value))
    except ValueError:
        errors["occurred_on"] = [_("Enter a valid date.")]
        return timezone.localdate()


def _append(*, actor, fund: Fund, entry: Entry, check_balance: bool) -> Entry:
    """Lock the fund, check the balance, number the entry, write it and the new balance."""
    errors = model_errors(
        entry,
        exclude=("fund", "receipt_no", "recorded_by"),
        rename={"money": "amount", "in_kind_value": "estimated_value"},
    )
    if errors:
        raise ValidationError(errors)
    with transaction.atomic(), set_actor(actor):
        locked = Fund.objects.select_for_update().get(pk=fund.pk)
        new_balance = locked.balance + entry.money
        if check_balance and new_balance < 0:
            field = "reverses" if entry.kind == EntryKind.REVERSAL else "amount"
            raise ValidationError(
                {
                    field: [
                        _(
                            "Refused: the fund holds %(balance)s yuan; this would leave "
                            "%(after)s yuan."
                        )
                        % {"balance": locked.balance, "after": new_balance}
                    ]
                }
            )
        if (
            entry.reverses_id is not None
            and Entry.objects.filter(reverses_id=entry.reverses_id).exists()
        ):
            raise ValidationError({"reverses": [_("This entry has already been reversed.")]})
        locked.last_receipt_no += 1
        locked.balance = new_balance
        entry.fund = locked
        entry.receipt_no = locked.last_receipt_no
        entry.recorded_by = actor
        entry.save()
        locked.save(update_fields=["balance", "last_receipt_no", "updated_at"])
    fund.balance, fund.last_receipt_no = locked.balance, locked.last_receipt_no
    return entry


def donation_record(*, actor, fund: Fund, **data) -> Entry:
    """A donation in: money (``amount``) or goods in kind (``goods_description``,
    ``goods_quantity``, ``estimated_value``), from a person or an organisation."""
    require(actor, fund, CHANGE)
    errors: dict[str, list[str]] = {}
    donor_type = _text(data, "donor_type") or DonorType.INDIVIDUAL
    if donor_type not in DonorType.values:
        errors["donor_type"] = [_("Choose an individual or a company/organisation.")]
    form = _text(data, "form") or DonationForm.MONEY
    if form not in DonationForm.values:
        errors["form"] = [_("Choose money or goods in kind.")]
    donor_name = _text(data, "donor_name")
    person = data.get("donor_person")
    if person is not None:
        if donor_type != DonorType.INDIVIDUAL:
            errors["donor_person"] = [_("Only an individual donor is linked to a person record.")]
        else:
            from shegong.people.selectors import people_for

            if not people_for(actor).filter(pk=person.pk).exists():
                errors["donor_person"] = [_("No such person in your scope.")]
            elif not donor_name:
                donor_name = person.name
    if not donor_name and "donor_person" not in errors:
        errors["donor_name"] = [_("Enter the donor's name.")]
    money = in_kind = ZERO
    goods = quantity = ""
    if form == DonationForm.MONEY:
        money = _amount(data.get("amount"), "amount", errors)
    elif form == DonationForm.IN_KIND:
        goods = _text(data, "goods_description")
        quantity = _text(data, "goods_quantity")
        if not goods:
            errors["goods_description"] = [_("Describe the goods donated.")]
        if not quantity:
            errors["goods_quantity"] = [_("Enter the quantity, e.g. 20 boxes.")]
        in_kind = _amount(data.get("estimated_value"), "estimated_value", errors)
    occurred_on = _occurred_on(data.get("occurred_on"), errors)
    if errors:
        raise ValidationError(errors)
    entry = Entry(
        fund=fund,
        kind=EntryKind.DONATION,
        occurred_on=occurred_on,
        money=money,
        in_kind_value=in_kind,
        donor_name=donor_name,
        donor_type=donor_type,
        donor_person=person,
        form=form,
        goods_description=goods,
        goods_quantity=quantity,
        note=_text(data, "note"),
    )
    return _append(actor=actor, fund=fund, entry=entry, check_balance=False)


def disbursement_targets(user, fund: Fund):
    """The needs and the projects a disbursement from ``fund`` may pay for: those of the
    fund's community that the user sees."""
    from shegong.resources.models import Need, Project

    return (
        Need.objects.for_user(user).filter(community_id=fund.community_id),
        Project.objects.for_user(user).filter(community_id=fund.community_id),
    )


def target_missing_error(field: str) -> ValidationError:
    """A need or project not found, or out of the actor's view: the same answer."""
    message = {
        "need": _("Choose a need you may see."),
        "project": _("Choose a project you may see."),
    }[field]
    return ValidationError({field: [message]})


def _check_targets(actor, fund: Fund, need, project, errors: dict) -> None:
    """At most one of a need and a project, each seen by the actor and of the fund's
    community."""
    if need is not None and project is not None:
        errors["project"] = [_("A disbursement pays for a need or a project, not both.")]
        return
    needs, projects = disbursement_targets(actor, fund)
    for field, target, visible in (("need", need, needs), ("project", project, projects)):
        if target is None:
            continue
        if not type(target).objects.for_user(actor).filter(pk=target.pk).exists():
            errors[field] = target_missing_error(field).message_dict[field]
        elif not visible.filter(pk=target.pk).exists():
            errors[field] = [
                _("Choose one of %(community)s, the fund's community.")
                % {"community": fund.community.name}
            ]


def disbursement_record(*, actor, fund: Fund, **data) -> Entry:
    """Money out to a purpose (and optionally a named recipient, and the need or the project
    it pays for); refused, writing nothing, when the fund does not hold the amount."""
    require(actor, fund, CHANGE)
    errors: dict[str, list[str]] = {}
    amount = _amount(data.get("amount"), "amount", errors)
    purpose = _text(data, "purpose")
    if not purpose:
        errors["purpose"] = [_("Enter what the money is for.")]
    need, project = data.get("need"), data.get("project")
    _check_targets(actor, fund, need, project, errors)
    occurred_on = _occurred_on(data.get("occurred_on"), errors)
    if errors:
        raise ValidationError(errors)
    entry = Entry(
        fund=fund,
        kind=EntryKind.DISBURSEMENT,
        occurred_on=occurred_on,
        money=-amount,
        purpose=purpose,
        recipient=_text(data, "recipient"),
        need=need,
        project=project,
        note=_text(data, "note"),
    )
    return _append(actor=actor, fund=fund, entry=entry, check_balance=True)


def entry_reverse(*, actor, entry: Entry, reason: str, occurred_on=None) -> Entry:
    """Undo ``entry`` with a new entry of the opposite amounts. An entry is reversed once; a
    reversal is not reversed; a donation already spent is not reversed (the balance would go
    below zero)."""
    require(actor, entry, VIEW)
    fund = require(actor, entry.fund, CHANGE)
    errors: dict[str, list[str]] = {}
    if entry.kind == EntryKind.REVERSAL:
        errors["reverses"] = [_("A reversal cannot itself be reversed.")]
    elif Entry.objects.filter(reverses=entry).exists():
        errors["reverses"] = [_("This entry has already been reversed.")]
    reason = (reason or "").strip()
    if not reason:
        errors["note"] = [_("Say why the entry is reversed.")]
    when = _occurred_on(occurred_on, errors)
    if errors:
        raise ValidationError(errors)
    reversal = Entry(
        fund=fund,
        kind=EntryKind.REVERSAL,
        occurred_on=when,
        money=-entry.money,
        in_kind_value=-entry.in_kind_value,
        reverses=entry,
        note=reason,
    )
    return _append(actor=actor, fund=fund, entry=reversal, check_balance=True)
