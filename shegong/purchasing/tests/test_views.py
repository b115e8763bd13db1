"""Purchased-service pages and API: evaluator isolation (404 on projects not assigned), the
project page's live targets and chart, refusals shown next to the field with nothing written,
the workbench to-dos, and the exports."""

import datetime

import pytest
from django.utils import translation

from shegong.core.registry import todos_for
from shegong.purchasing.choices import Stage
from shegong.purchasing.models import Budget, Payment, Project
from shegong.purchasing.services import project_sign
from shegong.purchasing.tests.factories import assign, evaluate, make_budget, make_project


@pytest.fixture(autouse=True)
def _chinese():
    with translation.override("zh-hans"):
        yield


def test_an_evaluator_sees_only_assigned_projects(world, client_for):
    budget = make_budget(world)
    mine = make_project(world, budget=budget, title="指派的项目")
    other = make_project(world, budget=budget, title="未指派的项目")
    assign(world, mine)
    client = client_for("evaluator")
    assert client.get(f"/purchasing/{mine.pk}/").status_code == 200
    assert client.get(f"/purchasing/{other.pk}/").status_code == 404
    assert client.get(f"/purchasing/{other.pk}/evaluate/").status_code == 404
    listing = client.get("/purchasing/").content.decode()
    assert "指派的项目" in listing and "未指派的项目" not in listing
    api = client.get(f"/api/v1/purchasing/projects/{other.pk}")
    assert api.status_code in (401, 404)


def test_project_page_shows_targets_actuals_and_chart(world, client_for):
    project = make_project(world)
    page = client_for("agency_admin").get(f"/purchasing/{project.pk}/").content.decode()
    assert 'data-testid="kpi-chart"' in page and "<svg" in page
    assert "目标与实际完成" in page
    assert client_for("social_worker_b").get(f"/purchasing/{project.pk}/").status_code == 404


def test_paying_before_the_gate_shows_the_refusal_and_writes_nothing(world, client_for):
    project = make_project(world)
    tranche = project.tranches.get(seq=1)
    client = client_for("district_admin")
    response = client.post(f"/purchasing/tranches/{tranche.pk}/pay/", {"paid_on": "2025-01-10"})
    assert response.status_code == 200
    assert "尚未满足付款条件" in response.content.decode()
    assert Payment.objects.count() == 0


def test_budget_form_refuses_a_duplicate_next_to_the_field(world, client_for):
    make_budget(world)
    client = client_for("district_admin")
    response = client.post("/purchasing/budgets/new/", {"year": 2025, "amount": "100"})
    assert "该资金来源在该年度已有预算" in response.content.decode()
    assert Budget.objects.count() == 1
    page = client.get("/purchasing/budgets/").content.decode()
    assert 'data-testid="budget-year-2025"' in page


def test_a_street_admin_reads_their_streets_budget_only(world, client_for):
    from decimal import Decimal

    make_budget(world, amount=Decimal("9000001"))  # the district's own money
    make_budget(world, street=world.home_street, amount=Decimal("300002"))
    make_budget(world, street=world.other_street, amount=Decimal("400003"))
    client = client_for("street_admin")
    page = client.get("/purchasing/budgets/").content.decode()
    assert "300002" in page
    assert "9000001" not in page and "400003" not in page
    assert 'data-testid="budget-create"' not in page
    listed = client.get("/api/v1/purchasing/budgets").json()["items"]
    assert [row["amount"] for row in listed] == ["300002.00"]
    response = client.post("/purchasing/budgets/new/", {"year": 2026, "amount": "100"})
    assert response.status_code == 404
    assert Budget.objects.count() == 3


def test_api_refusal_is_json_with_field_errors(world, client_for):
    from shegong.accounts.services import token_issue

    project = make_project(world)
    _token, raw = token_issue(user=world.users["district_admin"], name="t")
    tranche = project.tranches.get(seq=2)
    response = client_for("district_admin").post(
        f"/api/v1/purchasing/tranches/{tranche.pk}/payment",
        {},
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {raw}",
    )
    assert response.status_code == 400
    assert "tranche" in response.json()["errors"]
    assert Payment.objects.count() == 0


