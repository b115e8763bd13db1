"""Journey: a member of the public enrols in a free class without an account on a 390×844 phone,
following it at the remote site 闽宁镇; the site's coordinator opens the session's check-in code;
the learner checks in on the phone; the academy records the completions; the certificate and
its continuing-education hours appear on the learner's record."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from shegong.core.registry import cpd_credits_for
from shegong.training import services
from shegong.training.models import Enrolment
from shegong.training.tests.factories import make_coordinator, make_course
from tests.e2e.conftest import DESKTOP, PHONE

pytestmark = pytest.mark.e2e

ID_NUMBER = "640121199003070029"  # a valid GB 11643 number of 永宁县 (checked below)
MOBILE = "13995120307"


def _academy(world):
    admin = world.users["training_admin"]
    coordinator = make_coordinator(world, username="mn_coordinator")
    site = services.site_create(
        actor=admin, name="闽宁镇", region="宁夏永宁县", coordinators=[coordinator]
    )
    course = make_course(world, subject="社会工作综合能力", hours="16")
    today = timezone.localdate()
    klass = services.class_create(
        actor=admin,
        title=f"{today.year}年初级班",
        year=today.year,
        level="junior",
        capacity=30,
        starts_on=today,
        ends_on=today + datetime.timedelta(days=30),
        courses=[course],
    )
    starts = timezone.now() - datetime.timedelta(minutes=10)
    services.session_create(
        actor=admin,
        klass=klass,
        course=course,
        mode="hybrid",
        venue="湖里区社会工作促进会培训室",
        live_url="https://live.example.org/huli/1",
        starts_at=starts,
        ends_at=starts + datetime.timedelta(hours=3),
    )
    return klass, site


def test_public_enrolment_remote_check_in_and_completion_on_the_record(e2e_world, new_page, log_in):
    from stdnum.cn import ric

    assert ric.is_valid(ID_NUMBER)
    klass, site = _academy(e2e_world)

    # A member of the public, not signed in, on a phone.
    phone = new_page(viewport=PHONE)
    phone.goto(f"/training/enrol/?class={klass.pk}")
    form = phone.get_by_test_id("enrol-form")
    expect(form.locator("select[name=klass]")).to_have_value(str(klass.pk))
    form.locator("input[name=name]").fill("马晓燕")
    form.locator("input[name=id_number]").fill(ID_NUMBER)
    form.locator("input[name=mobile]").fill("139 9512 0307")
    form.locator("select[name=employer_type]").select_option("community")
    form.locator("input[name=employer_name]").fill("闽宁镇原隆村村委会")
    form.locator("select[name=site]").select_option(str(site.pk))
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    phone.get_by_test_id("enrol-submit").click()
    expect(phone.get_by_test_id("enrolled-confirmed")).to_contain_text("马晓燕")
    expect(phone.get_by_test_id("enrolled-card")).not_to_contain_text(ID_NUMBER)
    # Sending the same enrolment again is refused with a clear message, nothing doubled.
    phone.goto(f"/training/enrol/?class={klass.pk}")
    form = phone.get_by_test_id("enrol-form")
    form.locator("input[name=name]").fill("马晓燕")
    form.locator("input[name=id_number]").fill(ID_NUMBER)
    form.locator("input[name=mobile]").fill(MOBILE)
    form.locator("select[name=employer_type]").select_option("community")
    form.locator("input[name=employer_name]").fill("闽宁镇原隆村村委会")
    phone.get_by_test_id("enrol-submit").click()
    expect(phone.get_by_test_id("enrol-form")).to_contain_text("已报名该班级")
    assert Enrolment.objects.filter(klass=klass).count() == 1

    # The coordinator of 闽宁镇 opens today's session and its check-in code.
    coordinator_desk = new_page(viewport=DESKTOP)
    log_in(coordinator_desk, "mn_coordinator")
    session = klass.sessions.get()
    coordinator_desk.goto(f"/training/sessions/{session.pk}/")
    expect(coordinator_desk.get_by_test_id("session-qr").locator("svg")).to_be_visible()
    expect(coordinator_desk.get_by_test_id("attendance-table")).to_contain_text("马晓燕")
    checkin_url = coordinator_desk.get_by_test_id("checkin-url").inner_text().strip()
    assert "/c/ts." in checkin_url

    # The learner scans the code at the remote site, on the phone.
    phone.goto(checkin_url)
    phone.locator("input[name=name]").fill("马晓燕")
    phone.locator("input[name=mobile]").fill(MOBILE)
    phone.get_by_test_id("checkin-submit").click()
    expect(phone.get_by_test_id("checkin-done")).to_be_visible()
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    coordinator_desk.reload()
    expect(coordinator_desk.get_by_test_id("present-count")).to_have_text("1")

    # The academy records the completions: one session of one, attended.
    desk = new_page(viewport=DESKTOP)
    log_in(desk, "training_admin")
    desk.goto(f"/training/classes/{klass.pk}/")
    desk.get_by_test_id("class-complete").click()
    expect(desk.get_by_test_id("class-completed")).to_have_text("1")
    enrolment = Enrolment.objects.get(klass=klass)
    desk.goto(f"/training/learners/{enrolment.pk}/")
    expect(desk.get_by_test_id("enrolment-attended")).to_have_text("1")
    record = desk.get_by_test_id("enrolment-certificate")
    expect(record).to_contain_text(f"PX{klass.year}C")
    expect(record).to_contain_text("16.0")
    record.locator("a").click()
    expect(desk.get_by_test_id("certificate-hours")).to_have_text("16.0")
    # The coordinator sees the completion on their learner's record too.
    coordinator_desk.goto(f"/training/learners/{enrolment.pk}/")
    expect(coordinator_desk.get_by_test_id("enrolment-certificate")).to_contain_text("16.0")
    # The hours are what the talent profile sums (core's CPD registry).
    credits = cpd_credits_for([enrolment.person_id])
    assert [(c.hours, c.source) for c in credits] == [(Decimal("16.0"), "training")]
