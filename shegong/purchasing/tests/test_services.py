"""Purchased-service services: budgets, contracts, gated payments (refused before the gate,
beyond the budget, or twice, with nothing written), evaluations and rectification items."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from shegong.purchasing.choices import Grade, Stage
from shegong.purchasing.models import ContractChange, Evaluation, Payment, Project, Rectification
from shegong.purchasing.selectors import agency_portfolio, ineligible_years, payable_tranches
from shegong.purchasing.services import (
    budget_create,
    budget_update,
    project_change_contract,
    project_sign,
    rectification_close,
    template_set,
    tranche_pay,
)
from shegong.purchasing.tests.factories import assign, evaluate, make_budget, make_project


@pytest.fixture(autouse=True)
def _chinese():
    with translation.override("zh-hans"):
        yield


@pytest.fixture
def admin(world):
    return world.users["district_admin"]


def written():
    return Payment.objects.count(), Project.objects.count(), ContractChange.objects.count()


def refusal(excinfo, field="tranche") -> str:
    return excinfo.value.message_dict[field][0]


def test_a_budget_per_source_and_year(world, admin):
    make_budget(world)
    make_budget(world, street=world.home_street)
    with pytest.raises(ValidationError) as excinfo:
        make_budget(world)
    assert "year" in excinfo.value.message_dict
    with pytest.raises(ValidationError):
        budget_create(actor=admin, year=2025, amount=Decimal("-1"))


def test_a_street_admin_keeps_no_budget(world):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        budget_create(actor=world.users["street_admin"], year=2025, amount=Decimal("1"))


def test_contracts_fit_in_the_budget(world, admin):
    budget = make_budget(world, amount=Decimal("1500000"))
    make_project(world, budget=budget)
    before = written()
    with pytest.raises(ValidationError) as excinfo:
        make_project(world, budget=budget, title="第二个项目")
    assert "500000" in refusal(excinfo, "contract_amount")
    assert written() == before
    with pytest.raises(ValidationError) as excinfo:
        budget_update(actor=admin, budget=budget, amount=Decimal("900000"))
    assert "amount" in excinfo.value.message_dict


def test_communities_must_lie_in_the_street(world):
    other = world.other_street.communities.first()
    before = written()
    with pytest.raises(ValidationError) as excinfo:
        make_project(world, communities=[world.home_community, other])
    assert "communities" in excinfo.value.message_dict
    assert written() == before


def test_tranche_refused_before_its_gate_then_paid_once(world, admin):
    project = make_project(world)
    first, second, third = project.tranches.order_by("seq")
    before = written()
    with pytest.raises(ValidationError) as excinfo:
        tranche_pay(actor=admin, tranche=first)
    assert "签订" in refusal(excinfo) or "尚未" in refusal(excinfo)
    assert written() == before

    project_sign(actor=admin, project=project, signed_on=datetime.date(2025, 1, 5))
    payment = tranche_pay(actor=admin, tranche=first, paid_on=datetime.date(2025, 1, 10))
    assert payment.amount == Decimal("400000.00")
    before = written()
    with pytest.raises(ValidationError) as excinfo:
        tranche_pay(actor=admin, tranche=first)
    assert refusal(excinfo) == "已拒绝：该付款批次已支付。"
    assert written() == before

    with pytest.raises(ValidationError):
        tranche_pay(actor=admin, tranche=second)
    evaluate(world, project, Stage.MIDTERM, score=55)  # 不合格: the gate stays shut
    with pytest.raises(ValidationError):
        tranche_pay(actor=admin, tranche=second)
    assert written() == before
    assert list(payable_tranches(admin)) == []


def test_tranche_refused_beyond_the_remaining_budget(world, admin):
    budget = make_budget(world, amount=Decimal("1000000"))
    project = make_project(world, budget=budget)
    project_sign(actor=admin, project=project)
    # The budget is cut to what the contract needs, then a second payment on another budget's
    # project draws on it: the ledger row is the budget's paid money whatever the project.
    first = project.tranches.get(seq=1)
    assert list(payable_tranches(admin)) == [first]
    Budget = type(budget)
    Budget.objects.filter(pk=budget.pk).update(amount=Decimal("300000"))
    before = written()
    with pytest.raises(ValidationError) as excinfo:
        tranche_pay(actor=admin, tranche=first)
    assert "300000" in refusal(excinfo)
    assert written() == before


def test_second_tranche_after_a_passing_midterm(world, admin):
    project = make_project(world)
    project_sign(actor=admin, project=project)
    tranche_pay(actor=admin, tranche=project.tranches.get(seq=1))
    evaluation = evaluate(world, project, Stage.MIDTERM, score=82)
    assert evaluation.grade == Grade.GOOD and evaluation.total == Decimal("82.00")
    second = project.tranches.get(seq=2)
    assert list(payable_tranches(admin)) == [second]
    assert tranche_pay(actor=admin, tranche=second).amount == Decimal("300000.00")


def test_weights_of_the_year_make_the_total(world, admin):
    template_set(actor=admin, year=2025, weights=(40, 30, 20, 10))
    project = make_project(world)
    assign(world, project)
    from shegong.purchasing.services import evaluation_submit

    evaluation = evaluation_submit(
        actor=world.users["evaluator"],
        project=project,
        stage=Stage.MIDTERM,
        scores={"professional": 100, "outcomes": 90, "management": 50, "finance": 0},
    )
    assert evaluation.total == Decimal("77.00")  # 40 + 27 + 10 + 0
    assert evaluation.grade == Grade.PASS
    with pytest.raises(ValidationError) as excinfo:
        template_set(actor=admin, year=2026, weights=(40, 30, 20, 20))
    assert "weight_finance" in excinfo.value.message_dict


def test_bad_scores_and_a_second_evaluation_are_refused(world):
    project = make_project(world)
    assign(world, project)
    from shegong.purchasing.services import evaluation_submit

    with pytest.raises(ValidationError) as excinfo:
        evaluation_submit(
            actor=world.users["evaluator"],
            project=project,
            stage=Stage.MIDTERM,
            scores={"professional": 101, "outcomes": "x", "management": 50, "finance": 50},
        )
    assert set(excinfo.value.message_dict) >= {"score_professional", "score_outcomes"}
    assert Evaluation.objects.count() == 0
    evaluate(world, project, Stage.MIDTERM)
    with pytest.raises(ValidationError) as excinfo:
        evaluate(world, project, Stage.MIDTERM)
    assert "stage" in excinfo.value.message_dict
    assert Evaluation.objects.count() == 1


def test_an_unassigned_evaluator_cannot_grade(world):
    from django.http import Http404

    from shegong.purchasing.services import evaluation_submit

    project = make_project(world)
    with pytest.raises(Http404):
        evaluation_submit(
            actor=world.users["evaluator"], project=project, stage=Stage.MIDTERM, scores={}
        )


def test_rectification_closed_by_the_agency(world):
    project = make_project(world)
    evaluation = evaluate(
        world,
        project,
        Stage.MIDTERM,
        rectifications=[("个案记录不完整", datetime.date(2026, 3, 1))],
    )
    item = evaluation.rectifications.get()
    with pytest.raises(ValidationError) as excinfo:
        rectification_close(actor=world.users["agency_admin"], item=item, note="")
    assert "note" in excinfo.value.message_dict
    assert Rectification.objects.get().closed_on is None
    rectification_close(actor=world.users["agency_admin"], item=item, note="已补齐记录")
    assert Rectification.objects.get().closed_on is not None


def test_contract_change_is_kept_with_its_reason(world, admin):
    project = make_project(world)
    project_change_contract(
        actor=admin,
        project=project,
        amount=Decimal("1200000"),
        ends_on=datetime.date(2025, 12, 31),
        reason="增加服务社区",
    )
    change = ContractChange.objects.get()
    assert (change.old_amount, change.new_amount) == (Decimal("1000000.00"), Decimal("1200000"))
    before = written()
    with pytest.raises(ValidationError) as excinfo:
        project_change_contract(
            actor=admin, project=project, amount=Decimal("1"), ends_on=project.ends_on, reason=""
        )
    assert "reason" in excinfo.value.message_dict
    assert written() == before
    with pytest.raises(ValidationError):
        ContractChange.objects.all().delete()


def test_a_failed_final_flags_next_year(world):
    project = make_project(world)
    evaluate(world, project, Stage.MIDTERM, score=70)
    evaluate(world, project, Stage.FINAL, score=50)
    assert ineligible_years([world.agency_a.pk]) == {world.agency_a.pk: [2026]}
    row = agency_portfolio(world.users["district_admin"])[0]
    assert row["ineligible_years"] == [2026] and row["grades"]["fail"] == 1


def test_contract_change_errors_name_the_fields_asked(world, admin):
    """The change asks for ``amount`` and ``ends_on``: its refusals name those fields, and an
    end before the start is a plain message, not the database constraint's name."""
    project = make_project(world)
    before = written()
    with pytest.raises(ValidationError) as excinfo:
        project_change_contract(
            actor=admin,
            project=project,
            amount=project.contract_amount,
            ends_on=project.starts_on - datetime.timedelta(days=1),
            reason="提前结束",
        )
    assert set(excinfo.value.message_dict) == {"ends_on"}
    with pytest.raises(ValidationError) as excinfo:
        project_change_contract(
            actor=admin,
            project=project,
            amount=Decimal("-5"),
            ends_on=project.ends_on,
            reason="减少",
        )
    assert set(excinfo.value.message_dict) == {"amount"}
    assert written() == before


