"""Writes of the incubation park: parks, units, tenancy contracts and their flow, rent payments
and their reversals. Every write checks the actor's scope first (``core.scope.require``) and
writes nothing when it refuses.

Two contracts for one unit at the same time are refused while the unit rows are locked
(``select_for_update``; on SQLite the write transaction itself, begun IMMEDIATE, is the lock),
so two administrators drafting a contract for the same room at the same moment cannot both
succeed. Payments are appended while the contract row is locked, numbered without gaps.
"""

import datetime
from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from shegong.core.audit import set_actor
from shegong.core.money import MoneySum
from shegong.core.scope import CHANGE, VIEW, require, user_roles
from shegong.core.validators import model_errors, visible_text
from shegong.park import state
from shegong.park.choices import ContractStatus, PaymentKind, RentBasis, UnitKind, UnitStatus
from shegong.park.models import PARK_KEEPERS, ZERO, Contract, Park, Payment, Unit
from shegong.park.schedule import rent_lines, standing
from shegong.places.selectors import communities_within

MAX_AMOUNT = Decimal("9999999999.99")
# Tenancies that held (or hold) their units: a draft holds its units too, so two drafts for one
# room are refused, but only these count as time spent in the park.
TENANCY_STATUSES = (ContractStatus.ACTIVE, ContractStatus.ENDED, ContractStatus.TERMINATED)


def may_run_park(user) -> bool:
    return user.is_superuser or bool(user_roles(user) & PARK_KEEPERS)


def _text(data: dict, name: str) -> str:
    value = data.get(name)
    return "" if value is None else str(value).strip()


def has_visible_text(text: str) -> bool:
    """Whether a reason shows something (one of zero-width spaces says nothing)."""
    try:
        visible_text(text)
    except ValidationError:
        return False
    return True


def _decimal(value, field: str, errors: dict, *, message: str) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        number = Decimal(str(value))
    except (InvalidOperation, ValueError, TypeError):
        errors[field] = [message]
        return None
    if not number.is_finite():
        errors[field] = [message]
        return None
    return number


def _date(value, field: str, errors: dict, *, required: bool = True):
    if value in (None, ""):
        if required:
            errors[field] = [_("Enter a date.")]
        return None
    if isinstance(value, datetime.date):
        return value
    try:
        return datetime.date.fromisoformat(str(value))
    except ValueError:
        errors[field] = [_("Enter a valid date.")]
        return None


# --- parks and units ----------------------------------------------------------------------------


def park_create(*, actor, community, name: str, address: str = "", **policy) -> Park:
    if not may_run_park(actor):
        raise PermissionDenied(_("You may not run the incubation park."))
    errors: dict[str, list[str]] = {}
    if community is None or not communities_within(actor).filter(pk=community.pk).exists():
        errors["community"] = [_("Choose a community inside your own scope.")]
    park = Park(community=community, name=(name or "").strip(), address=(address or "").strip())
    for field in ("free_months", "discount_percent"):
        if policy.get(field) not in (None, ""):
            setattr(park, field, policy[field])
    errors.update({k: v for k, v in model_errors(park, exclude=("community",)).items()})
    if errors:
        raise ValidationError(errors)
    with transaction.atomic(), set_actor(actor):
        park.save()
    return park


def unit_create(*, actor, park: Park, **data) -> Unit:
    require(actor, park, CHANGE)
    errors: dict[str, list[str]] = {}
    code = _text(data, "code")
    if code and Unit.objects.filter(park=park, code=code).exists():
        errors["code"] = [_("The park already has a unit with this code.")]
    area = _decimal(data.get("area"), "area", errors, message=_("Enter the area in m², e.g. 25.5."))
    rate = _decimal(
        data.get("rent_rate"), "rent_rate", errors, message=_("Enter the rent in yuan, e.g. 45.")
    )
    unit = Unit(
        park=park,
        code=code,
        kind=_text(data, "kind") or UnitKind.ROOM,
        floor=data.get("floor"),
        area=area,
        rent_basis=_text(data, "rent_basis") or RentBasis.PER_M2,
        rent_rate=rate,
        status=_text(data, "status") or UnitStatus.IN_SERVICE,
        note=_text(data, "note"),
    )
    for field, message in model_errors(unit, exclude=("park",)).items():
        errors.setdefault(field, message)
    if not {"area", "rent_rate", "rent_basis"} & set(errors) and unit.list_rent > MAX_AMOUNT:
        # Each factor is bounded, their product is not: a contract could not record its rent.
        errors["rent_rate"] = [
            _("The unit's monthly rent would be %(rent)s yuan, more than the park can record.")
            % {"rent": unit.list_rent}
        ]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic(), set_actor(actor):
        unit.save()
    return unit


