"""Money sums are exact to the cent on both databases (SQLite adds decimals as floats)."""

from decimal import Decimal

from django.db.models import Sum

from shegong.core.money import MoneySum
from shegong.purchasing.models import Budget
from shegong.purchasing.services import budget_create


def test_a_money_sum_is_exact_to_the_cent(world):
    streets = list(world.district.streets.order_by("code")[:3])
    for street, amount in zip(streets, ("0.10", "0.20", "617.28"), strict=True):
        budget_create(
            actor=world.users["district_admin"], year=2025, street=street, amount=Decimal(amount)
        )
    total = Budget.objects.aggregate(total=MoneySum("amount"))["total"]
    assert total == Decimal("617.58") and str(total) == "617.58"
    # What it replaces: on SQLite the plain sum carries the float's error.
    plain = Budget.objects.aggregate(total=Sum("amount"))["total"]
    assert abs(plain - Decimal("617.58")) < Decimal("0.000001")


def test_an_empty_money_sum_is_none(world):
    assert Budget.objects.aggregate(total=MoneySum("amount"))["total"] is None


def test_a_sum_read_through_a_subquery_is_exact_too(world, client_for):
    from shegong.purchasing.tests.factories import make_budget, make_project

    budget = make_budget(world, amount=Decimal("1000000"))
    for amount in ("0.10", "0.20", "617.28"):
        make_project(world, budget=budget, contract_amount=Decimal(amount))
    listed = client_for("district_admin").get("/api/v1/purchasing/budgets").json()["items"]
    assert listed[0]["committed"] == "617.58"
