"""The demo's purchased services: every year since 2015 at least ¥15 million, over the agencies
and streets, evaluated, with work waiting for the demo logins; a second run adds nothing."""

from decimal import Decimal

from django.db.models import Sum
from django.utils import timezone

from shegong.core.registry import todos_for
from shegong.purchasing import demo
from shegong.purchasing.models import Evaluation, Project


def test_demo_years_amounts_and_waiting_work(world):
    demo.build(world)
    years = range(demo.FIRST_YEAR, timezone.localdate().year + 1)
    totals = dict(
        Project.objects.values_list("budget__year").annotate(total=Sum("contract_amount"))
    )
    assert all(totals[year] >= Decimal("15000000") for year in years)
    assert Project.objects.values("agency").distinct().count() >= 2
    assert Project.objects.values("street").distinct().count() == world.district.streets.count()
    assert Evaluation.objects.filter(stage="final").exists()
    assert Project.objects.filter(evaluators=world.users["evaluator"]).exists()
    todos = {t.testid: t.count for t in todos_for(world.users["district_admin"])}
    assert todos["purchasing-payable"] > 0
    count = Project.objects.count()
    demo.build(world)
    assert Project.objects.count() == count