def unit_set_status(*, actor, unit: Unit, status: str) -> Unit:
    require(actor, unit, CHANGE)
    if status not in UnitStatus.values:
        raise ValidationError({"status": [_("Choose in service or out of service.")]})
    with transaction.atomic(), set_actor(actor):
        unit.status = status
        unit.save(update_fields=["status", "updated_at"])
    return unit


# --- contracts ----------------------------------------------------------------------------------


def _same_tenant(contract_or_agency, tenant_name: str) -> Q:
    """The tenant's contracts: the agency's, and those signed under its name before it was
    registered (an incubated organisation keeps its free years when it registers)."""
    agency = contract_or_agency
    if agency is not None:
        return Q(agency=agency) | Q(agency__isnull=True, tenant_name=agency.name)
    return Q(agency__isnull=True, tenant_name=tenant_name)


def first_tenancy(*, park: Park, agency, tenant_name: str, start, exclude_pk=None):
    """The first day of the tenant's first tenancy in the park, this one included."""
    earlier = (
        Contract.objects.filter(park=park, status__in=TENANCY_STATUSES)
        .filter(_same_tenant(agency, tenant_name))
        .exclude(pk=exclude_pk)
        .order_by("start_date")
        .values_list("start_date", flat=True)
        .first()
    )
    return min(earlier, start) if earlier else start


def _overlap_error(unit_ids, start, last_day, *, exclude_pk=None) -> ValidationError | None:
    """A contract that holds one of the units on a day of [start, last_day], if any."""
    clash = (
        Contract.objects.filter(units__in=unit_ids, start_date__lte=last_day)
        .exclude(status=ContractStatus.CANCELLED)
        .exclude(pk=exclude_pk)
        .filter(Q(terminated_on__isnull=True, end_date__gte=start) | Q(terminated_on__gte=start))
        .order_by("start_date")
        .first()
    )
    if clash is None:
        return None
    codes = ", ".join(
        clash.units.filter(pk__in=unit_ids).order_by("code").values_list("code", flat=True)
    )
    return ValidationError(
        {
            "units": [
                _(
                    "Unit %(codes)s is already let to %(tenant)s from %(start)s to %(end)s "
                    "(contract %(number)s); a unit has one tenant at a time."
                )
                % {
                    "codes": codes,
                    "tenant": clash.tenant_name,
                    "start": f"{clash.start_date:%Y-%m-%d}",
                    "end": f"{clash.last_day:%Y-%m-%d}",
                    "number": clash.pk,
                }
            ]
        }
    )


