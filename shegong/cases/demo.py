"""Demo case work: the demo agency's cases at every step of the lifecycle, a Taiwan-compatriot
case, a referral waiting in the second agency's inbox and overdue tasks, all written through the
case services exactly as the pages would (``seed_demo`` only).

Dates count back from today, so every run shows a living district: overdue tasks are overdue,
a quiet client has gone without contact for longer than the reminder allows. The stories are
written once: an agency that already has cases gets none.
"""

import datetime

from stdnum.cn import ric

from shegong.cases import services
from shegong.cases.choices import (
    Attainment,
    CaseSource,
    ClosureReason,
    ContactMethod,
    ItemStatus,
    NeedLevel,
    RiskLevel,
    TaiwanItem,
)
from shegong.cases.models import Case
from shegong.people.choices import ConsentKind, ConsentScope, IdType
from shegong.people.models import Person
from shegong.people.services import consent_record, person_create

# The furthest step each story reaches, in lifecycle order.
INTAKE, ASSESSED, PLAN_SUBMITTED, INTERVENTION, EVALUATED, CLOSURE_REQUESTED, CLOSED = range(7)

# (furthest step, days since intake, risk, presenting problem, overdue tasks?, quiet client?)
AGENCY_A_STORIES = [
    (INTAKE, 2, RiskLevel.MEDIUM, "独居老人，邻居反映近期行动不便，需上门了解情况。", False, False),
    (ASSESSED, 12, RiskLevel.MEDIUM, "失业后家庭经济困难，孩子面临辍学风险。", False, False),
    (PLAN_SUBMITTED, 21, RiskLevel.HIGH, "长期照顾失能配偶，照顾者身心疲惫。", False, False),
    (INTERVENTION, 75, RiskLevel.HIGH, "刑满释放人员，就业与家庭关系重建困难。", True, True),
    (INTERVENTION, 40, RiskLevel.CRISIS, "遭受家庭暴力，需紧急安全计划与庇护。", False, False),
    (EVALUATED, 150, RiskLevel.MEDIUM, "困境儿童学习困难，家庭教育支持不足。", False, False),
    (CLOSURE_REQUESTED, 160, RiskLevel.LOW, "低保家庭申请临时救助，需协助办理。", False, False),
    (CLOSED, 240, RiskLevel.LOW, "老人社交孤立，情绪低落。", False, False),
]
AGENCY_B_STORIES = [
    (INTERVENTION, 50, RiskLevel.MEDIUM, "残疾青年就业受阻，需职业康复转介。", True, False),
    (PLAN_SUBMITTED, 18, RiskLevel.MEDIUM, "外来务工家庭子女入学困难。", False, False),
]

NEEDS = {
    "livelihood": {"level": NeedLevel.HIGH, "note": "收入不稳定"},
    "family": {"level": NeedLevel.SOME, "note": "家庭支持有限"},
    "social": {"level": NeedLevel.SOME, "note": ""},
}
GOALS = [
    {"description": "稳定基本生活，按时获得应有的救助", "measure": "三个月内完成救助申请"},
    {"description": "重建家庭与社区支持网络", "measure": "每月至少两次家庭或邻里联系"},
]


def _ago(days: int) -> datetime.date:
    return services.today() - datetime.timedelta(days=days)


def _clients(agency, home_community, count: int) -> list:
    """Adult clients the agency already keeps files on, those of the home community first."""
    adults = Person.objects.filter(
        owner_agency=agency, community__isnull=False, birth_date__lte=_ago(18 * 366)
    ).order_by("pk")
    home = list(adults.filter(community=home_community)[:count])
    return home + list(adults.exclude(community=home_community)[: count - len(home)])