def test_workbench_todos_follow_the_work(world):
    project = make_project(world)

    def count(persona, testid):
        todos = {t.testid: t.count for t in todos_for(world.users[persona])}
        return todos.get(testid)

    assert count("district_admin", "purchasing-payable") == 0
    project_sign(actor=world.users["district_admin"], project=project)
    assert count("district_admin", "purchasing-payable") == 1
    assign(world, project)
    assert count("evaluator", "purchasing-evaluations-due") == 1  # 2025's period is over
    evaluate(
        world,
        project,
        Stage.MIDTERM,
        rectifications=[("补充记录", datetime.date(2026, 6, 1))],
    )
    assert count("agency_admin", "purchasing-rectifications") == 1
    assert count("district_admin", "purchasing-payable") == 2
    assert count("social_worker", "purchasing-payable") is None


def test_exports_are_workbooks(world, client_for):
    make_project(world)
    client = client_for("district_admin")
    for url in (
        "/purchasing/export.xlsx",
        "/purchasing/budgets/export.xlsx",
        "/purchasing/portfolio/export.xlsx",
    ):
        response = client.get(url)
        assert response.status_code == 200
        assert response.content[:2] == b"PK"
    assert Project.objects.count() == 1


def _project_post(world, budget, **tranche_fields):
    return {
        "budget": budget.pk,
        "title": "自定付款计划的项目",
        "agency": world.agency_a.pk,
        "communities": [world.home_community.pk],
        "starts_on": "2025-01-01",
        "ends_on": "2025-12-31",
        "contract_amount": "300000",
        "target_cases": 0,
        "target_group_sessions": 0,
        "target_community_sessions": 0,
        "target_person_times": 0,
        "target_volunteer_hours": 0,
        "target_satisfaction": 90,
        **tranche_fields,
    }


def test_the_project_form_sets_the_payment_plan(world, client_for):
    budget = make_budget(world)
    client = client_for("district_admin")
    plan = {
        "tranche_1_percent": 50,
        "tranche_1_gate": "signing",
        "tranche_2_percent": 50,
        "tranche_2_gate": "final",
        "tranche_2_grade": "good",
        "tranche_3_percent": "",
        "tranche_3_gate": "",
    }
    response = client.post("/purchasing/new/", _project_post(world, budget, **plan))
    project = Project.objects.get()
    assert response.status_code == 302
    rows = list(project.tranches.order_by("seq").values_list("percent", "gate", "min_grade"))
    assert rows == [(50, "signing", ""), (50, "final", "good")]
    page = client.get(f"/purchasing/{project.pk}/").content.decode()
    assert "150000.00" in page  # each half of the contract


def test_a_payment_plan_off_100_is_refused_at_the_tranches(world, client_for):
    budget = make_budget(world)
    plan = {"tranche_1_percent": 60, "tranche_1_gate": "signing", "tranche_2_percent": 30}
    plan["tranche_2_gate"] = "midterm"
    plan["tranche_2_grade"] = "pass"
    plan["tranche_3_percent"] = ""
    plan["tranche_3_gate"] = ""
    response = client_for("district_admin").post(
        "/purchasing/new/", _project_post(world, budget, **plan)
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert 'data-field-error="tranche_1_percent"' in page
    assert "各付款批次的比例必须为正数且合计 100%" in page
    assert Project.objects.count() == 0


def test_the_api_takes_a_payment_plan_and_refuses_a_fractional_share(world, client_for):
    budget = make_budget(world)
    client = client_for("district_admin")
    body = {
        "budget_id": budget.pk,
        "title": "接口自定付款计划",
        "agency_id": world.agency_a.pk,
        "community_ids": [world.home_community.pk],
        "starts_on": "2025-01-01",
        "ends_on": "2025-12-31",
        "contract_amount": "300000",
    }
    thirds = [
        {"percent": 33.333, "gate": "signing"},
        {"percent": 33.333, "gate": "midterm", "min_grade": "pass"},
        {"percent": 33.334, "gate": "final", "min_grade": "pass"},
    ]
    refused = client.post(
        "/api/v1/purchasing/projects", {**body, "tranches": thirds}, content_type="application/json"
    )
    assert refused.status_code == 422
    assert "tranches.0.percent" in refused.json()["errors"]
    assert Project.objects.count() == 0
    plan = [
        {"percent": 70, "gate": "signing"},
        {"percent": 30, "gate": "final", "min_grade": "good"},
    ]
    created = client.post(
        "/api/v1/purchasing/projects", {**body, "tranches": plan}, content_type="application/json"
    )
    assert created.status_code == 201
    tranches = created.json()["tranches"]
    assert [(t["percent"], t["gate"], t["min_grade"]) for t in tranches] == [
        (70, "signing", ""),
        (30, "final", "good"),
    ]