def contract_create(*, actor, park: Park, units, start_date, end_date, **data) -> Contract:
    """A draft tenancy contract; its monthly rent and rent policy are fixed here, from the units'
    list rents and the park's policy unless the administrator sets the policy otherwise."""
    require(actor, park, CHANGE)
    errors: dict[str, list[str]] = {}
    agency = data.get("agency")
    tenant_name = _text(data, "tenant_name")
    if agency is not None:
        from shegong.agencies.models import Agency

        if not Agency.objects.for_user(actor).filter(pk=agency.pk).exists():
            errors["agency"] = [_("Choose an agency you may see.")]
        else:
            tenant_name = agency.name
    elif not tenant_name:
        errors["tenant_name"] = [
            _("Choose the tenant's agency, or enter the name of an unregistered organisation.")
        ]
    units = list(units or [])
    if not units:
        errors["units"] = [_("Choose at least one unit.")]
    elif any(unit.park_id != park.pk for unit in units):
        errors["units"] = [_("Choose units of this park.")]
    else:
        closed = sorted(u.code for u in units if u.status != UnitStatus.IN_SERVICE)
        if closed:
            errors["units"] = [
                _("Unit %(codes)s is out of service and cannot be let.")
                % {"codes": ", ".join(closed)}
            ]
    start = _date(start_date, "start_date", errors)
    end = _date(end_date, "end_date", errors)
    if start and end and end < start:
        errors["end_date"] = [_("The end date cannot be before the start date.")]
    free_months = data.get("free_months")
    discount = _decimal(
        data.get("discount_percent"),
        "discount_percent",
        errors,
        message=_("Enter a percentage between 0 and 100."),
    )
    contract = Contract(
        park=park,
        agency=agency if "agency" not in errors else None,
        tenant_name=tenant_name,
        start_date=start,
        end_date=end,
        monthly_rent=sum((u.list_rent for u in units), ZERO),
        free_months=park.free_months if free_months in (None, "") else free_months,
        discount_percent=park.discount_percent if discount is None else discount,
        free_from=start or timezone.localdate(),
        note=_text(data, "note"),
        created_by=actor,
    )
    if contract.monthly_rent > MAX_AMOUNT:
        errors.setdefault("units", []).append(
            _(
                "The units' monthly rent together would be %(rent)s yuan, more than a contract "
                "can record."
            )
            % {"rent": contract.monthly_rent}
        )
    exclude = ["park", "agency", "created_by", "monthly_rent"]
    if not (start and end) or "end_date" in errors:
        # The dates' own errors say it; the constraint would repeat them without a field.
        exclude += ["start_date", "end_date"]
    for field, messages in model_errors(contract, exclude=exclude).items():
        errors.setdefault(field, messages)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic(), set_actor(actor):
        # Lock the units, then look for a contract holding them: a second drafter waits here
        # and then finds the first one's contract.
        unit_ids = list(
            Unit.objects.select_for_update()
            .filter(pk__in=[u.pk for u in units])
            .values_list("pk", flat=True)
        )
        clash = _overlap_error(unit_ids, start, end)
        if clash is not None:
            raise clash
        contract.free_from = first_tenancy(
            park=park, agency=contract.agency, tenant_name=tenant_name, start=start
        )
        contract.save()
        contract.units.set(unit_ids)
    return contract


def _locked(contract: Contract) -> Contract:
    return Contract.objects.select_for_update().get(pk=contract.pk)


def _refresh(contract: Contract, locked: Contract) -> Contract:
    for field in ("status", "terminated_on", "termination_reason", "free_from", "last_entry_no"):
        setattr(contract, field, getattr(locked, field))
    return contract


def contract_activate(*, actor, contract: Contract) -> Contract:
    """The contract comes into force. The units are locked and checked again, and the free
    months recounted from the tenant's first tenancy, as both may have changed since drafting."""
    require(actor, contract, CHANGE)
    with transaction.atomic(), set_actor(actor):
        units = list(
            Unit.objects.select_for_update()
            .filter(contracts=contract)
            .order_by("code")
            .values_list("pk", "code", "status")
        )
        unit_ids = [pk for pk, _code, _status in units]
        locked = _locked(contract)
        locked.status = state.check(locked.status, state.ACTIVATE)
        # A unit taken out of service after the draft was made cannot be let either.
        closed = [code for _pk, code, status in units if status != UnitStatus.IN_SERVICE]
        if closed:
            raise ValidationError(
                {
                    "units": [
                        _("Unit %(codes)s is out of service and cannot be let.")
                        % {"codes": ", ".join(closed)}
                    ]
                }
            )
        clash = _overlap_error(unit_ids, locked.start_date, locked.end_date, exclude_pk=locked.pk)
        if clash is not None:
            raise clash
        locked.free_from = first_tenancy(
            park=locked.park,
            agency=locked.agency,
            tenant_name=locked.tenant_name,
            start=locked.start_date,
            exclude_pk=locked.pk,
        )
        locked.save(update_fields=["status", "free_from", "updated_at"])
    return _refresh(contract, locked)


