"""Journey: the small things that guide a user, at a desk and on a phone. A sub-page names the
pages above it and leads back; the menu marks only the page's own entry; communities are chosen
street by street; a date field is a picker sending YYYY-MM-DD; an empty list says what next."""

import re

import pytest
from playwright.sync_api import expect

from shegong.cases.choices import CaseStatus
from shegong.cases.tests.factories import CaseFactory
from shegong.places.models import Street
from tests.e2e.conftest import DESKTOP, PHONE

pytestmark = pytest.mark.e2e


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desk", "phone"])
def test_breadcrumbs_lead_back_from_a_case_step(new_page, log_in, viewport):
    case = CaseFactory(stage=CaseStatus.INTERVENTION)
    page = new_page(viewport=viewport)
    log_in(page, "social_worker")
    page.goto(f"/cases/{case.pk}/notes/new/")
    crumbs = page.get_by_test_id("breadcrumbs")
    expect(crumbs).to_be_visible()
    expect(crumbs.get_by_role("link")).to_have_text(["个案", case.number])
    # The date field offers the ISO format the pages show dates in.
    contact = page.locator("[name=contact_date]")
    expect(contact).to_have_attribute("type", "date")
    expect(contact).to_have_attribute("placeholder", "YYYY-MM-DD")
    assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]
    crumbs.get_by_role("link", name=case.number).click()
    expect(page).to_have_url(re.compile(rf"/cases/{case.pk}/$"))
    expect(page.get_by_test_id("breadcrumbs").get_by_role("link")).to_have_text(["个案"])


def test_supervision_marks_one_menu_entry_and_a_top_page_has_no_crumbs(new_page, log_in):
    page = new_page(viewport=DESKTOP)
    log_in(page, "supervisor")
    page.goto("/cases/supervision/")
    active = page.get_by_test_id("main-menu").locator(".nav-item.active")
    expect(active).to_have_count(1)
    expect(active).to_have_text("督导")
    expect(page.get_by_test_id("breadcrumbs")).to_be_hidden()
    # Nothing waits: the empty queue says where the work is instead.
    expect(page.get_by_test_id("empty-state")).to_be_visible()
    page.get_by_test_id("empty-action").click()
    expect(page).to_have_url(re.compile(r"/cases/$"))


def test_communities_are_chosen_street_by_street(new_page, log_in):
    page = new_page(viewport=PHONE)
    log_in(page, "district_admin")
    page.goto("/agencies/new/")
    community = page.locator("select[name=community]")
    groups = community.locator("optgroup")
    expect(groups).to_have_count(Street.objects.count())
    street = Street.objects.order_by("code").first()
    first = street.communities.order_by("code").first()
    expect(groups.first).to_have_attribute("label", street.name)
    community.select_option(label=first.name)
    assert community.input_value() == str(first.pk)
    expect(community.locator("option").first).to_have_text("请选择…")
