"""Factories for case work, built through the services so every case is in a legal state.

A case row written directly could sit in "intervention" with no approved plan, or be "closed"
without an approved closure review; tests on such rows would test nothing real. So
:class:`CaseFactory` opens the case with ``case_open`` and walks it to the ``stage`` asked for
through the same services the pages and the API call (assessment, plan, supervisor approval,
notes, evaluation, closure). The defaults are the demo world of ``conftest.world``: a client of
agency A living in 兴隆社区, handled by ``social_worker`` and reviewed by ``supervisor``.

    case = CaseFactory()                                  # intake
    case = CaseFactory(stage=CaseStatus.INTERVENTION)     # approved plan, ready for notes
    note = ServiceNoteFactory(case=case, participants=2)  # through note_add
"""

import datetime

import factory
from django.utils import timezone

from shegong.accounts.models import User
from shegong.agencies.models import Agency
from shegong.cases import selectors, services
from shegong.cases.choices import (
    Attainment,
    CaseSource,
    CaseStatus,
    ClosureReason,
    ContactMethod,
    NeedDomain,
    NeedLevel,
    ReviewKind,
    ReviewStatus,
    RiskLevel,
)
from shegong.cases.models import Case, Review, ServiceNote
from shegong.people.choices import ConsentScope, IdType
from shegong.people.tests.factories import ConsentFactory, PersonFactory, resident_id
from shegong.places.demo import HOME_COMMUNITY
from shegong.places.models import Community

# Far enough back that every step can be dated between intake and today.
INTAKE_DAYS_AGO = 60

# The order a case walks through; CaseFactory(stage=...) stops at the one asked for.
STAGES = (
    CaseStatus.INTAKE,
    CaseStatus.ASSESSMENT,
    CaseStatus.PLANNING,
    CaseStatus.INTERVENTION,
    CaseStatus.EVALUATION,
    CaseStatus.CLOSURE_PENDING,
    CaseStatus.CLOSED,
)


def today() -> datetime.date:
    return timezone.localdate()


def demo_user(username: str) -> User:
    return User.objects.get(username=username)


def home_community() -> Community:
    return Community.objects.filter(name=HOME_COMMUNITY).order_by("code").first()


def agency_of(user) -> Agency:
    from shegong.people.selectors import user_agency

    return user_agency(user)


class ClientFactory(PersonFactory):
    """A client registered by agency A (or ``owner_agency=``) living in 兴隆社区."""

    community = factory.LazyFunction(home_community)
    owner_agency = factory.LazyFunction(lambda: agency_of(demo_user("social_worker")))


class TaiwanClientFactory(ClientFactory):
    """A holder of a Taiwan residence permit (830000…): Taiwan compatriot services apply."""

    id_type = IdType.TAIWAN_PERMIT
    id_number = factory.LazyAttribute(lambda o: resident_id(o.n, area="830000"))
    birth_date = datetime.date(1985, 5, 5)


class SharingConsentFactory(ConsentFactory):
    """The client's consent to sharing with partner organisations: what a referral needs."""

    scope = ConsentScope.SHARING
    recorded_by = factory.LazyFunction(lambda: demo_user("social_worker"))


# --- steps through the services --------------------------------------------------------------


def assess(case: Case, *, actor=None, **overrides):
    data = {
        "assessed_on": case.intake_date,
        "needs": {NeedDomain.LIVELIHOOD: {"level": NeedLevel.HIGH, "note": "低保边缘"}},
        "risk_level": RiskLevel.MEDIUM,
        "summary": "家庭收入不稳定，需要链接救助资源。",
        "strengths": "子女关心",
    }
    data.update(overrides)
    return services.assessment_record(actor=actor or case.worker, case=case, **data)


def write_plan(case: Case, *, actor=None, goals=None, tasks=None, submit: bool = True):
    """A plan with two goals and one task; submitted to the supervisors unless submit=False."""
    actor = actor or case.worker
    plan = services.plan_create(
        actor=actor,
        case=case,
        goals=goals
        if goals is not None
        else [
            {"description": "申请临时救助", "measure": "救助到账"},
            {"description": "改善亲子沟通", "measure": "每周沟通一次"},
        ],
        tasks=tasks
        if tasks is not None
        else [{"description": "陪同递交申请材料", "due_date": today(), "goal": 0}],
        summary="三个月服务计划",
    )
    if submit:
        services.plan_submit(actor=actor, plan=plan)
    return plan


