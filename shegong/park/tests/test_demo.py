"""The demo park: tenants in their free years and in their discounted years, one in arrears,
the anniversary month prorated, a draft waiting; a second run adds nothing."""

from decimal import Decimal

import pytest

from shegong.park import demo
from shegong.park.models import Contract, Park, Payment, Unit
from shegong.park.selectors import arrears_rows, rent_figures, standings

pytestmark = pytest.mark.django_db


def test_the_demo_park_shows_every_stage_of_the_policy(world):
    demo.build(world)
    counts = (Park.objects.count(), Unit.objects.count(), Contract.objects.count())
    demo.build(world)
    assert (Park.objects.count(), Unit.objects.count(), Contract.objects.count()) == counts

    contracts = list(Contract.objects.filter(status__in=("active", "ended")))
    results = standings(contracts)
    phases = {
        c.tenant_name: {row.line.phase for row in results[c.pk].lines if row.line.due_on}
        for c in contracts
        if c.status == "active"
    }
    renewal = Contract.objects.get(agency=world.agency_a, status="active")
    assert phases[renewal.tenant_name] == {"charged"}  # discounted from its first day
    assert phases[world.agency_b.name] >= {"free"}
    assert "partly_free" in phases["湖里区长者关爱服务中心"]
    assert Contract.objects.filter(status="draft").count() == 1
    assert Contract.objects.get(agency=world.agency_a, status="ended")

    rows = arrears_rows(Contract.objects.all())
    assert [row.contract.pk for row in rows] == [renewal.pk]
    assert rows[0].standing.months_overdue == 2
    assert Payment.objects.filter(contract=renewal).exists()
    agency = rent_figures(world.users["agency_admin"])
    assert agency["arrears"] == rows[0].standing.arrears > Decimal("0")
    assert any("incubation park" in line for line in world.report)
