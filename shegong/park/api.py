"""Incubation park API: the pages' parks, units, contracts with their rent schedule and
standing, the contract flow, payments and reversals, and the arrears list, with the same scope,
FilterSets and services. Payments are never changed or deleted, so there is no PATCH or DELETE
for them."""

import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from shegong.api.filters import valid_filterset
from shegong.api.pagination import MAX_PAGE
from shegong.core.scope import CHANGE, VIEW, can
from shegong.park import selectors
from shegong.park.choices import ContractStatus, PaymentKind, RentBasis, UnitKind, UnitStatus
from shegong.park.filters import ContractFilter, UnitFilter
from shegong.park.models import Contract, Park, Unit
from shegong.park.services import (
    contract_activate,
    contract_cancel,
    contract_create,
    contract_end,
    contract_terminate,
    may_run_park,
    park_create,
    payment_record,
    payment_reverse,
    unit_create,
    unit_set_status,
)
from shegong.places.models import Community

router = Router(tags=["park"])


class ParkOut(Schema):
    id: int
    name: str
    community_id: int
    address: str
    free_months: int
    discount_percent: Decimal


class ParkIn(Schema):
    name: str
    community_id: int
    address: str = ""
    free_months: int | None = None
    discount_percent: Decimal | None = None


class ParkUnitOut(Schema):
    id: int
    park_id: int
    code: str
    kind: UnitKind
    floor: int
    area: Decimal
    rent_basis: RentBasis
    rent_rate: Decimal
    list_rent: Decimal
    status: UnitStatus
    note: str


class ParkUnitIn(Schema):
    park_id: int
    code: str
    kind: UnitKind = UnitKind.ROOM
    floor: int
    area: Decimal
    rent_basis: RentBasis = RentBasis.PER_M2
    rent_rate: Decimal
    status: UnitStatus = UnitStatus.IN_SERVICE
    note: str = ""


class ParkUnitQuery(Schema):
    q: str | None = None
    park: int | None = None
    kind: UnitKind | None = None
    status: UnitStatus | None = None
    let: str | None = Field(None, description="yes / no: let today")
    sort: str | None = Field(None, description="code, floor, area, rent; '-' descends")


class ParkStandingOut(Schema):
    total: Decimal
    due: Decimal
    paid: Decimal
    owed: Decimal
    arrears: Decimal
    months_overdue: int
    oldest_overdue: datetime.date | None
    credit: Decimal


class ParkScheduleLineOut(Schema):
    month: str
    start: datetime.date
    end: datetime.date
    days: int
    month_days: int
    chargeable_days: int
    amount: Decimal
    paid: Decimal
    state: str


class ParkContractOut(Schema):
    id: int
    park_id: int
    agency_id: int | None
    tenant_name: str
    unit_ids: list[int]
    start_date: datetime.date
    end_date: datetime.date
    terminated_on: datetime.date | None
    status: ContractStatus
    monthly_rent: Decimal
    free_months: int
    discount_percent: Decimal
    free_from: datetime.date
    standing: ParkStandingOut


class ParkContractDetailOut(ParkContractOut):
    schedule: list[ParkScheduleLineOut]


class ParkContractIn(Schema):
    park_id: int
    unit_ids: list[int]
    agency_id: int | None = None
    tenant_name: str = ""
    start_date: datetime.date
    end_date: datetime.date
    free_months: int | None = None
    discount_percent: Decimal | None = None
    note: str = ""


class ParkContractQuery(Schema):
    q: str | None = None
    park: int | None = None
    status: ContractStatus | None = None
    in_arrears: str | None = Field(None, description="yes / no")
    sort: str | None = Field(None, description="tenant, start, end, rent; '-' descends")


class ParkContractPage(Schema):
    # Bounded like the API's one pagination: an offset past the database's integer range made
    # the query fail (a 500 on SQLite).
    limit: int = Field(100, ge=1, le=100)
    offset: int = Field(0, ge=0, le=MAX_PAGE * 100)


class ParkTerminateIn(Schema):
    last_day: datetime.date
    reason: str


class ParkPaymentOut(Schema):
    id: int
    entry_no: int
    kind: PaymentKind
    amount: Decimal
    paid_on: datetime.date
    reference: str
    reverses_id: int | None
    note: str


class ParkPaymentIn(Schema):
    amount: Decimal
    paid_on: datetime.date | None = None
    reference: str = ""
    note: str = ""


class ParkReversalIn(Schema):
    reason: str
    paid_on: datetime.date | None = None