def _story(client, story, *, worker, lead, taiwan=False) -> Case:
    step, days, risk, problem, overdue, quiet = story
    case = services.case_open(
        actor=worker,
        client=client,
        source=CaseSource.COMMUNITY if days % 2 else CaseSource.WALK_IN,
        presenting_problem=problem,
        risk_level=RiskLevel.MEDIUM,
        intake_date=_ago(days),
        is_taiwan_service=taiwan,
    )
    if step == INTAKE:
        return case
    services.assessment_record(
        actor=worker,
        case=case,
        assessed_on=_ago(days - 2),
        needs=NEEDS,
        risk_level=risk,
        summary="需求集中在生活保障与社会支持，案主有改变意愿。",
        strengths="案主配合，社区资源较丰富。",
    )
    if step == ASSESSED:
        return case
    # Overdue stories have tasks already past due; the others' tasks lie ahead.
    dues = (_ago(20), _ago(6), _ago(-10)) if overdue else (_ago(-7), _ago(-21), _ago(-35))
    tasks = [
        {"description": "陪同办理救助申请", "due_date": dues[0], "goal": 0},
        {"description": "召开家庭会议", "due_date": dues[1], "goal": 1},
        {"description": "链接社区志愿者定期探访", "due_date": dues[2], "goal": 1},
    ]
    plan = services.plan_create(
        actor=worker, case=case, goals=GOALS, tasks=tasks, summary="以增能为导向的三个月服务计划"
    )
    review = services.plan_submit(actor=worker, plan=plan)
    if step == PLAN_SUBMITTED:
        return case
    services.review_decide(actor=lead, review=review, approve=True, comment="同意，按计划推进。")
    # A quiet client's last contact lies beyond the no-contact reminder (30 days by default).
    contacts = (days - 5, 45) if quiet else (days - 5, days // 2, 3)
    for number, ago in enumerate(contacts):
        services.note_add(
            actor=worker,
            case=case,
            contact_date=_ago(max(ago, 0)),
            duration_minutes=60,
            method=ContactMethod.HOME_VISIT if number % 2 == 0 else ContactMethod.PHONE,
            content="了解近况，跟进计划任务进展，案主情绪稳定。",
            participants=1 + number % 3,
        )
    if step == INTERVENTION:
        return case
    for task in plan.tasks.all():
        services.task_complete(actor=worker, task=task, done_on=_ago(10))
    services.evaluation_record(
        actor=worker,
        case=case,
        evaluated_on=_ago(2),
        attainment={str(goal.pk): Attainment.ACHIEVED for goal in plan.goals.all()},
        summary="服务目标基本达成，案主生活恢复稳定。",
    )
    if step == EVALUATED:
        return case
    closure = services.closure_request(
        actor=worker,
        case=case,
        reason=ClosureReason.GOALS_ACHIEVED,
        note="目标达成，案主同意结案。",
    )
    if step == CLOSED:
        services.review_decide(actor=lead, review=closure, approve=True, comment="同意结案。")
    return case


def _taiwan_compatriot(world, worker, lead) -> Case:
    """A Taiwan compatriot starting a business in the district: personal file and a case."""
    person = Person.objects.filter(
        id_type=IdType.TAIWAN_PERMIT, owner_agency=world.agency_a
    ).first()
    if person is None:
        body = "830000" + "19880916" + "137"
        person = person_create(
            actor=worker,
            name="林志明",
            id_type=IdType.TAIWAN_PERMIT,
            id_number=body + _check_digit(body),
            mobile="13906021688",
            community=world.home_community,
            owner_agency=world.agency_a,
        )
    for item, status in (
        (TaiwanItem.DOCUMENTS, ItemStatus.DONE),
        (TaiwanItem.RESIDENCE, ItemStatus.DONE),
        (TaiwanItem.STARTUP, ItemStatus.IN_PROGRESS),
    ):
        services.taiwan_item_set(actor=worker, person=person, item=item, status=status)
    story = (INTERVENTION, 30, RiskLevel.LOW, "台胞青年来湖里创业，需了解创业补贴与落户政策。")
    return _story(person, (*story, False, False), worker=worker, lead=lead, taiwan=True)


def _check_digit(body: str) -> str:
    return ric.calc_check_digit(body + "0")  # stdnum ignores the check position


def _referral(world, client, worker, lead) -> None:
    """A case the demo agency refers to the second agency, waiting for its answer."""
    story = (
        ASSESSED,
        30,
        RiskLevel.MEDIUM,
        "案主搬往金山街道居住，需要就近持续服务。",
        False,
        False,
    )
    case = _story(client, story, worker=worker, lead=lead)
    consent = consent_record(
        actor=worker,
        person=client,
        kind=ConsentKind.SEPARATE,
        scope=ConsentScope.SHARING,
        given_on=_ago(27),
        given_by="本人",
    )
    services.referral_create(
        actor=worker,
        case=case,
        reason="案主迁居，转介至居住地机构持续服务。",
        summary_for_receiver="案主已完成预估，主要需求为生活保障与社区融入。",
        consent=consent,
        to_agency=world.agency_b,
    )


def build(world) -> None:
    if Case.objects.filter(agency__in=[world.agency_a, world.agency_b]).exists():
        world.report.append("Demo cases: already there.")
        return
    users = world.users
    worker, lead = users["social_worker"], users["supervisor"]
    clients = _clients(world.agency_a, world.home_community, len(AGENCY_A_STORIES) + 1)
    for client, story in zip(clients, AGENCY_A_STORIES, strict=False):
        _story(client, story, worker=worker, lead=lead)
    _taiwan_compatriot(world, worker, lead)
    if len(clients) > len(AGENCY_A_STORIES):
        _referral(world, clients[-1], worker, lead)
    worker_b, lead_b = users["social_worker_b"], users["supervisor_b"]
    clients_b = _clients(world.agency_b, world.home_community, len(AGENCY_B_STORIES))
    for client, story in zip(clients_b, AGENCY_B_STORIES, strict=False):
        _story(client, story, worker=worker_b, lead=lead_b)
    world.report.append(f"Demo cases: {Case.objects.count():,} at every step of the lifecycle.")
