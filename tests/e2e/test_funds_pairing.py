"""Journey: 兴隆社区's staff open their charity fund, record a donation and a disbursement and
read the balance (on a desk, then on a phone, where a refused overdraft says why); the street
administrator reviews a pairing agreement of an urban village in their street."""

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from shegong.pairing.models import AnnualReview
from shegong.pairing.tests.factories import AgreementFactory
from shegong.places.models import Community
from tests.e2e.conftest import DESKTOP, PHONE

pytestmark = pytest.mark.e2e


def test_community_staff_keep_their_fund(e2e_world, new_page, log_in):
    page = new_page(viewport=DESKTOP)
    log_in(page, "community_staff")
    page.goto("/funds/")
    page.get_by_test_id("fund-create").first.click()
    form = page.get_by_test_id("fund-form")
    form.locator("select[name=community]").select_option(label="兴隆社区")
    form.locator("button[type=submit]").click()
    expect(page.get_by_test_id("fund-balance").first).to_have_text("0.00")

    page.get_by_test_id("donation-new").click()
    form = page.get_by_test_id("entry-form")
    form.locator("select[name=donor_type]").select_option("organisation")
    form.locator("input[name=donor_name]").fill("兴隆商贸有限公司")
    form.locator("input[name=amount]").fill("1200")
    form.locator("button[type=submit]").click()
    expect(page.get_by_test_id("fund-balance").first).to_have_text("1200.00")

    page.get_by_test_id("disbursement-new").click()
    form = page.get_by_test_id("entry-form")
    form.locator("input[name=amount]").fill("200")
    form.locator("input[name=purpose]").fill("长者助餐")
    form.locator("button[type=submit]").click()
    expect(page.get_by_test_id("fund-balance").first).to_have_text("1000.00")
    expect(page.get_by_test_id("ledger-table")).to_contain_text("长者助餐")
    expect(page.get_by_test_id("ledger-table")).to_contain_text("兴隆商贸有限公司")

    # On a phone: an overdraft is refused next to the amount, and the typed purpose stays.
    phone = new_page(viewport=PHONE)
    log_in(phone, "community_staff")
    phone.goto("/funds/")
    phone.get_by_test_id("fund-table").get_by_role("link").first.click()
    expect(phone.get_by_test_id("fund-balance").first).to_have_text("1000.00")
    # The ledger's rows are cards: nothing spills sideways.
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    phone.get_by_test_id("disbursement-new").click()
    form = phone.get_by_test_id("entry-form")
    form.locator("input[name=amount]").fill("5000")
    form.locator("input[name=purpose]").fill("困难家庭慰问")
    form.locator("button[type=submit]").click()
    expect(phone.locator("[data-field-error=amount], .invalid-feedback").first).to_contain_text(
        "基金余额为 1000.00 元"
    )
    expect(phone.locator("input[name=purpose]")).to_have_value("困难家庭慰问")
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


def test_street_admin_reviews_a_pairing(e2e_world, new_page, log_in):
    village = Community.objects.get(name="高殿社区")  # an urban village of 殿前街道
    agreement = AgreementFactory(community=village, agency=e2e_world.agency_a, title="高殿结对共建")
    year = timezone.localdate().year
    page = new_page(viewport=DESKTOP)
    log_in(page, "street_admin")
    card = page.get_by_test_id("todo-pairing-reviews-due")
    expect(card.get_by_test_id("todo-count")).to_have_text("1")
    card.click()
    page.get_by_role("link", name="高殿结对共建").click()
    page.get_by_test_id("review-new").click()
    form = page.get_by_test_id("review-form")
    expect(form.locator("input[name=year]")).to_have_value(str(year))
    form.locator("input[name=score]").fill("92")
    form.locator("textarea[name=comments]").fill("共建活动扎实，居民反映良好。")
    form.locator("button[type=submit]").click()
    expect(page.get_by_test_id("reviews")).to_contain_text("92")
    review = AnnualReview.objects.get(agreement=agreement)
    assert (review.year, review.score) == (year, 92)
    assert review.reviewed_by.username == "street_admin"