class ParkArrearsOut(Schema):
    contract_id: int
    tenant_name: str
    park_id: int
    months_overdue: int
    oldest_overdue: datetime.date | None
    arrears: Decimal


def _standing(result) -> dict:
    return {
        name: getattr(result, name)
        for name in (
            "total",
            "due",
            "paid",
            "owed",
            "arrears",
            "months_overdue",
            "oldest_overdue",
            "credit",
        )
    }


def _contract_out(contract: Contract, result, *, schedule: bool = False) -> dict:
    out = {
        "id": contract.pk,
        "park_id": contract.park_id,
        "agency_id": contract.agency_id,
        "tenant_name": contract.tenant_name,
        "unit_ids": [unit.pk for unit in contract.units.all()],
        "start_date": contract.start_date,
        "end_date": contract.end_date,
        "terminated_on": contract.terminated_on,
        "status": contract.status,
        "monthly_rent": contract.monthly_rent,
        "free_months": contract.free_months,
        "discount_percent": contract.discount_percent,
        "free_from": contract.free_from,
        "standing": _standing(result),
    }
    if schedule:
        out["schedule"] = [
            {
                "month": row.line.month,
                "start": row.line.start,
                "end": row.line.end,
                "days": row.line.days,
                "month_days": row.line.month_days,
                "chargeable_days": row.line.chargeable_days,
                "amount": row.line.amount,
                "paid": row.paid,
                "state": row.state,
            }
            for row in result.lines
        ]
    return out


def _detail(user, contract_id: int) -> dict:
    contract = selectors.contracts_for(user).filter(pk=contract_id).first()
    if contract is None:
        raise Http404
    return _contract_out(contract, selectors.standings([contract])[contract.pk], schedule=True)


@router.get("/parks", response=list[ParkOut], summary="Incubation parks in my scope")
@paginate
def list_parks(request):
    if not can(request.auth, Park, VIEW):
        raise Http404
    return selectors.parks_for(request.auth).order_by("name", "pk")


@router.post("/parks", response={201: ParkOut}, summary="Create a park")
def create_park(request, payload: ParkIn):
    if not may_run_park(request.auth):
        raise Http404
    data = payload.dict()
    community = Community.objects.for_user(request.auth).filter(pk=data.pop("community_id")).first()
    if community is None:
        raise ValidationError({"community": [_("Choose a community inside your own scope.")]})
    return Status(201, park_create(actor=request.auth, community=community, **data))


@router.get("/units", response=list[ParkUnitOut], summary="Units of the parks in my scope")
@paginate
def list_units(request, filters: Query[ParkUnitQuery]):
    if not can(request.auth, Unit, VIEW):
        raise Http404
    rows = valid_filterset(
        UnitFilter,
        filters,
        queryset=selectors.units_for(request.auth),
        parks=selectors.parks_for(request.auth),
    ).qs
    return rows if filters.sort else rows.order_by("park", "floor", "code", "pk")


@router.post("/units", response={201: ParkUnitOut}, summary="Add a unit to a park")
def create_unit(request, payload: ParkUnitIn):
    if not may_run_park(request.auth):
        raise Http404
    data = payload.dict()
    park = selectors.parks_for(request.auth, CHANGE).filter(pk=data.pop("park_id")).first()
    if park is None:
        raise ValidationError({"park": [_("Choose a park you run.")]})
    return Status(201, unit_create(actor=request.auth, park=park, **data))


class ParkUnitStatusIn(Schema):
    status: UnitStatus


@router.post(
    "/units/{unit_id}/status", response=ParkUnitOut, summary="Take a unit in or out of service"
)
def set_unit_status(request, unit_id: int, payload: ParkUnitStatusIn):
    unit = selectors.unit_for_user_or_404(request.auth, unit_id, CHANGE)
    return unit_set_status(actor=request.auth, unit=unit, status=payload.status)


@router.get("/contracts", response=list[ParkContractOut], summary="Tenancy contracts in my scope")
def list_contracts(request, filters: Query[ParkContractQuery], page: Query[ParkContractPage]):
    if not can(request.auth, Contract, VIEW):
        raise Http404
    rows = valid_filterset(
        ContractFilter,
        filters,
        queryset=selectors.contracts_for(request.auth),
        parks=selectors.park_choices(request.auth),
    ).qs
    rows = rows if filters.sort else rows.order_by("-start_date", "-pk")
    contracts = list(rows[page.offset : page.offset + page.limit])
    results = selectors.standings(contracts)
    return [_contract_out(contract, results[contract.pk]) for contract in contracts]


