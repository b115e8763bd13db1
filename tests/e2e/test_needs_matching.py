"""Journey: 居民点单—社区派单—多方接单. Community staff, on a phone, record a resident's need,
read the suggested resources with their reasons and accept the best one; agency A's director, at
a desk, claims it and records the delivery; the community rates it for the resident."""

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from shegong.resources.choices import NeedStatus
from shegong.resources.models import Need
from shegong.resources.tests.factories import make_resource
from tests.e2e.conftest import DESKTOP, PHONE

pytestmark = pytest.mark.e2e


def fits_the_phone(page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


def test_need_raised_matched_claimed_delivered_and_rated(e2e_world, new_page, log_in):
    world = e2e_world
    best = make_resource(world, name="开心助老服务队", community=world.home_community, capacity=20)
    make_resource(
        world,
        name="致和青少年营",
        owner_agency=world.agency_b,
        district_wide=True,
        categories=["minors"],
        community=world.agency_b.community,
    )

    staff = new_page(viewport=PHONE)
    log_in(staff, "community_staff")
    staff.goto("/resources/needs/new/")
    form = staff.get_by_test_id("need-form")
    form.locator("[name=title]").fill("独居老人每日助餐")
    form.locator("[name=category]").select_option("elderly")
    form.locator("[name=urgency]").select_option("urgent")
    form.locator("[name=people_affected]").fill("6")
    form.locator("[name=community]").select_option(str(world.home_community.pk))
    form.locator("[name=source]").select_option("resident")
    fits_the_phone(staff)
    form.locator("button[type=submit]").click()
    expect(staff.get_by_test_id("need-status")).to_have_text("待派单")

    suggestions = staff.get_by_test_id("suggestion")
    expect(suggestions.first).to_contain_text("开心助老服务队")
    expect(suggestions.first.get_by_test_id("suggestion-score")).to_have_text("100 / 100")
    reasons = suggestions.first.get_by_test_id("suggestion-reason")
    expect(reasons).to_have_count(4)
    expect(reasons.nth(0)).to_contain_text("类别相符")
    expect(reasons.nth(1)).to_contain_text("同一社区")
    fits_the_phone(staff)
    suggestions.first.get_by_test_id("suggestion-accept").click()
    expect(staff.get_by_test_id("need-status")).to_have_text("已派单")
    expect(staff.get_by_test_id("need-party")).to_contain_text("开心助老服务队")
    need = Need.objects.get(title="独居老人每日助餐")
    assert need.resource == best and need.agency == world.agency_a

    lead = new_page(viewport=DESKTOP)
    log_in(lead, "agency_admin")
    # The workbench says one need waits for the agency's answer, and leads to it.
    expect(lead.get_by_test_id("todo-needs-to-claim").get_by_test_id("todo-count")).to_have_text(
        "1"
    )
    lead.get_by_test_id("todo-needs-to-claim").click()
    lead.get_by_role("link", name="独居老人每日助餐").click()
    lead.get_by_test_id("need-claim").click()
    expect(lead.get_by_test_id("need-status")).to_have_text("已接单")
    lead.get_by_test_id("need-deliver").click()
    deliver = lead.get_by_test_id("deliver-form")
    deliver.locator("[name=delivered_on]").fill(timezone.localdate().isoformat())
    deliver.locator("[name=summary]").fill("社工与志愿者每天中午送餐上门。")
    deliver.get_by_test_id("step-submit").click()
    expect(lead.get_by_test_id("need-status")).to_have_text("已服务")

    staff.goto(f"/resources/needs/{need.pk}/")
    staff.get_by_test_id("need-rate").click()
    rate = staff.get_by_test_id("rate-form")
    rate.locator("[name=rating]").select_option("5")
    rate.locator("[name=comment]").fill("老人很满意")
    rate.get_by_test_id("step-submit").click()
    expect(staff.get_by_test_id("need-status")).to_have_text("已评价")
    expect(staff.get_by_test_id("need-rating")).to_contain_text("5 / 5")
    assert Need.objects.get(pk=need.pk).status == NeedStatus.RATED
    staff.goto("/resources/needs/")
    fits_the_phone(staff)
