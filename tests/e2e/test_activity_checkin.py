"""Journey: community staff create an activity and a session on a desk and open its QR page; a
resident opens the check-in link on a 390×844 phone and checks in (twice: it counts once); the
staff see the attendance and the person-time on the workbench."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.e2e.conftest import DESKTOP, PHONE

pytestmark = pytest.mark.e2e


def test_staff_create_session_and_a_resident_checks_in_on_a_phone(
    e2e_world, new_page, log_in, live_server
):
    desk = new_page(viewport=DESKTOP)
    log_in(desk, "community_staff")
    expect(desk.get_by_test_id("figure-activity-person-times")).to_have_text("0")

    desk.goto("/activities/")
    desk.get_by_test_id("activity-create").click()
    form = desk.get_by_test_id("activity-form")
    form.locator("select[name=kind]").select_option("community")
    form.locator("input[name=title]").fill("兴隆社区健康讲座")
    form.locator("select[name=category]").select_option("health")
    form.locator("select[name=community]").select_option(str(e2e_world.home_community.pk))
    today = timezone.localdate()
    form.locator("input[name=starts_on]").fill(today.isoformat())
    form.locator("input[name=ends_on]").fill((today + datetime.timedelta(days=7)).isoformat())
    desk.get_by_test_id("activity-save").click()
    expect(desk.get_by_test_id("activity-detail")).to_be_visible()

    desk.get_by_test_id("session-create").click()
    starts = timezone.localtime() + datetime.timedelta(minutes=30)
    ends = starts + datetime.timedelta(hours=2)
    session_form = desk.get_by_test_id("session-form")
    session_form.locator("input[name=starts_at]").fill(starts.strftime("%Y-%m-%dT%H:%M"))
    session_form.locator("input[name=ends_at]").fill(ends.strftime("%Y-%m-%dT%H:%M"))
    session_form.locator("input[name=place]").fill("兴隆社区活动室")
    session_form.locator("input[name=capacity]").fill("40")
    desk.get_by_test_id("session-save").click()
    expect(desk.get_by_test_id("session-detail")).to_be_visible()
    session_url = desk.url

    desk.get_by_test_id("session-qr-page").click()
    expect(desk.get_by_test_id("session-qr").locator("svg")).to_be_visible()
    checkin_url = desk.get_by_test_id("checkin-url").inner_text().strip()
    assert "/c/as." in checkin_url

    # The resident, not signed in, on a phone.
    phone = new_page(viewport=PHONE)
    phone.goto(checkin_url)
    expect(phone.get_by_test_id("checkin-title")).to_have_text("兴隆社区健康讲座")
    phone.locator("input[name=name]").fill("赵大妈")
    phone.locator("input[name=mobile]").fill("139 5002 8888")
    phone.get_by_test_id("checkin-submit").click()
    expect(phone.get_by_test_id("checkin-done")).to_be_visible()
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    # Scanning again later: already checked in, counted once.
    phone.goto(checkin_url)
    phone.locator("input[name=name]").fill("赵大妈")
    phone.locator("input[name=mobile]").fill("13950028888")
    phone.get_by_test_id("checkin-submit").click()
    expect(phone.get_by_test_id("checkin-already")).to_be_visible()

    desk.goto(session_url)
    table = desk.get_by_test_id("attendance-table")
    expect(table).to_contain_text("赵大妈")
    expect(table).to_contain_text("139****8888")
    expect(desk.get_by_test_id("attended-count")).to_have_text("1")
    desk.goto("/")
    expect(desk.get_by_test_id("figure-activity-person-times")).to_have_text("1")
