"""Budgets and projects of purchased services, created through the services by the demo
logins (the district administrator keeps budgets and contracts).

    budget = make_budget(world)                          # this district's 2025 budget
    project = make_project(world, budget=budget)         # agency A, 兴隆社区, 2025, ¥1,000,000
"""

import datetime
from decimal import Decimal

from shegong.purchasing import services

YEAR = 2025


def make_budget(world, *, year=YEAR, amount=Decimal("5000000"), street=None):
    return services.budget_create(
        actor=world.users["district_admin"], year=year, amount=amount, street=street
    )


def make_project(world, *, budget=None, agency=None, communities=None, **extra):
    budget = budget or make_budget(world)
    values = {
        "title": "兴隆社区综合服务项目",
        "starts_on": datetime.date(budget.year, 1, 1),
        "ends_on": datetime.date(budget.year, 12, 31),
        "contract_amount": Decimal("1000000"),
        "target_cases": 10,
        "target_group_sessions": 6,
        "target_community_sessions": 12,
        "target_person_times": 500,
        "target_volunteer_hours": 100,
        "target_satisfaction": 90,
    }
    values.update(extra)
    communities = communities or [world.home_community]
    return services.project_create(
        actor=world.users["district_admin"],
        budget=budget,
        agency=agency or world.agency_a,
        street=communities[0].street,
        communities=communities,
        **values,
    )


def assign(world, project, username="evaluator"):
    return services.project_assign_evaluator(
        actor=world.users["district_admin"], project=project, evaluator=world.users[username]
    )


def evaluate(world, project, stage, score=85, **extra):
    assign(world, project)
    scores = {name: score for name in ("professional", "outcomes", "management", "finance")}
    return services.evaluation_submit(
        actor=world.users["evaluator"],
        project=project,
        stage=stage,
        scores=scores,
        evaluated_on=datetime.date(project.budget.year, 12, 31),
        **extra,
    )
