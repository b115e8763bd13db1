"""Journey: 五社联动. The community's staff, on a phone, record a resident's need and dispatch it
to the agency they are paired with; the agency's director, at a desk, claims it and organises a
joint activity of the pairing agreement with a session; a resident checks in through the
session's link on a 390×844 phone; the director records the need delivered through that activity
and the staff rate it. The activity, the need and the agreement then show each other."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from shegong.activities.models import Activity
from shegong.pairing.tests.factories import AgreementFactory
from shegong.resources.choices import NeedStatus
from shegong.resources.models import Need
from tests.e2e.conftest import DESKTOP, PHONE

pytestmark = pytest.mark.e2e


def fits_the_phone(page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


def test_need_delivered_through_a_joint_activity_with_phone_check_in(e2e_world, new_page, log_in):
    world = e2e_world
    agreement = AgreementFactory(
        title="兴隆社区结对共建", community=world.home_community, agency=world.agency_a
    )

    staff = new_page(viewport=PHONE)
    log_in(staff, "community_staff")
    staff.goto("/resources/needs/new/")
    form = staff.get_by_test_id("need-form")
    form.locator("[name=title]").fill("独居老人健康义诊")
    form.locator("[name=category]").select_option("elderly")
    form.locator("[name=people_affected]").fill("12")
    form.locator("[name=community]").select_option(str(world.home_community.pk))
    form.locator("[name=source]").select_option("resident")
    form.locator("button[type=submit]").click()
    expect(staff.get_by_test_id("need-status")).to_have_text("待派单")
    staff.get_by_test_id("need-dispatch").click()
    staff.get_by_test_id("dispatch-form").locator("[name=agency]").select_option(
        str(world.agency_a.pk)
    )
    fits_the_phone(staff)
    staff.get_by_test_id("step-submit").click()
    expect(staff.get_by_test_id("need-status")).to_have_text("已派单")
    need = Need.objects.get(title="独居老人健康义诊")

    lead = new_page(viewport=DESKTOP)
    log_in(lead, "agency_admin")
    lead.goto(f"/resources/needs/{need.pk}/")
    lead.get_by_test_id("need-claim").click()
    expect(lead.get_by_test_id("need-status")).to_have_text("已接单")

    # The joint activity, with its session and check-in link.
    lead.goto("/activities/new/")
    form = lead.get_by_test_id("activity-form")
    form.locator("select[name=kind]").select_option("community")
    form.locator("input[name=title]").fill("结对义诊进社区")
    form.locator("select[name=category]").select_option("health")
    form.locator("select[name=agency]").select_option(str(world.agency_a.pk))
    form.locator("select[name=community]").select_option(str(world.home_community.pk))
    form.locator("select[name=pairing]").select_option(str(agreement.pk))
    today = timezone.localdate()
    form.locator("input[name=starts_on]").fill(today.isoformat())
    form.locator("input[name=ends_on]").fill((today + datetime.timedelta(days=7)).isoformat())
    lead.get_by_test_id("activity-save").click()
    expect(lead.get_by_test_id("activity-pairing")).to_have_text("兴隆社区结对共建")
    activity = Activity.objects.get(title="结对义诊进社区")
    assert activity.pairing == agreement

    lead.get_by_test_id("session-create").click()
    starts = timezone.localtime() + datetime.timedelta(minutes=30)
    session_form = lead.get_by_test_id("session-form")
    session_form.locator("input[name=starts_at]").fill(starts.strftime("%Y-%m-%dT%H:%M"))
    session_form.locator("input[name=ends_at]").fill(
        (starts + datetime.timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M")
    )
    session_form.locator("input[name=place]").fill("兴隆社区卫生站")
    session_form.locator("input[name=capacity]").fill("30")
    lead.get_by_test_id("session-save").click()
    lead.get_by_test_id("session-qr-page").click()
    checkin_url = lead.get_by_test_id("checkin-url").inner_text().strip()

    resident = new_page(viewport=PHONE)
    resident.goto(checkin_url)
    expect(resident.get_by_test_id("checkin-title")).to_have_text("结对义诊进社区")
    resident.locator("input[name=name]").fill("钱奶奶")
    resident.locator("input[name=mobile]").fill("13950027777")
    resident.get_by_test_id("checkin-submit").click()
    expect(resident.get_by_test_id("checkin-done")).to_be_visible()
    fits_the_phone(resident)

    # Delivered through the activity, then rated by the community for the resident.
    lead.goto(f"/resources/needs/{need.pk}/")
    lead.get_by_test_id("need-deliver").click()
    deliver = lead.get_by_test_id("deliver-form")
    deliver.locator("[name=delivered_on]").fill(today.isoformat())
    deliver.locator("[name=summary]").fill("结对义诊为独居老人体检。")
    deliver.locator("[name=activity]").select_option(str(activity.pk))
    deliver.get_by_test_id("step-submit").click()
    expect(lead.get_by_test_id("need-status")).to_have_text("已服务")
    expect(lead.get_by_test_id("need-activity")).to_have_text("结对义诊进社区")

    staff.goto(f"/resources/needs/{need.pk}/")
    staff.get_by_test_id("need-rate").click()
    rate = staff.get_by_test_id("rate-form")
    rate.locator("[name=rating]").select_option("5")
    rate.get_by_test_id("step-submit").click()
    expect(staff.get_by_test_id("need-status")).to_have_text("已评价")
    fits_the_phone(staff)
    stored = Need.objects.get(pk=need.pk)
    assert stored.status == NeedStatus.RATED and stored.delivered_activity == activity

    # The activity lists the need it delivered; the agreement its joint activity and its
    # person-time.
    staff.goto(f"/activities/{activity.pk}/")
    expect(staff.get_by_test_id("activity-delivered-needs")).to_contain_text("独居老人健康义诊")
    staff.goto(f"/pairing/{agreement.pk}/")
    row = staff.get_by_test_id("joint-activities").locator("tr", has_text="结对义诊进社区")
    expect(row.locator("td").nth(2)).to_have_text("1")
    expect(row.locator("td").nth(3)).to_have_text("1")
    fits_the_phone(staff)
