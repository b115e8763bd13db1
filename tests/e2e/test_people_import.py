"""Journey: the district office uploads a small people sheet, a real background worker checks
and imports it while the progress bar fills, and the people then appear in the list."""

import datetime
import io
import re

import pytest
from openpyxl import Workbook
from playwright.sync_api import expect
from stdnum.cn import ric

from shegong.people.models import Person

pytestmark = pytest.mark.e2e

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
HEADER = ["姓名", "证件类型", "证件号码", "手机号码", "所属社区"]
# Distinctive names, so the list shows exactly these people and nobody from the demo world.
NAMES = ["欧阳明月", "司马一帆", "诸葛晴川", "上官雨桐", "东方晓光"]


def synthetic_id(n: int) -> str:
    """A generated resident ID of 湖里区 (valid checksum and birth date), not a real person's."""
    birth = datetime.date(1960, 3, 1) + datetime.timedelta(days=997 * n)
    body = f"350206{birth:%Y%m%d}{100 + n:03d}"
    return body + ric.calc_check_digit(body + "0")


def people_sheet(community: str) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(HEADER)
    for n, name in enumerate(NAMES):
        sheet.append([name, "居民身份证", synthetic_id(n), f"1390000{n:04d}", community])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def test_upload_a_sheet_watch_the_progress_bar_finish_and_see_the_people(
    page, log_in, e2e_world, task_worker
):
    log_in(page, "district_admin")
    page.goto("/imports/people/new/")
    form = page.get_by_test_id("import-form")
    form.locator("input[name=file]").set_input_files(
        files=[
            {
                "name": "居民名单.xlsx",
                "mimeType": XLSX,
                "buffer": people_sheet(e2e_world.home_community.name),
            }
        ]
    )
    form.locator("button[type=submit]").click()

    # The job page: a progress bar that the worker process fills while the page polls.
    expect(page).to_have_url(re.compile(r"/imports/\d+/$"))
    progress = page.get_by_test_id("import-progress")
    expect(progress).to_be_visible()
    finished = page.get_by_test_id("import-finished")
    expect(finished).to_have_attribute("data-status", "done")
    expect(progress).to_have_attribute("aria-valuenow", "100")
    assert task_worker.poll() is None, "the worker process died"
    assert Person.objects.filter(name__in=NAMES).count() == len(NAMES)

    finished.locator("a[href='/people/']").click()
    table = page.locator("#person-table")
    for name in NAMES:
        expect(table.get_by_text(name, exact=True)).to_be_visible()
    # The list shows masked numbers, never the full ones the sheet held.
    expect(table).not_to_contain_text(synthetic_id(0))
    expect(table).to_contain_text(synthetic_id(0)[:4] + "**********" + synthetic_id(0)[-4:])