@router.post("/contracts", response={201: ParkContractDetailOut}, summary="Draft a contract")
def create_contract(request, payload: ParkContractIn):
    if not may_run_park(request.auth):
        raise Http404
    data = payload.dict()
    park = selectors.parks_for(request.auth, CHANGE).filter(pk=data.pop("park_id")).first()
    if park is None:
        raise ValidationError({"park": [_("Choose a park you run.")]})
    unit_ids = data.pop("unit_ids")
    units = list(selectors.units_for(request.auth, CHANGE).filter(pk__in=unit_ids))
    if len(units) != len(set(unit_ids)):
        raise ValidationError({"units": [_("Choose units of this park.")]})
    agency_id = data.pop("agency_id")
    if agency_id is not None:
        from shegong.agencies.models import Agency

        data["agency"] = Agency.objects.for_user(request.auth).filter(pk=agency_id).first()
        if data["agency"] is None:
            raise ValidationError({"agency": [_("Choose an agency you may see.")]})
    contract = contract_create(actor=request.auth, park=park, units=units, **data)
    return Status(201, _detail(request.auth, contract.pk))


@router.get(
    "/contracts/{contract_id}",
    response=ParkContractDetailOut,
    summary="A contract with its rent schedule and arrears",
)
def get_contract(request, contract_id: int):
    return _detail(request.auth, contract_id)


def _flow(request, contract_id: int, service, **kwargs):
    contract = selectors.contract_for_user_or_404(request.auth, contract_id, CHANGE)
    service(actor=request.auth, contract=contract, **kwargs)
    return _detail(request.auth, contract.pk)


@router.post(
    "/contracts/{contract_id}/activate", response=ParkContractDetailOut, summary="Activate a draft"
)
def activate_contract(request, contract_id: int):
    return _flow(request, contract_id, contract_activate)


@router.post("/contracts/{contract_id}/end", response=ParkContractDetailOut, summary="End at term")
def end_contract(request, contract_id: int):
    return _flow(request, contract_id, contract_end)


@router.post(
    "/contracts/{contract_id}/cancel", response=ParkContractDetailOut, summary="Cancel a draft"
)
def cancel_contract(request, contract_id: int):
    return _flow(request, contract_id, contract_cancel)


@router.post(
    "/contracts/{contract_id}/terminate", response=ParkContractDetailOut, summary="Terminate early"
)
def terminate_contract(request, contract_id: int, payload: ParkTerminateIn):
    return _flow(request, contract_id, contract_terminate, **payload.dict())


@router.get(
    "/contracts/{contract_id}/payments",
    response=list[ParkPaymentOut],
    summary="A contract's payments",
)
def list_payments(request, contract_id: int):
    contract = selectors.contract_for_user_or_404(request.auth, contract_id)
    return list(selectors.payments_of(request.auth, contract))


@router.post(
    "/contracts/{contract_id}/payments",
    response={201: ParkPaymentOut},
    summary="Record rent received",
)
def create_payment(request, contract_id: int, payload: ParkPaymentIn):
    contract = selectors.contract_for_user_or_404(request.auth, contract_id, CHANGE)
    return Status(201, payment_record(actor=request.auth, contract=contract, **payload.dict()))


@router.post(
    "/contracts/{contract_id}/payments/{payment_id}/reversal",
    response={201: ParkPaymentOut},
    summary="Reverse a payment with a new entry",
)
def reverse_payment(request, contract_id: int, payment_id: int, payload: ParkReversalIn):
    contract = selectors.contract_for_user_or_404(request.auth, contract_id, CHANGE)
    payment = selectors.payment_for_user_or_404(request.auth, contract, payment_id)
    return Status(201, payment_reverse(actor=request.auth, payment=payment, **payload.dict()))


@router.get("/arrears", response=list[ParkArrearsOut], summary="Contracts in arrears")
def list_arrears(request, filters: Query[ParkContractQuery]):
    if not can(request.auth, Contract, VIEW):
        raise Http404
    rows = valid_filterset(
        ContractFilter,
        filters,
        queryset=selectors.contracts_for(request.auth),
        parks=selectors.park_choices(request.auth),
    ).qs
    return [
        {
            "contract_id": row.contract.pk,
            "tenant_name": row.contract.tenant_name,
            "park_id": row.contract.park_id,
            "months_overdue": row.standing.months_overdue,
            "oldest_overdue": row.standing.oldest_overdue,
            "arrears": row.standing.arrears,
        }
        for row in selectors.arrears_rows(rows)
    ]
