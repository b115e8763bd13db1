"""Journey: the district administrator adds a room to the incubation park, lets it to the demo
agency under a contract that began over three years ago, reads the schedule (the free years,
then the discount), activates it, records a payment and sees the arrears fall; the agency's
director then finds the contract and what they owe on a phone."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from shegong.park.models import Contract, Unit
from shegong.park.schedule import anniversary
from shegong.park.services import contract_standing
from shegong.park.tests.factories import ParkFactory
from tests.e2e.conftest import DESKTOP, PHONE

pytestmark = pytest.mark.e2e


def test_district_admin_lets_a_room_and_collects_rent(e2e_world, new_page, log_in):
    park = ParkFactory(name="湖里区社会组织服务园")
    today = timezone.localdate()
    start = anniversary(today.replace(day=1), -40)  # 36 free months, then four charged
    end = anniversary(start, 60) - datetime.timedelta(days=1)

    page = new_page(viewport=DESKTOP)
    log_in(page, "district_admin")
    page.goto("/park/units/")
    page.get_by_test_id("unit-new").click()
    form = page.get_by_test_id("park-form")
    form.locator("select[name=park]").select_option(str(park.pk))
    form.locator("input[name=code]").fill("E201")
    form.locator("input[name=floor]").fill("2")
    form.locator("input[name=area]").fill("20")
    form.locator("input[name=rent_rate]").fill("50")
    form.locator("button[type=submit]").click()
    expect(page.get_by_test_id("unit-table")).to_contain_text("E201")
    unit = Unit.objects.get(park=park, code="E201")

    page.goto("/park/contracts/new/")
    form = page.get_by_test_id("park-form")
    form.locator("select[name=park]").select_option(str(park.pk))
    form.locator("select[name=agency]").select_option(str(e2e_world.agency_a.pk))
    form.locator("select[name=units]").select_option([str(unit.pk)])
    form.locator("input[name=start_date]").fill(start.isoformat())
    form.locator("input[name=end_date]").fill(end.isoformat())
    form.locator("button[type=submit]").click()

    schedule = page.get_by_test_id("schedule-table")
    expect(schedule.locator("[data-phase=free]")).to_have_count(36)
    expect(schedule.locator("[data-phase=charged]")).to_have_count(24)
    expect(page.get_by_test_id("contract-policy")).to_contain_text(f"{start:%Y-%m-%d}")
    page.get_by_test_id("contract-activate").click()
    expect(page.get_by_test_id("contract-status")).to_have_text("有效")

    contract = Contract.objects.get(units=unit)
    before = contract_standing(contract).arrears
    assert before > 0  # the charged months past their 15 days of grace
    expect(page.get_by_test_id("contract-arrears")).to_have_text(str(before))

    page.get_by_test_id("payment-new").click()
    form = page.get_by_test_id("park-form")
    form.locator("input[name=amount]").fill("500")
    form.locator("input[name=reference]").fill("转账0001")
    form.locator("button[type=submit]").click()
    expect(page.get_by_test_id("contract-arrears")).to_have_text(str(before - Decimal("500")))
    expect(page.get_by_test_id("payment-table")).to_contain_text("转账0001")

    page.goto("/park/")
    expect(page.get_by_test_id("arrears-table")).to_contain_text(e2e_world.agency_a.name)
    expect(page.get_by_test_id("occupancy-percent").first).to_have_text("100%")

    # The agency's director, on a phone: their contract and what they owe, nothing spilling.
    phone = new_page(viewport=PHONE)
    log_in(phone, "agency_admin")
    expect(phone.get_by_test_id("figure-park-rent-owed")).to_be_visible()
    phone.goto("/park/contracts/")
    phone.get_by_test_id("contract-table").get_by_role("link", name=contract.tenant_name).click()
    expect(phone.get_by_test_id("contract-arrears")).to_have_text(str(before - Decimal("500")))
    expect(phone.get_by_test_id("payment-new")).to_have_count(0)
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
