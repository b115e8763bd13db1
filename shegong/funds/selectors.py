"""Reads of charity funds and their ledgers: always through the scope."""

import datetime

from django.db.models import Count, Q
from django.utils import timezone

from shegong.core.money import MoneySum
from shegong.core.scope import CHANGE, VIEW
from shegong.funds.choices import EntryKind
from shegong.funds.filters import EntryFilter, FundFilter
from shegong.funds.models import ZERO, Entry, Fund


def funds_for(user, action: str = VIEW):
    return Fund.objects.for_user(user, action).select_related("community__street")


def fund_filter(user, params) -> FundFilter:
    return FundFilter(params, queryset=funds_for(user))


def fund_for_user_or_404(user, pk, action: str = VIEW) -> Fund:
    return Fund.objects.select_related("community__street").get_for_user_or_404(user, action, pk=pk)


def may_keep(user, fund: Fund) -> bool:
    return Fund.objects.for_user(user, CHANGE).filter(pk=fund.pk).exists()


def entries_of(user, fund: Fund):
    return (
        Entry.objects.for_user(user)
        .filter(fund=fund)
        .select_related("reverses", "reversed_by", "recorded_by", "need", "project")
    )


def entry_filter(user, fund: Fund, params) -> EntryFilter:
    return EntryFilter(params, queryset=entries_of(user, fund))


def entry_for_user_or_404(user, fund: Fund, pk) -> Entry:
    return Entry.objects.select_related("fund__community").get_for_user_or_404(
        user, fund=fund, pk=pk
    )


def fund_totals(fund: Fund) -> dict:
    """Money in and out and goods in kind, each net of reversals."""
    rows = fund.entries.all()
    totals = rows.aggregate(
        money_in=MoneySum("money", filter=Q(money__gt=0)),
        money_out=MoneySum("money", filter=Q(money__lt=0)),
        in_kind=MoneySum("in_kind_value"),
        count=Count("pk"),
    )
    return {key: value if value is not None else ZERO for key, value in totals.items()}


def fund_figures_for(user) -> dict:
    """The balance of the funds in the user's scope, and this year's donations (net of
    reversals of them), in two queries."""
    funds = Fund.objects.for_user(user)
    balance = funds.aggregate(total=MoneySum("balance"), count=Count("pk"))
    year_start = datetime.date(timezone.localdate().year, 1, 1)
    donations = (
        Entry.objects.for_user(user)
        .filter(kind=EntryKind.DONATION, occurred_on__gte=year_start)
        .exclude(reversed_by__isnull=False)
        .aggregate(count=Count("pk"), money=MoneySum("money"))
    )
    return {
        "funds": balance["count"],
        "balance": balance["total"] or ZERO,
        "donations": donations["count"],
        "donated": donations["money"] or ZERO,
    }
