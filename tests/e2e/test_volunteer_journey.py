"""Journey: a volunteer on a 390×844 phone signs up for a shift, checks in and out through the
shift's check-in link; community staff approve the hours on a desk and issue a certificate; the
volunteer sees the hours and points on their profile and opens the certificate."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from shegong.volunteers.models import ShiftSignup
from shegong.volunteers.tests.factories import make_shift, make_volunteer
from tests.e2e.conftest import DESKTOP, PHONE

pytestmark = pytest.mark.e2e


def test_volunteer_serves_a_shift_and_gets_hours_points_and_a_certificate(
    e2e_world, new_page, log_in
):
    volunteer = make_volunteer(e2e_world, user=e2e_world.users["volunteer"], name="王志远")
    shift = make_shift(e2e_world, capacity=3, starts_in=datetime.timedelta(minutes=30))

    phone = new_page(viewport=PHONE)
    log_in(phone, "volunteer")
    expect(
        phone.get_by_test_id("todo-volunteer-my-shifts").get_by_test_id("todo-count")
    ).to_have_text("0")
    phone.goto("/volunteers/shifts/")
    card = phone.get_by_test_id("shift-card").filter(has_text=shift.title)
    card.get_by_test_id("sign-up").click()
    expect(phone.get_by_test_id("signed-up")).to_be_visible()
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]

    desk = new_page(viewport=DESKTOP)
    log_in(desk, "community_staff")
    desk.goto(f"/volunteers/shifts/{shift.pk}/qr/")
    expect(desk.get_by_test_id("shift-qr").locator("svg")).to_be_visible()
    checkin_url = desk.get_by_test_id("checkin-url").inner_text().strip()
    assert "/c/vs." in checkin_url

    def scan():
        phone.goto(checkin_url)
        phone.locator("input[name=name]").fill(volunteer.person.name)
        phone.locator("input[name=mobile]").fill(volunteer.person.mobile)
        phone.get_by_test_id("checkin-submit").click()
        return phone.get_by_test_id("checkin-message")

    expect(scan()).to_contain_text("签到成功")
    # Ninety minutes of service pass.
    ShiftSignup.objects.filter(volunteer=volunteer).update(
        checked_in_at=timezone.now() - datetime.timedelta(minutes=90)
    )
    expect(scan()).to_contain_text("1.5")

    desk.goto("/")
    pending = desk.get_by_test_id("todo-volunteer-hours-pending")
    expect(pending.get_by_test_id("todo-count")).to_have_text("1")
    pending.click()
    desk.get_by_test_id("approve-hours").click()
    expect(desk.get_by_test_id("hours-queue")).not_to_contain_text(volunteer.number)
    desk.goto(f"/volunteers/{volunteer.pk}/")
    form = desk.get_by_test_id("certificate-form")
    form.locator("input[name=cert-person_in_charge]").fill("李建华")
    form.locator("input[name=cert-handler]").fill("陈晓燕")
    form.locator("input[name=cert-handler_contact]").fill("0592-5550123")
    form.locator("button[type=submit]").click()
    expect(desk.get_by_test_id("certificate")).to_be_visible()

    phone.goto("/volunteers/me/")
    expect(phone.get_by_test_id("volunteer-hours")).to_have_text("1.5")
    expect(phone.get_by_test_id("volunteer-points")).to_have_text("15")
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    phone.get_by_test_id("certificate-link").first.click()
    certificate = phone.get_by_test_id("certificate")
    expect(certificate).to_contain_text("志愿服务记录证明")
    expect(phone.get_by_test_id("certificate-hours")).to_have_text("1.5")
    expect(phone.get_by_test_id("certificate-id")).to_have_text(volunteer.person.id_number_masked)
