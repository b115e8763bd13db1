"""Journey: a social worker in the field on a phone-sized screen: the menu folds away behind the
toggler, opens on a tap and leads to the pages it lists."""

import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.e2e

PHONE = {"width": 390, "height": 844}


def test_menu_collapses_behind_the_toggler_and_opens(new_page, log_in):
    page = new_page(viewport=PHONE)
    log_in(page, "social_worker")
    menu = page.get_by_test_id("main-menu")
    toggler = page.locator(".navbar-toggler")

    expect(toggler).to_be_visible()
    expect(menu).to_be_hidden()
    # Nothing spills sideways: the page fits the phone's width.
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    expect(page.get_by_test_id("home-figures")).to_be_visible()

    toggler.click()
    expect(menu).to_be_visible()
    expect(toggler).to_have_attribute("aria-expanded", "true")
    menu.get_by_role("link", name="人员").click()
    expect(page).to_have_url(re.compile(r"/people/$"))
