"""Journey: the district administrator opens the holiday calendar from the menu, reads the
year's State Council schedule, adds a day (a duplicate is refused next to its field) and
deletes it again. A street administrator has no such menu entry and gets the not-found page."""

import datetime

import pytest
from playwright.sync_api import expect

from shegong.core.holidays import seed_years
from shegong.core.models import CalendarDay
from tests.e2e.conftest import DESKTOP, PHONE

pytestmark = pytest.mark.e2e


def test_the_district_admin_keeps_the_holiday_calendar(e2e_world, new_page, log_in):
    # Browser tests flush the database between tests: seed the schedule the migration loads.
    seed_years(CalendarDay, (2025,))
    page = new_page(viewport=DESKTOP)
    log_in(page, "district_admin")
    page.get_by_test_id("main-menu").get_by_role("link", name="节假日日历").click()
    page.get_by_test_id("calendar-years").get_by_role("link", name="2025").click()
    rows = page.get_by_test_id("calendar-day")
    expect(rows.filter(has_text="2025-10-11")).to_contain_text("调休上班")
    expect(rows.filter(has_text="2025-10-08")).to_contain_text("国庆节、中秋节")

    form = page.get_by_test_id("calendar-form")
    form.locator("input[name=date]").fill("2025-10-08")
    form.locator("select[name=kind]").select_option("holiday")
    form.locator("input[name=name]").fill("国庆节")
    form.get_by_role("button", name="添加").click()
    expect(page.locator(".invalid-feedback").first).to_contain_text("已在日历上")
    assert CalendarDay.objects.get(date=datetime.date(2025, 10, 8)).name == "国庆节、中秋节"

    form = page.get_by_test_id("calendar-form")
    form.locator("input[name=date]").fill("2025-12-31")
    form.locator("input[name=name]").fill("测试假日")
    form.get_by_role("button", name="添加").click()
    added = page.get_by_test_id("calendar-day").filter(has_text="2025-12-31")
    expect(added).to_contain_text("测试假日")
    added.get_by_test_id("calendar-delete").click()
    expect(page.get_by_test_id("calendar-day").filter(has_text="2025-12-31")).to_have_count(0)
    assert not CalendarDay.objects.filter(name="测试假日").exists()

    street = new_page(viewport=PHONE)
    log_in(street, "street_admin")
    expect(street.get_by_test_id("main-menu")).not_to_contain_text("节假日日历")
    assert street.goto("/core/calendar/").status == 404
