"""Journey: the social worker records hours with a certificate; agency A's director opens the
worker's profile, downloads the evidence, refuses to decide without a reason (the message next
to the field), then accepts; the hours count on the worker's own page (on a phone)."""

import pytest
from playwright.sync_api import expect

from shegong.talent.tests.factories import make_worker
from tests.e2e.conftest import DESKTOP, PHONE

pytestmark = pytest.mark.e2e


def test_the_director_reads_the_evidence_and_accepts_the_hours(
    e2e_world, new_page, log_in, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path / "media"
    world = e2e_world
    profile = make_worker(world, user=world.users["social_worker"], name="林晓", level="assistant")
    evidence = tmp_path / "证书.pdf"
    evidence.write_bytes(b"%PDF-1.4 certificate of attendance")

    worker = new_page(viewport=PHONE)
    log_in(worker, "social_worker")
    worker.goto("/talent/cpd/new/")
    form = worker.get_by_test_id("talent-form")
    form.locator("input[name=hours]").fill("6")
    form.locator("input[name=label]").fill("社区治理讲座")
    form.locator("input[name=evidence]").set_input_files(str(evidence))
    form.get_by_role("button", name="保存").click()
    entry = worker.get_by_test_id("cpd-entry").filter(has_text="社区治理讲座")
    expect(entry.get_by_test_id("cpd-review-status")).to_have_text("待审核")

    director = new_page(viewport=DESKTOP)
    log_in(director, "agency_admin")
    director.goto(f"/talent/profiles/{profile.pk}/")
    row = director.get_by_test_id("cpd-entry").filter(has_text="社区治理讲座")
    with director.expect_download() as download:
        row.get_by_test_id("cpd-evidence").click()
    assert download.value.path().read_bytes() == b"%PDF-1.4 certificate of attendance"

    row.locator("select[name=decision]").select_option("rejected")
    row.get_by_test_id("cpd-review-submit").click()
    row = director.get_by_test_id("cpd-entry").filter(has_text="社区治理讲座")
    expect(row.locator("[data-field-error=reason]")).to_contain_text("请说明不予认可的原因")
    row.locator("select[name=decision]").select_option("accepted")
    row.get_by_test_id("cpd-review-submit").click()
    row = director.get_by_test_id("cpd-entry").filter(has_text="社区治理讲座")
    expect(row.get_by_test_id("cpd-review-status")).to_have_text("已认可")

    worker.goto("/talent/")
    entry = worker.get_by_test_id("cpd-entry").filter(has_text="社区治理讲座")
    expect(entry.get_by_test_id("cpd-review-status")).to_have_text("已认可")
    expect(worker.get_by_test_id("cpd-text")).to_contain_text("6.0")