def test_a_project_ending_before_it_starts_is_refused_on_its_end(world, admin):
    before = written()
    with pytest.raises(ValidationError) as excinfo:
        make_project(world, ends_on=datetime.date(2026, 1, 1), starts_on=datetime.date(2026, 5, 1))
    assert "ends_on" in excinfo.value.message_dict
    assert "__all__" not in excinfo.value.message_dict
    assert written() == before


def test_the_last_tranche_pays_its_own_share_even_when_paid_first(world, admin):
    project = make_project(world, contract_amount=Decimal("100.01"))
    project_sign(actor=admin, project=project, signed_on=datetime.date(2025, 1, 5))
    evaluate(world, project, Stage.MIDTERM)
    evaluate(world, project, Stage.FINAL)
    first, second, last = project.tranches.order_by("seq")
    # 40 % and 30 % of 100.01 round to 40.00 and 30.00; the last takes the fen left: 30.01.
    assert tranche_pay(actor=admin, tranche=last).amount == Decimal("30.01")
    assert tranche_pay(actor=admin, tranche=first).amount == Decimal("40.00")
    assert tranche_pay(actor=admin, tranche=second).amount == Decimal("30.00")
    assert sum(p.amount for p in Payment.objects.all()) == Decimal("100.01")


@pytest.mark.parametrize(
    ("plan", "says"),
    [
        ([(20, "signing", "")] * 5, "最多分 4 批"),
        ([(50, "signing", ""), (50, "midterm", "fail")], "第 2 批"),
        ([(50, "signing", "good"), (50, "final", "pass")], "签约即付"),
        ([(True, "signing", ""), (99, "final", "pass")], "整数百分比"),
        ([(150, "signing", ""), (-50, "final", "pass")], "1% 至 100%"),
    ],
)
def test_a_bad_payment_plan_is_refused_with_nothing_written(world, admin, plan, says):
    with pytest.raises(ValidationError) as refused:
        make_project(world, tranches=plan)
    assert says in refused.value.message_dict["tranches"][0]
    assert Project.objects.count() == 0
