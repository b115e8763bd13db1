"""Journey: three roles log in through the real form, each sees its own Chinese menu and the
figures of its own scope, then one switches the interface to English."""

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.e2e

# What differs by role (shegong/core/navigation.py): user management is for administrators.
EVERYONE = ["首页", "地区", "人员", "机构"]


def menu_labels(page) -> list[str]:
    menu = page.get_by_test_id("main-menu")
    return [label.strip() for label in menu.locator(".nav-link-title").all_inner_texts()]


def figure_values(page) -> list[str]:
    figures = page.get_by_test_id("home-figures")
    return [value.strip() for value in figures.locator(".figure-value").all_inner_texts()]


def test_district_admin_sees_the_whole_district_in_chinese(page, log_in):
    log_in(page, "district_admin")
    expect(page.locator("html")).to_have_attribute("lang", "zh-hans")
    labels = menu_labels(page)
    assert labels[: len(EVERYONE)] == EVERYONE
    assert "用户" in labels
    # Huli's 56 communities and the eight demo agencies, counted from the database.
    values = figure_values(page)
    assert values[0] == "56"
    assert values[1] == "8"
    page.get_by_test_id("topbar").locator("[data-bs-toggle=dropdown]").click()
    expect(page.get_by_test_id("logout")).to_have_text("退出登录")
    page.get_by_test_id("logout").click()
    expect(page.get_by_test_id("login-submit")).to_have_text("登录")


def test_community_staff_sees_one_community_and_no_user_management(page, log_in):
    log_in(page, "community_staff")
    labels = menu_labels(page)
    for label in EVERYONE:
        assert label in labels
    assert "用户" not in labels
    assert "审计日志" not in labels
    assert figure_values(page)[0] == "1"


def test_social_worker_sees_the_work_menu_and_switches_to_english(page, log_in):
    log_in(page, "social_worker")
    labels = menu_labels(page)
    for label in EVERYONE:
        assert label in labels
    assert "用户" not in labels
    assert "审计日志" not in labels

    page.get_by_test_id("language-switch").get_by_role("button").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    labels = menu_labels(page)
    assert labels[:4] == ["Home", "Places", "People", "Agencies"]
    assert "Users" not in labels
    # The choice sticks: the next page is English too, and so is the way out.
    page.get_by_test_id("main-menu").get_by_role("link", name="People").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    page.get_by_test_id("topbar").locator("[data-bs-toggle=dropdown]").click()
    expect(page.get_by_test_id("logout")).to_have_text("Log out")
    page.get_by_test_id("logout").click()
    expect(page.get_by_test_id("login-submit")).to_have_text("Log in")
