"""Journey: the district administrator creates a budget and a service project, signs it and pays
its first tranche; agency A's director finds the project; the assigned evaluator scores the
mid-term; the district administrator then releases the second tranche (refused before)."""

import pytest
from playwright.sync_api import expect

from shegong.purchasing.models import Payment, Project
from tests.e2e.conftest import DESKTOP, PHONE

pytestmark = pytest.mark.e2e


def submit(page):
    page.get_by_test_id("purchasing-submit").click()


def test_budget_project_evaluation_and_second_tranche(e2e_world, new_page, log_in):
    admin = new_page(viewport=DESKTOP)
    log_in(admin, "district_admin")
    admin.goto("/purchasing/budgets/")
    admin.get_by_test_id("budget-create").click()
    form = admin.get_by_test_id("purchasing-form")
    form.locator("input[name=year]").fill("2025")
    form.locator("input[name=amount]").fill("3000000")
    submit(admin)
    expect(admin.get_by_test_id("budget-year-2025")).to_contain_text("3000000")

    admin.goto("/purchasing/new/")
    form = admin.get_by_test_id("purchasing-form")
    form.locator("select[name=budget]").select_option(index=1)
    form.locator("input[name=title]").fill("兴隆社区长者关爱项目")
    form.locator("select[name=agency]").select_option(label=e2e_world.agency_a.name)
    form.locator("select[name=communities]").select_option(label="兴隆社区")
    form.locator("input[name=starts_on]").fill("2025-01-01")
    form.locator("input[name=ends_on]").fill("2025-12-31")
    form.locator("input[name=contract_amount]").fill("1000000")
    form.locator("input[name=target_cases]").fill("20")
    submit(admin)
    expect(admin.get_by_test_id("kpi-chart")).to_be_visible()
    project = Project.objects.get(title="兴隆社区长者关爱项目")

    admin.get_by_test_id("sign").click()
    submit(admin)
    admin.get_by_test_id("pay-1").click()
    submit(admin)
    expect(admin.get_by_test_id("tranche-1")).to_contain_text("已支付")
    expect(admin.get_by_test_id("pay-2")).to_have_count(0)  # the mid-term gate is shut
    admin.get_by_test_id("assign-form").locator("select").select_option(index=1)
    admin.get_by_test_id("assign-form").locator("button").click()
    expect(admin.get_by_test_id("evaluators")).to_contain_text("评估")

    # Agency A's director finds the project in their list (on a phone).
    director = new_page(viewport=PHONE)
    log_in(director, "agency_admin")
    director.goto("/purchasing/")
    expect(director.get_by_test_id("project-table")).to_contain_text("兴隆社区长者关爱项目")
    assert director.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]

    # The evaluator scores the mid-term.
    evaluator = new_page(viewport=DESKTOP)
    log_in(evaluator, "evaluator")
    evaluator.goto(f"/purchasing/{project.pk}/")
    evaluator.get_by_test_id("evaluate").click()
    form = evaluator.get_by_test_id("purchasing-form")
    form.locator("select[name=stage]").select_option("midterm")
    for name, score in (("professional", 85), ("outcomes", 80), ("management", 90)):
        form.locator(f"input[name=score_{name}]").fill(str(score))
    form.locator("input[name=score_finance]").fill("101")
    submit(evaluator)
    expect(evaluator.locator(".invalid-feedback").first).to_be_visible()
    evaluator.get_by_test_id("purchasing-form").locator("input[name=score_finance]").fill("80")
    submit(evaluator)
    expect(evaluator.get_by_test_id("evaluation-midterm")).to_contain_text("良好")

    # The district administrator releases the second tranche.
    admin.reload()
    admin.get_by_test_id("pay-2").click()
    submit(admin)
    expect(admin.get_by_test_id("tranche-2")).to_contain_text("已支付")
    assert Payment.objects.filter(project=project).count() == 2
