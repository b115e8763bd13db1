"""Journey: the social worker sees what they qualify for and why, and applies with the signed
form; agency A's director confirms, the street reviews, the district approves; the 公示 runs
its days; the district ends it, the payment is scheduled and recorded. The worker sees the status at
every step (on a phone at the end)."""

import datetime

import pytest
from playwright.sync_api import expect

from shegong.talent.models import Application
from shegong.talent.tests.factories import make_policy, make_worker
from tests.e2e.conftest import DESKTOP, PHONE

pytestmark = pytest.mark.e2e


def status_of(page, number):
    page.goto("/talent/")
    return page.get_by_test_id("my-applications").get_by_text(number)


def review(new_page, log_in, persona, number, decision="approve"):
    page = new_page(viewport=DESKTOP)
    log_in(page, persona)
    page.goto("/talent/applications/?queue=1")
    page.get_by_test_id("application-table").get_by_role("link", name=number).click()
    form = page.get_by_test_id("review-form")
    form.locator("select[name=decision]").select_option(decision)
    page.get_by_test_id("review-submit").click()
    expect(page.locator(".alert-success, .alert").first).to_be_visible()
    return page


def test_a_worker_applies_and_the_district_pays_once(
    e2e_world, new_page, log_in, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path / "media"
    world = e2e_world
    make_worker(world, user=world.users["social_worker"], name="陈思远")
    make_policy(
        world, name="留任补贴", criteria=[{"kind": "employed_months", "params": {"months": 12}}]
    )
    make_policy(
        world,
        name="高级人才奖励",
        criteria=[{"kind": "qualification_min", "params": {"level": "senior"}}],
    )

    worker = new_page(viewport=DESKTOP)
    log_in(worker, "social_worker")
    worker.goto("/talent/qualify/")
    cards = worker.get_by_test_id("qualify-policy")
    expect(cards.filter(has_text="高级人才奖励")).to_contain_text("本政策要求高级社会工作师或以上")
    retention = cards.filter(has_text="留任补贴")
    expect(retention.get_by_test_id("qualify-yes")).to_be_visible()
    expect(retention).to_contain_text("（要求12个月）")
    retention.get_by_test_id("qualify-apply").click()

    # Without the signed form: refused next to the field, the statement kept.
    form = worker.get_by_test_id("apply-form")
    expect(worker.get_by_test_id("apply-check")).to_contain_text("您符合条件")
    form.locator("textarea[name=statement]").fill("入职满一年，申请留任补贴。")
    worker.get_by_test_id("apply-submit").click()
    expect(worker.locator(".invalid-feedback, .alert-danger").first).to_contain_text("须上传附件")
    expect(form.locator("textarea[name=statement]")).to_have_value("入职满一年，申请留任补贴。")
    form.locator("input[name=attachment]").set_input_files(
        files=[{"name": "form.pdf", "mimeType": "application/pdf", "buffer": b"%PDF-1.4 x"}]
    )
    worker.get_by_test_id("apply-submit").click()
    expect(worker.get_by_test_id("application-status")).to_have_text("审核中")
    expect(worker.get_by_test_id("application-awaiting")).to_have_text("机构确认")
    number = Application.objects.get().number

    review(new_page, log_in, "agency_admin", number)
    expect(status_of(worker, number).locator("..")).to_contain_text("审核中")
    worker.get_by_text(number).click()
    expect(worker.get_by_test_id("application-awaiting")).to_have_text("街道审核")

    review(new_page, log_in, "street_admin", number)
    worker.reload()
    expect(worker.get_by_test_id("application-awaiting")).to_have_text("区级审批")

    district = review(new_page, log_in, "district_admin", number)
    expect(district.get_by_test_id("application-status")).to_have_text("公示中")
    worker.reload()
    expect(worker.get_by_test_id("application-status")).to_have_text("公示中")
    # The public list shows the worker's name masked.
    public = new_page(viewport=PHONE)
    public.goto("/talent/notices/")
    expect(public.get_by_test_id("notice-name")).to_have_text("陈*远")

    # Too early: the district is told when the notice ends.
    district.get_by_test_id("notice-close").click()
    expect(district.locator(".alert-danger").first).to_contain_text("公示期至")
    # The notice's working days pass.
    application = Application.objects.get()
    days = (application.notice_ends - application.notice_starts).days + 1
    Application.objects.filter(pk=application.pk).update(
        notice_starts=application.notice_starts - datetime.timedelta(days=days),
        notice_ends=application.notice_ends - datetime.timedelta(days=days),
    )
    district.goto(f"/talent/applications/{application.pk}/")
    district.get_by_test_id("notice-close").click()
    expect(district.get_by_test_id("application-status")).to_have_text("已排定发放")
    expect(district.get_by_test_id("application-payments")).to_contain_text("5000.00")
    # The finance office pays; recorded once.
    district.get_by_test_id("payment-form").locator("button[type=submit]").click()
    expect(district.get_by_test_id("application-status")).to_have_text("已发放")

    phone = new_page(viewport=PHONE)
    log_in(phone, "social_worker")
    phone.goto(f"/talent/applications/{application.pk}/")
    expect(phone.get_by_test_id("application-status")).to_have_text("已发放")
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
