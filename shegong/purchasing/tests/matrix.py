"""Purchased services for the authorization matrix (tests/test_authorization_matrix.py):
agency A's signed project in 兴隆社区 (``purchase_project_a``) with the evaluator assigned, its
mid-term evaluation with one rectification item, its first tranche ready to pay; and the
sentinels: agency B's projects in 殿前街道 and in another street (only the street's and the
district's administrators may find them), a budget of another street only the district reads
and one of the home street its street administrator reads too."""

import datetime
from decimal import Decimal

from shegong.core.testing.matrix import Sentinel
from shegong.places.models import Community
from shegong.purchasing import services
from shegong.purchasing.choices import Stage

YEAR = 2025


def _project(world, budget, agency, community, title):
    admin = world.users["district_admin"]
    project = services.project_create(
        actor=admin,
        budget=budget,
        agency=agency,
        street=community.street,
        communities=[community],
        title=title,
        starts_on=datetime.date(YEAR, 1, 1),
        ends_on=datetime.date(YEAR, 12, 31),
        contract_amount=Decimal("100000"),
    )
    services.project_sign(actor=admin, project=project, signed_on=datetime.date(YEAR, 1, 2))
    return project


def _district_budget(world):
    from shegong.purchasing.models import Budget

    budget = Budget.objects.filter(street__isnull=True, year=YEAR).first()
    return budget or services.budget_create(
        actor=world.users["district_admin"], year=YEAR, amount=Decimal("9000000")
    )


def purchasing_objects(world) -> dict:
    admin = world.users["district_admin"]
    project = _project(
        world, _district_budget(world), world.agency_a, world.home_community, "矩阵购买服务项目"
    )
    services.project_assign_evaluator(
        actor=admin, project=project, evaluator=world.users["evaluator"]
    )
    evaluation = services.evaluation_submit(
        actor=world.users["evaluator"],
        project=project,
        stage=Stage.MIDTERM,
        scores={"professional": 80, "outcomes": 80, "management": 80, "finance": 80},
        evaluated_on=datetime.date(YEAR, 7, 1),
        rectifications=[("矩阵整改事项", datetime.date(YEAR + 1, 3, 1))],
    )
    return {
        "purchase_project_a": project.pk,
        "tranche_a": project.tranches.get(seq=1).pk,
        "rectification_a": evaluation.rectifications.get().pk,
    }


def purchasing_sentinels(world) -> list[Sentinel]:
    budget = _district_budget(world)
    neighbour = (
        Community.objects.filter(street=world.home_street)
        .exclude(pk=world.home_community.pk)
        .order_by("code")
        .first()
    )
    far = Community.objects.filter(street=world.other_street).order_by("code").first()
    places = {
        "purchase_other_community": (
            neighbour,
            "哨兵邻里购买项目",
            {"district_admin", "street_admin"},
        ),
        "purchase_other_street": (far, "哨兵远方购买项目", {"district_admin"}),
    }
    sentinels = []
    for key, (community, title, visible) in places.items():
        project = _project(world, budget, world.agency_b, community, title)
        # A finished assignment: evaluated with an item to rectify, then released, so the demo
        # evaluator no longer sees it while the rectification list has a row of it.
        evaluator = world.users["evaluator"]
        services.project_assign_evaluator(
            actor=world.users["district_admin"], project=project, evaluator=evaluator
        )
        services.evaluation_submit(
            actor=evaluator,
            project=project,
            stage=Stage.MIDTERM,
            scores={"professional": 70, "outcomes": 70, "management": 70, "finance": 70},
            evaluated_on=datetime.date(YEAR, 7, 1),
            rectifications=[(f"{title}整改", datetime.date(YEAR + 1, 3, 1))],
        )
        services.project_unassign_evaluator(
            actor=world.users["district_admin"], project=project, evaluator=evaluator
        )
        sentinels.append(
            Sentinel(
                key=f"{key}_rectification",
                kind="purchase_rectification",
                pk=project.rectifications.get().pk,
                path=f"/purchasing/{project.pk}/",
                texts=(f"{title}整改",),
                visible_to=frozenset(visible),
            )
        )
        sentinels.append(
            Sentinel(
                key=key,
                kind="purchase_project",
                pk=project.pk,
                path=f"/purchasing/{project.pk}/",
                texts=(title,),
                visible_to=frozenset(visible),
                searches={title: frozenset(visible)},
            )
        )
    sentinels.append(
        Sentinel(
            key="purchase_agency_b",
            kind="purchase_agency",
            pk=world.agency_b.pk,
            path=f"/purchasing/?agency={world.agency_b.pk}",
            texts=(world.agency_b.name,),
            visible_to=frozenset({"district_admin", "street_admin"}),
        )
    )
    # Budget lines of another street (the district alone reads them) and of the home street
    # (its street administrator reads it too). The list is their page: no path of their own.
    budgets = {
        "purchase_budget": (world.other_street, "7654321.09", {"district_admin"}),
        "purchase_budget_home_street": (
            world.home_street,
            "1234567.89",
            {"district_admin", "street_admin"},
        ),
    }
    for key, (street, amount, visible) in budgets.items():
        budget = services.budget_create(
            actor=world.users["district_admin"], year=YEAR, street=street, amount=Decimal(amount)
        )
        sentinels.append(
            Sentinel(
                key=key,
                kind="purchase_budget",
                pk=budget.pk,
                path="",
                texts=(amount,),
                visible_to=frozenset(visible),
            )
        )
    return sentinels