def contract_end(*, actor, contract: Contract) -> Contract:
    """Close a contract that has run its term."""
    require(actor, contract, CHANGE)
    with transaction.atomic(), set_actor(actor):
        locked = _locked(contract)
        target = state.check(locked.status, state.END)
        if locked.end_date >= timezone.localdate():
            raise ValidationError(
                {
                    "status": [
                        _(
                            "The contract runs until %(end)s; to end it earlier, terminate it "
                            "with its last day and a reason."
                        )
                        % {"end": f"{locked.end_date:%Y-%m-%d}"}
                    ]
                }
            )
        locked.status = target
        locked.save(update_fields=["status", "updated_at"])
    return _refresh(contract, locked)


def contract_terminate(*, actor, contract: Contract, last_day, reason: str) -> Contract:
    """End a contract early: ``last_day`` is the last day the tenant holds the units (rent runs
    to it, prorated by days); from the day after, the units are free to let again."""
    require(actor, contract, CHANGE)
    errors: dict[str, list[str]] = {}
    last = _date(last_day, "last_day", errors)
    reason = (reason or "").strip()
    if not reason or not has_visible_text(reason):
        errors["reason"] = [_("Say why the contract is terminated.")]
    if last and not (contract.start_date <= last < contract.end_date):
        errors["last_day"] = [
            _("The last day must fall between %(start)s and the day before %(end)s.")
            % {"start": f"{contract.start_date:%Y-%m-%d}", "end": f"{contract.end_date:%Y-%m-%d}"}
        ]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic(), set_actor(actor):
        locked = _locked(contract)
        locked.status = state.check(locked.status, state.TERMINATE)
        locked.terminated_on = last
        locked.termination_reason = reason
        field_problems = model_errors(locked, exclude=("park", "agency", "created_by"))
        if field_problems:
            raise ValidationError(
                {"reason" if k == "termination_reason" else k: v for k, v in field_problems.items()}
            )
        locked.save(update_fields=["status", "terminated_on", "termination_reason", "updated_at"])
    return _refresh(contract, locked)


def contract_cancel(*, actor, contract: Contract) -> Contract:
    """Withdraw a draft that will not be signed: it stops holding its units."""
    require(actor, contract, CHANGE)
    with transaction.atomic(), set_actor(actor):
        locked = _locked(contract)
        locked.status = state.check(locked.status, state.CANCEL)
        locked.save(update_fields=["status", "updated_at"])
    return _refresh(contract, locked)


# --- the schedule and payments ------------------------------------------------------------------


def contract_lines(contract: Contract):
    return rent_lines(
        start=contract.start_date,
        last_day=contract.last_day,
        monthly_rent=contract.monthly_rent,
        free_from=contract.free_from,
        free_months=contract.free_months,
        discount_percent=contract.discount_percent,
    )


def contract_standing(contract: Contract, *, paid=None, today=None):
    """The schedule with what is paid, owed and overdue; ``paid`` may be given when the caller
    summed the payments of many contracts in one query."""
    if paid is None:
        paid = contract.payments.aggregate(total=MoneySum("amount"))["total"] or ZERO
    return standing(contract_lines(contract), paid, today or timezone.localdate())


