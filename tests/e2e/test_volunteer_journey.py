"""Journeys: a volunteer on a 390×844 phone signs up for a shift, checks in and out through the
shift's check-in link; community staff approve the hours on a desk and issue a certificate; the
volunteer sees the hours and points on their profile and opens the certificate. And community
staff on a phone register a resident as a volunteer and enter hours served without a check-in."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from shegong.activities.tests.factories import make_activity
from shegong.volunteers.models import ServiceHours, ShiftSignup, VolunteerProfile
from shegong.volunteers.tests.factories import (
    make_person,
    make_shift,
    make_team,
    make_volunteer,
    past_date,
)
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


def test_staff_register_a_volunteer_and_enter_hours_on_a_phone(e2e_world, new_page, log_in):
    team = make_team(e2e_world, name="兴隆邻里队")
    person = make_person(e2e_world, name="周向阳")
    activity = make_activity(e2e_world, title="兴隆助老服务")

    phone = new_page(viewport=PHONE)
    log_in(phone, "community_staff")
    phone.goto("/volunteers/")
    phone.get_by_test_id("volunteer-register").click()
    phone.get_by_test_id("volunteer-person-q").fill("周向阳")
    phone.get_by_test_id("volunteer-person-search-submit").click()
    phone.get_by_test_id("volunteer-person-choice").filter(has_text="周向阳").click()
    expect(phone.get_by_test_id("volunteer-chosen-person")).to_contain_text("周向阳")
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    form = phone.get_by_test_id("volunteer-register-form")
    # Sent without a team first: the field says what is missing, the ticked skill stays.
    form.locator("input[name=skills][value=care]").check()
    phone.get_by_test_id("volunteer-register-submit").click()
    expect(phone.locator("[data-field-error=team]")).to_contain_text("必填")
    expect(form.locator("input[name=skills][value=care]")).to_be_checked()
    assert not VolunteerProfile.objects.exists()
    form.locator("select[name=team]").select_option(str(team.pk))
    phone.get_by_test_id("volunteer-register-submit").click()
    expect(phone.get_by_test_id("volunteer-hours")).to_be_visible()
    profile = VolunteerProfile.objects.get(person=person)
    assert phone.url.endswith(f"/volunteers/{profile.pk}/")
    assert profile.team == team and profile.skills == ["care"]
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]

    phone.get_by_test_id("volunteer-enter-hours").click()
    entry = phone.get_by_test_id("hours-entry-form")
    entry.locator("select[name=hours-activity]").select_option(str(activity.pk))
    entry.locator("input[name=hours-served_on]").fill(past_date().isoformat())
    entry.locator("input[name=hours-hours]").fill("2.5")
    phone.get_by_test_id("hours-entry-save").click()
    # No note: refused with the reason, nothing written, what was typed kept.
    expect(phone.locator("[data-field-error=hours-reason]")).to_contain_text("原因")
    expect(entry.locator("input[name=hours-hours]")).to_have_value("2.5")
    assert not ServiceHours.objects.exists()
    entry.locator("input[name=hours-reason]").fill("纸质签到表补录")
    phone.get_by_test_id("hours-entry-save").click()
    expect(phone.get_by_test_id("hours-row").first).to_contain_text("兴隆助老服务")
    expect(phone.get_by_test_id("hours-row").first).to_contain_text("待审批")
    record = ServiceHours.objects.get()
    assert record.source == "staff" and record.status == "pending" and record.volunteer == profile
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
