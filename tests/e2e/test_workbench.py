"""Journey: every demo login of ``seed_demo`` lands on a workbench (工作台) with its role's work
waiting, on a desk and on a phone, and each to-do card opens the page where that work is done."""

import pytest
from playwright.sync_api import expect

from shegong.core.demo import build_demo
from tests.e2e.conftest import DESKTOP, PHONE

pytestmark = pytest.mark.e2e

# What the demo district leaves waiting for each login (the cards with a count above zero).
WAITING = {
    "district_admin": ["crisis", "notifications"],
    "street_admin": ["crisis", "notifications"],
    "community_staff": ["crisis", "notifications"],
    "agency_admin": ["approvals", "notifications"],
    "supervisor": ["approvals", "notifications"],
    "social_worker": ["overdue", "no-contact", "exam-open-attempts"],
    "social_worker_b": ["overdue"],
    "agency_admin_b": ["referrals", "notifications"],
    "supervisor_b": ["approvals", "referrals"],
    "training_admin": ["notifications"],
    "evaluator": ["notifications"],
    "volunteer": ["notifications"],
    "auditor": ["audit-changes", "notifications"],
}
# Where each card leads: the page the work is done on.
LEADS_TO = {
    "crisis": "/cases/?",
    "notifications": "/notifications/?unread=1",
    "approvals": "/cases/supervision/",
    "referrals": "/cases/referrals/",
    "overdue": "/cases/my/?show=overdue",
    "no-contact": "/cases/my/?show=no_contact",
    "audit-changes": "/core/audit/?date_from=",
    "exam-open-attempts": "/exams/attempts/?open=1",
}


@pytest.fixture
def demo_district(e2e_world):
    """The whole demo of ``seed_demo`` (people, staff, case stories), committed for the server."""
    return build_demo()


def count_on(page, testid: str) -> int:
    card = page.get_by_test_id(f"todo-{testid}")
    return int(card.get_by_test_id("todo-count").inner_text().replace(",", ""))


def walk(page, log_in, username: str) -> None:
    log_in(page, username)
    expect(page.get_by_test_id("workbench-todos")).to_be_visible()
    for testid in WAITING[username]:
        card = page.get_by_test_id(f"todo-{testid}")
        expect(card).to_be_visible()
        assert count_on(page, testid) > 0, (username, testid)
        assert LEADS_TO[testid] in card.get_attribute("href"), (username, testid)
        with page.expect_navigation() as navigation:
            card.click()
        assert navigation.value.status == 200, (username, testid)
        expect(page.get_by_test_id("not-found")).to_have_count(0)
        page.go_back()
        page.get_by_test_id("workbench-todos").wait_for()


def test_every_demo_login_has_work_waiting_on_a_desk_and_a_phone(demo_district, new_page, log_in):
    # One test for both screens: the demo district takes longer to build than either walk.
    for username in WAITING:
        walk(new_page(viewport=DESKTOP), log_in, username)
        page = new_page(viewport=PHONE)
        walk(page, log_in, username)
        # Nothing spills sideways: cards stack to the phone's width.
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"], username
