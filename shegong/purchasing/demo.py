"""Demo purchased services: every year since 2015, a district budget and one budget per street,
funding two projects per street (¥15.5 million a year), spread over the agencies.

Past years are complete: signed, mid-term and final evaluations by the demo evaluator, every
tranche paid whose gate held (one agency fails a final now and then, which flags its next
year). This year's projects are signed and their first tranche paid; the home street's are
assigned to the demo evaluator, some with their mid-term done (a second tranche waits for the
district administrator) and some not (an evaluation due for the evaluator), with an open
rectification item for agency A's director. Written through the services; idempotent (skipped
when budgets exist).
"""

import datetime
from decimal import Decimal

from django.utils import timezone

from shegong.purchasing import services
from shegong.purchasing.choices import Stage
from shegong.purchasing.models import Budget

FIRST_YEAR = 2015
DISTRICT_AMOUNT = Decimal("12000000")
STREET_AMOUNT = Decimal("1000000")
DISTRICT_PROJECT = Decimal("2200000")
STREET_PROJECT = Decimal("900000")
THEMES = ("社区综合服务", "长者关爱", "青少年成长", "城中村融合", "家庭支持", "残障康复")


def build(world):
    if Budget.objects.exists():
        return
    admin = world.users["district_admin"]
    today = timezone.localdate()
    agencies = list(world.agencies) or [world.agency_a, world.agency_b]
    streets = list(world.district.streets.order_by("code"))
    services.template_set(actor=admin, year=today.year, weights=(35, 30, 20, 15))
    count = 0
    for year in range(FIRST_YEAR, today.year + 1):
        district_budget = services.budget_create(actor=admin, year=year, amount=DISTRICT_AMOUNT)
        for index, street in enumerate(streets):
            street_budget = services.budget_create(
                actor=admin, year=year, amount=STREET_AMOUNT, street=street
            )
            communities = list(street.communities.order_by("code"))
            for offset, (budget, amount) in enumerate(
                ((district_budget, DISTRICT_PROJECT), (street_budget, STREET_PROJECT))
            ):
                agency = agencies[(year + index * 2 + offset) % len(agencies)]
                if street == world.home_street and offset == 0:
                    agency = world.agency_a  # the demo agency's own project in its street
                served = communities[offset * 3 : offset * 3 + 3] or communities[:1]
                theme = THEMES[(year + index + offset) % len(THEMES)]
                project = services.project_create(
                    actor=admin,
                    budget=budget,
                    agency=agency,
                    street=street,
                    communities=served,
                    title=f"{year}年{street.name}{theme}项目",
                    starts_on=datetime.date(year, 1, 1),
                    ends_on=datetime.date(year, 12, 31),
                    contract_no=f"HL-GM-{year}-{index + 1:02d}{offset + 1}",
                    contract_amount=amount,
                    target_cases=int(amount / 20000),
                    target_group_sessions=int(amount / 50000),
                    target_community_sessions=int(amount / 25000),
                    target_person_times=int(amount / 50),
                    target_volunteer_hours=int(amount / 500),
                    target_satisfaction=90,
                )
                count += 1
                _live(world, project, year=year, today=today, seed=year + index + offset)
    world.report.append(
        f"purchasing: {count} projects {FIRST_YEAR}–{today.year}, "
        f"¥{(DISTRICT_PROJECT + STREET_PROJECT) * len(streets):,.0f} a year"
    )


def _pay(admin, project, seq, paid_on):
    tranche = project.tranches.get(seq=seq)
    if services.gate_holds(tranche):
        services.tranche_pay(actor=admin, tranche=tranche, paid_on=paid_on)


def _live(world, project, *, year, today, seed):
    admin = world.users["district_admin"]
    evaluator = world.users["evaluator"]
    services.project_sign(
        actor=admin, project=project, signed_on=datetime.date(year, 1, 10), contract_no=""
    )
    _pay(admin, project, 1, datetime.date(year, 1, 20))
    current = year == today.year
    if current and project.street_id != world.home_street.pk:
        return
    services.project_assign_evaluator(actor=admin, project=project, evaluator=evaluator)
    if current and seed % 2:
        return  # the mid-term is due: on the evaluator's workbench
    mid_on = min(datetime.date(year, 7, 5), today)
    score = 70 + seed * 7 % 25
    services.evaluation_submit(
        actor=evaluator,
        project=project,
        stage=Stage.MIDTERM,
        scores={
            "professional": score,
            "outcomes": score - 3,
            "management": min(score + 4, 100),
            "finance": score,
        },
        satisfaction=85 + seed % 12,
        findings="服务记录较完整，需加强成效评估。",
        evaluated_on=mid_on,
        rectifications=[("完善服务对象需求评估记录", mid_on + datetime.timedelta(days=60))],
    )
    if current:
        return  # the second tranche waits for the district administrator
    _pay(admin, project, 2, datetime.date(year, 7, 20))
    final = 55 if seed % 11 == 0 else 72 + seed * 5 % 26
    services.evaluation_submit(
        actor=evaluator,
        project=project,
        stage=Stage.FINAL,
        scores={"professional": final, "outcomes": final, "management": final, "finance": final},
        satisfaction=88 + seed % 10,
        findings="项目总体完成合同目标。" if final >= 60 else "多项指标未达成，需整改。",
        evaluated_on=datetime.date(year, 12, 31),
    )
    for item in project.rectifications.filter(closed_on__isnull=True):
        services.rectification_close(
            actor=admin, item=item, note="已完成整改", closed_on=datetime.date(year, 12, 31)
        )
    _pay(admin, project, 3, datetime.date(year + 1, 1, 15))
