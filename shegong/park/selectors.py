"""Reads of the incubation park, always through the scope. Rent due and arrears are computed
from the contracts (``schedule.py``) with the payments summed in one query."""

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Prefetch, Q, Sum
from django.utils import timezone

from shegong.core.money import MoneySum
from shegong.core.scope import CHANGE, VIEW
from shegong.park.choices import ContractStatus
from shegong.park.filters import ContractFilter, UnitFilter, _holding_today
from shegong.park.models import ZERO, Contract, Park, Payment, Unit
from shegong.park.schedule import Standing
from shegong.park.services import contract_standing

# Contracts that may owe rent: in force or closed (a closed contract's arrears stay due).
OWING_STATUSES = (ContractStatus.ACTIVE, ContractStatus.ENDED, ContractStatus.TERMINATED)


def parks_for(user, action: str = VIEW):
    return Park.objects.for_user(user, action).select_related("community__street")


def park_choices(user):
    """The parks a filter offers: those of the user's contracts too, for an agency director."""
    if Park.objects.for_user(user).exists():
        return parks_for(user)
    return Park.objects.filter(
        pk__in=Contract.objects.for_user(user).values("park")
    ).select_related("community__street")


def units_for(user, action: str = VIEW):
    return Unit.objects.for_user(user, action).select_related("park")


def unit_for_user_or_404(user, pk, action: str = VIEW) -> Unit:
    return Unit.objects.select_related("park").get_for_user_or_404(user, action, pk=pk)


def unit_filter(user, params) -> UnitFilter:
    return UnitFilter(params, queryset=units_for(user), parks=parks_for(user))


def contracts_for(user, action: str = VIEW):
    return (
        Contract.objects.for_user(user, action)
        .select_related("park", "agency")
        .prefetch_related(Prefetch("units", queryset=Unit.objects.order_by("code")))
    )


def contract_filter(user, params) -> ContractFilter:
    return ContractFilter(params, queryset=contracts_for(user), parks=park_choices(user))


def contract_for_user_or_404(user, pk, action: str = VIEW) -> Contract:
    return Contract.objects.select_related("park__community__street", "agency").get_for_user_or_404(
        user, action, pk=pk
    )


def may_run(user, contract_or_park) -> bool:
    model = type(contract_or_park)
    return model.objects.for_user(user, CHANGE).filter(pk=contract_or_park.pk).exists()


def payments_of(user, contract: Contract):
    return (
        Payment.objects.for_user(user)
        .filter(contract=contract)
        .select_related("reverses", "reversed_by", "recorded_by")
        .order_by("entry_no")
    )


def payment_for_user_or_404(user, contract: Contract, pk) -> Payment:
    return Payment.objects.select_related("contract").get_for_user_or_404(
        user, contract=contract, pk=pk
    )


def standings(contracts, *, today=None) -> dict[int, Standing]:
    """Each contract's standing on ``today``; the payments of all of them summed in one query.
    ``contracts`` is a list or a queryset (evaluated once)."""
    contracts = list(contracts)
    paid = dict(
        Payment.objects.filter(contract__in=[c.pk for c in contracts])
        .values_list("contract")
        .annotate(total=MoneySum("amount"))
        .values_list("contract", "total")
    )
    today = today or timezone.localdate()
    return {c.pk: contract_standing(c, paid=paid.get(c.pk, ZERO), today=today) for c in contracts}


def contracts_in_arrears(queryset) -> list[int]:
    owing = queryset.filter(status__in=OWING_STATUSES).order_by().distinct()
    return [pk for pk, result in standings(owing).items() if result.arrears > 0]


@dataclass(frozen=True)
class ArrearsRow:
    contract: Contract
    standing: Standing


def arrears_rows(contracts) -> list[ArrearsRow]:
    """The contracts that are in arrears, the largest debt first."""
    contracts = list(contracts.filter(status__in=OWING_STATUSES))
    results = standings(contracts)
    rows = [ArrearsRow(c, results[c.pk]) for c in contracts if results[c.pk].arrears > 0]
    rows.sort(key=lambda row: (-row.standing.arrears, row.contract.tenant_name))
    return rows


@dataclass(frozen=True)
class ParkOccupancy:
    park: Park
    units: int
    in_service: int
    let: int
    area: Decimal
    let_area: Decimal

    @property
    def percent(self) -> int:
        return round(100 * self.let / self.in_service) if self.in_service else 0


def occupancy(user) -> list[ParkOccupancy]:
    """Per park in the user's view: units, those in service and those let today (two queries)."""
    parks = list(
        parks_for(user).annotate(
            unit_count=Count("units", distinct=True),
            in_service=Count("units", filter=Q(units__status="in_service"), distinct=True),
            area_total=Sum("units__area"),
        )
    )
    # Which units are let today, counted only within the parks the user sees (``parks``): the
    # subquery reads no contract row, so it needs no scope of its own.
    held = Contract.objects.filter(_holding_today()).values("units")
    let = {
        row["park"]: row
        for row in Unit.objects.filter(park__in=parks, pk__in=held)
        .values("park")
        .annotate(n=Count("pk"), area=Sum("area"))
    }
    return [
        ParkOccupancy(
            park=park,
            units=park.unit_count,
            in_service=park.in_service,
            let=let.get(park.pk, {}).get("n", 0),
            area=park.area_total or ZERO,
            let_area=let.get(park.pk, {}).get("area") or ZERO,
        )
        for park in parks
    ]


def rent_figures(user) -> dict:
    """What the user's contracts owe today and are in arrears, summed (the workbench)."""
    contracts = Contract.objects.for_user(user).filter(status__in=OWING_STATUSES)
    results = standings(contracts)
    return {
        "contracts": len(results),
        "owed": sum((r.owed for r in results.values()), ZERO),
        "arrears": sum((r.arrears for r in results.values()), ZERO),
        "in_arrears": sum(1 for r in results.values() if r.arrears > 0),
    }


def tenants_today(unit_ids) -> dict[int, str]:
    """The tenant holding each unit today, by unit id (one query)."""
    rows = Contract.objects.filter(_holding_today(), units__in=unit_ids).values_list(
        "units", "tenant_name"
    )
    return {unit: name for unit, name in rows if unit in set(unit_ids)}


def tenancies_of(agency_ids=None) -> dict[int, list[tuple[str, object, object]]]:
    """Signed tenancies (in force or closed) of these agencies (``None``: of every agency), as
    (park name, first day, last day) by agency id, in one query. Other apps ask here whether an
    organisation was a tenant on a day (the talent app's park-tenant criterion); drafts and
    cancelled contracts never held a unit."""
    rows = Contract.objects.filter(status__in=OWING_STATUSES, agency__isnull=False)
    if agency_ids is not None:
        rows = rows.filter(agency_id__in=agency_ids)
    tenancies: dict[int, list] = {}
    for agency_id, park, start, end, terminated in rows.values_list(
        "agency_id", "park__name", "start_date", "end_date", "terminated_on"
    ).order_by("agency_id", "start_date"):
        tenancies.setdefault(agency_id, []).append((park, start, terminated or end))
    return tenancies
