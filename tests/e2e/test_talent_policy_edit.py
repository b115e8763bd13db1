"""Journey: the district administrator edits a published policy from its page. With an
application submitted, changing the amount is refused next to its field with the reason; the
new name, closing date and public-notice days are saved and shown on the policy's page."""

import pytest
from playwright.sync_api import expect

from shegong.talent.models import Policy
from shegong.talent.tests.factories import file_application, make_policy, make_worker
from tests.e2e.conftest import DESKTOP

pytestmark = pytest.mark.e2e


def test_the_district_edits_a_policy_with_applications(
    e2e_world, new_page, log_in, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path / "media"
    world = e2e_world
    policy = make_policy(world, name="社工人才奖励")
    file_application(world, policy, make_worker(world, user=world.users["social_worker"]))

    page = new_page(viewport=DESKTOP)
    log_in(page, "district_admin")
    page.goto(f"/talent/policies/{policy.pk}/")
    page.get_by_test_id("policy-edit").click()
    expect(page.get_by_test_id("policy-locked")).to_contain_text("已有1份申请提交")

    form = page.get_by_test_id("policy-edit-form")
    form.locator("input[name=amount_flat]").fill("8000")
    form.locator("input[name=name]").fill("社工人才奖励（2026修订）")
    page.get_by_test_id("policy-edit-submit").click()
    expect(page.locator("[data-field-error=amount_basis]")).to_contain_text("已锁定")
    assert Policy.objects.get(pk=policy.pk).name == "社工人才奖励"

    form = page.get_by_test_id("policy-edit-form")
    expect(form.locator("input[name=name]")).to_have_value("社工人才奖励（2026修订）")
    form.locator("input[name=amount_flat]").fill("5000")
    form.locator("input[name=notice_days]").fill("7")
    page.get_by_test_id("policy-edit-submit").click()
    expect(page.locator("h2, .page-title").first).to_contain_text("社工人才奖励（2026修订）")
    expect(page.get_by_text("政策已保存")).to_be_visible()
    policy.refresh_from_db()
    assert (policy.name, policy.notice_days, policy.amounts) == (
        "社工人才奖励（2026修订）",
        7,
        {"flat": "5000.00"},
    )