def payment_record(*, actor, contract: Contract, amount, paid_on=None, **data) -> Payment:
    """Rent received from the tenant. Refused on a draft or cancelled contract, and beyond what
    the whole contract still asks for (paying ahead within the contract is allowed)."""
    require(actor, contract, CHANGE)
    errors: dict[str, list[str]] = {}
    value = _decimal(
        amount, "amount", errors, message=_("Enter an amount in yuan, e.g. 500 or 12.50.")
    )
    if value is None and "amount" not in errors:
        errors["amount"] = [_("Enter an amount in yuan.")]
    elif value is not None:
        if value <= 0:
            errors["amount"] = [_("The amount must be greater than 0.")]
        elif value > MAX_AMOUNT:
            errors["amount"] = [_("The amount is too large.")]
        elif value != value.quantize(Decimal("0.01")):
            errors["amount"] = [_("Amounts are in yuan with at most two decimals (fen).")]
        else:
            value = value.quantize(Decimal("0.01"))
    when = _date(paid_on, "paid_on", errors, required=False) or timezone.localdate()
    if errors:
        raise ValidationError(errors)
    payment = Payment(
        contract=contract,
        kind=PaymentKind.PAYMENT,
        amount=value,
        paid_on=when,
        reference=_text(data, "reference"),
        note=_text(data, "note"),
    )
    return _append(actor=actor, contract=contract, payment=payment)


def payment_reverse(*, actor, payment: Payment, reason: str, paid_on=None) -> Payment:
    """Undo a payment recorded by mistake with a new entry of the opposite amount."""
    require(actor, payment, VIEW)
    contract = require(actor, payment.contract, CHANGE)
    errors: dict[str, list[str]] = {}
    if payment.kind == PaymentKind.REVERSAL:
        errors["reverses"] = [_("A reversal cannot itself be reversed.")]
    elif Payment.objects.filter(reverses=payment).exists():
        errors["reverses"] = [_("This payment has already been reversed.")]
    reason = (reason or "").strip()
    if not reason or not has_visible_text(reason):
        errors["reason"] = [_("Say why the payment is reversed.")]
    when = _date(paid_on, "paid_on", errors, required=False) or timezone.localdate()
    if when < payment.paid_on:
        errors["paid_on"] = [
            _("A reversal cannot be dated before the payment it undoes, %(date)s.")
            % {"date": f"{payment.paid_on:%Y-%m-%d}"}
        ]
    reversal = Payment(
        contract=contract,
        kind=PaymentKind.REVERSAL,
        amount=-payment.amount,
        paid_on=when,
        reverses=payment,
        note=reason,
    )
    # The reason is kept as the entry's note: its errors are the reason's, as the caller named it.
    problems = model_errors(reversal, exclude=("contract", "entry_no", "recorded_by", "reverses"))
    for field, messages in problems.items():
        errors.setdefault("reason" if field == "note" else field, messages)
    if errors:
        raise ValidationError(errors)
    return _append(actor=actor, contract=contract, payment=reversal)


def _append(*, actor, contract: Contract, payment: Payment) -> Payment:
    errors = model_errors(payment, exclude=("contract", "entry_no", "recorded_by", "reverses"))
    if errors:
        raise ValidationError(errors)
    with transaction.atomic(), set_actor(actor):
        locked = _locked(contract)
        if payment.kind == PaymentKind.PAYMENT:
            if locked.status in (ContractStatus.DRAFT, ContractStatus.CANCELLED):
                raise ValidationError(
                    {
                        "amount": [
                            _(
                                "The contract is %(status)s: rent is recorded only on a contract "
                                "in force or closed."
                            )
                            % {"status": ContractStatus(locked.status).label}
                        ]
                    }
                )
            paid = locked.payments.aggregate(total=MoneySum("amount"))["total"] or ZERO
            remaining = contract_standing(locked, paid=paid).remaining
            if payment.amount > remaining:
                raise ValidationError(
                    {
                        "amount": [
                            _(
                                "Refused: the contract asks for %(remaining)s yuan more in all; "
                                "this payment is %(amount)s yuan."
                            )
                            % {"remaining": remaining, "amount": payment.amount}
                        ]
                    }
                )
        elif Payment.objects.filter(reverses_id=payment.reverses_id).exists():
            raise ValidationError({"reverses": [_("This payment has already been reversed.")]})
        locked.last_entry_no += 1
        payment.contract = locked
        payment.entry_no = locked.last_entry_no
        payment.recorded_by = actor
        payment.save()
        locked.save(update_fields=["last_entry_no", "updated_at"])
    contract.last_entry_no = locked.last_entry_no
    return payment