def pending_review(case: Case, kind: str) -> Review:
    return case.reviews.get(kind=kind, status=ReviewStatus.PENDING)


def decide(case: Case, kind: str, *, approve: bool = True, supervisor=None, comment: str = ""):
    """The supervisor answers the case's pending plan or closure review."""
    return services.review_decide(
        actor=supervisor or demo_user("supervisor"),
        review=pending_review(case, kind),
        approve=approve,
        comment=comment or ("" if approve else "请补充目标的衡量方式。"),
    )


def add_note(case: Case, *, actor=None, participants: int = 1, **overrides) -> ServiceNote:
    data = {
        "contact_date": today(),
        "duration_minutes": 45,
        "method": ContactMethod.HOME_VISIT,
        "content": "入户探访，了解近况。",
        "participants": participants,
    }
    data.update(overrides)
    return services.note_add(actor=actor or case.worker, case=case, **data)


def evaluate(case: Case, *, actor=None, attainment=None):
    plan = selectors.approved_plan(case)
    if attainment is None:
        attainment = {str(goal.pk): Attainment.ACHIEVED for goal in plan.goals.all()}
    return services.evaluation_record(
        actor=actor or case.worker,
        case=case,
        evaluated_on=today(),
        attainment=attainment,
        summary="目标基本达成。",
    )


def request_closure(case: Case, *, actor=None, reason=ClosureReason.GOALS_ACHIEVED, note=""):
    return services.closure_request(actor=actor or case.worker, case=case, reason=reason, note=note)


def advance(case: Case, stage: str, *, supervisor=None) -> Case:
    """Walk the case from where it is to ``stage`` along the ordinary path."""
    target = STAGES.index(stage)
    while STAGES.index(case.status) < target:
        status = case.status
        if status == CaseStatus.INTAKE:
            assess(case)
        elif status == CaseStatus.ASSESSMENT:
            write_plan(case)
        elif status == CaseStatus.PLANNING:
            if not case.reviews.filter(kind=ReviewKind.PLAN, status=ReviewStatus.PENDING).exists():
                write_plan(case)
            decide(case, ReviewKind.PLAN, supervisor=supervisor)
        elif status == CaseStatus.INTERVENTION:
            evaluate(case)
        elif status == CaseStatus.EVALUATION:
            request_closure(case)
        elif status == CaseStatus.CLOSURE_PENDING:
            decide(case, ReviewKind.CLOSURE, supervisor=supervisor)
        case.refresh_from_db()
    return case


class CaseFactory(factory.django.DjangoModelFactory):
    """A case opened through ``case_open`` and walked to ``stage`` through the services.

    ``worker`` (default the demo ``social_worker``) opens the case for its own agency;
    ``supervisor`` (default the demo ``supervisor``) approves what needs approving.
    """

    class Meta:
        model = Case

    # Not model fields: _create takes them off before opening the case.
    stage = CaseStatus.INTAKE
    supervisor = None
    client = factory.SubFactory(ClientFactory)
    worker = factory.LazyFunction(lambda: demo_user("social_worker"))
    source = CaseSource.WALK_IN
    presenting_problem = "家庭经济困难，子女学业受影响。"
    risk_level = RiskLevel.LOW
    intake_date = factory.LazyFunction(lambda: today() - datetime.timedelta(days=INTAKE_DAYS_AGO))
    is_taiwan_service = False

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        stage = kwargs.pop("stage")
        supervisor = kwargs.pop("supervisor")
        worker = kwargs.pop("worker")
        case = services.case_open(actor=worker, **kwargs)
        return advance(case, stage, supervisor=supervisor)

    @classmethod
    def _build(cls, model_class, *args, **kwargs):
        kwargs.pop("stage")
        kwargs.pop("supervisor")
        return super()._build(model_class, *args, **kwargs)


class ServiceNoteFactory(factory.django.DjangoModelFactory):
    """A service note written through ``note_add``: the case's person-times follow."""

    class Meta:
        model = ServiceNote

    case = factory.SubFactory(CaseFactory, stage=CaseStatus.INTERVENTION)
    contact_date = factory.LazyFunction(today)
    duration_minutes = 45
    method = ContactMethod.HOME_VISIT
    content = factory.Sequence(lambda n: f"第{n + 1}次服务记录。")
    participants = 1

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        case = kwargs.pop("case")
        actor = kwargs.pop("actor", None) or case.worker
        return services.note_add(actor=actor, case=case, **kwargs)
