"""Journeys through the case lists: the agency director's register at a desk, and a social
worker's My work on a phone.

The director narrows the register by risk (the table swaps in place and the address keeps the
filter), sorts it by clicking a column header twice, pages through it, and downloads the
filtered list as Excel. The worker sees the ten longest-overdue tasks with their total, opens
every case with overdue tasks, and from there a case file.
"""

import datetime
import re
from io import BytesIO

import pytest
from openpyxl import load_workbook
from playwright.sync_api import expect

from shegong.cases.choices import CaseStatus, RiskLevel
from shegong.cases.tests.factories import CaseFactory, today
from tests.e2e.conftest import PHONE

pytestmark = pytest.mark.e2e


def numbers_shown(page) -> list[str]:
    return [
        text.strip()
        for text in page.locator(
            "[data-testid=case-table] tbody td:first-child a"
        ).all_inner_texts()
    ]


def test_the_director_filters_sorts_pages_and_exports_the_register(page, log_in):
    high = [CaseFactory(risk_level=RiskLevel.HIGH) for _ in range(27)]
    low = [CaseFactory(risk_level=RiskLevel.LOW) for _ in range(3)]
    log_in(page, "agency_admin")
    page.goto("/cases/")
    expect(page.get_by_test_id("case-count")).to_contain_text("30")

    page.get_by_test_id("case-filter").locator("select[name=risk_level]").select_option("high")
    expect(page.get_by_test_id("case-count")).to_contain_text("27")
    expect(page).to_have_url(re.compile(r"risk_level=high"))
    shown = numbers_shown(page)
    assert len(shown) == 25 and not {case.number for case in low} & set(shown)

    page.locator("[data-testid=case-table] thead a[href*='sort=number']").click()
    expect(page.locator("[data-testid=case-table] thead a.asc")).to_have_count(1)
    ordered = sorted(case.number for case in high)
    assert numbers_shown(page) == ordered[:25]
    page.get_by_test_id("page-next").click()
    expect(page.get_by_test_id("page-previous")).to_be_visible()
    assert numbers_shown(page) == ordered[25:]

    page.locator("[data-testid=case-table] thead a[href*='sort=-number']").click()
    expect(page.locator("[data-testid=case-table] thead a.desc")).to_have_count(1)
    assert numbers_shown(page) == ordered[::-1][:25]

    with page.expect_download() as download:
        page.get_by_test_id("case-export").click()
    sheet = load_workbook(BytesIO(download.value.path().read_bytes())).active
    exported = {row[0] for row in sheet.iter_rows(min_row=2, values_only=True)}
    assert exported == {case.number for case in high}


def test_the_worker_finds_overdue_work_on_a_phone(new_page, log_in):
    overdue = []
    for days in range(1, 13):
        case = CaseFactory(stage=CaseStatus.INTERVENTION)
        task = case.plans.get().tasks.get()
        task.description = f"回访任务{days:02d}"
        task.due_date = today() - datetime.timedelta(days=days)
        task.save()
        overdue.append(case)
    on_time = CaseFactory(stage=CaseStatus.INTERVENTION)
    page = new_page(viewport=PHONE)
    log_in(page, "social_worker")
    page.goto("/cases/my/")

    tasks = page.get_by_test_id("overdue-tasks")
    expect(tasks.get_by_test_id("overdue-total")).to_have_text("12")
    expect(tasks.locator(".list-group-item")).to_have_count(10)
    expect(tasks).to_contain_text("回访任务12")  # the longest overdue first
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]

    page.get_by_test_id("overdue-all").click()
    expect(page.get_by_test_id("my-case-count")).to_contain_text("12")
    table = page.get_by_test_id("my-case-table")
    for case in overdue:
        expect(table).to_contain_text(case.number)
    expect(table).not_to_contain_text(on_time.number)

    table.get_by_role("link", name=overdue[0].number).click()
    expect(page.get_by_test_id("case-header")).to_contain_text(overdue[0].number)


def test_my_work_on_a_phone_shows_case_cards_first_with_filters_folded(new_page, log_in):
    late = CaseFactory(stage=CaseStatus.INTERVENTION, risk_level=RiskLevel.HIGH)
    task = late.plans.get().tasks.get()
    task.due_date = today() - datetime.timedelta(days=4)
    task.save()
    page = new_page(viewport=PHONE)
    log_in(page, "social_worker")
    page.goto("/cases/my/")

    # The filters are folded behind one button; the export is not the first thing on the screen.
    expect(page.get_by_test_id("my-work-filters")).to_be_hidden()
    expect(page.get_by_test_id("my-work-export")).to_be_hidden()
    card = page.get_by_test_id("my-case").first
    expect(card).to_be_in_viewport()
    # One card per case: the overdue badge and the last contact are on screen, no sideways scroll.
    expect(card.get_by_test_id("overdue-badge")).to_have_text("逾期 1 项")
    expect(card.get_by_test_id("overdue-badge")).to_be_visible()
    expect(card.locator('td[data-label="最近联系"]')).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    box = card.get_by_test_id("overdue-badge").bounding_box()
    assert box["x"] + box["width"] <= PHONE["width"]

    page.get_by_test_id("my-work-filters-toggle").click()
    expect(page.get_by_test_id("my-work-filters")).to_be_visible()
    page.get_by_test_id("my-work-export-phone").scroll_into_view_if_needed()
    expect(page.get_by_test_id("my-work-export-phone")).to_be_visible()

    # With the task done, the overdue view says so and leads back to all open cases.
    task.done_on = today()
    task.save()
    page.get_by_test_id("show-overdue").click()
    empty = page.get_by_test_id("my-work-empty")
    expect(empty).to_contain_text("暂无逾期任务")
    empty.get_by_role("link", name="我的全部未结案个案").click()
    expect(page.get_by_test_id("my-case")).to_have_count(1)


def test_my_work_without_cases_offers_to_open_one(new_page, log_in):
    page = new_page(viewport=PHONE)
    log_in(page, "social_worker")
    page.goto("/cases/my/")
    empty = page.get_by_test_id("my-work-empty")
    expect(empty).to_contain_text("您暂无在办个案")
    empty.get_by_test_id("my-work-empty-open").click()
    expect(page).to_have_url(re.compile(r"/cases/new/$"))
