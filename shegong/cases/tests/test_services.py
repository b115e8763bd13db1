"""Case-work services: bad input gets a clear, field-level refusal and writes nothing; the right
people hear about submissions and decisions; a referral hands the client over with history kept.

Messages are read in English (the msgids) so the assertions say what the user is told.
"""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from shegong.accounts.models import RoleAssignment, User
from shegong.cases import selectors, services
from shegong.cases.choices import (
    Attainment,
    CaseSource,
    CaseStatus,
    ClosureReason,
    ContactMethod,
    EventKind,
    PlanStatus,
    ReferralStatus,
    ReviewKind,
    ReviewStatus,
    RiskLevel,
)
from shegong.cases.models import (
    Assessment,
    Case,
    CaseEvent,
    Evaluation,
    PlanGoal,
    PlanTask,
    Referral,
    Review,
    ServiceNote,
    ServicePlan,
)
from shegong.cases.tests.factories import (
    CaseFactory,
    ClientFactory,
    SharingConsentFactory,
    TaiwanClientFactory,
    add_note,
    advance,
    decide,
    demo_user,
    today,
    write_plan,
)
from shegong.core.scope import OutOfScope
from shegong.notifications.models import Notification
from shegong.people.choices import ConsentScope
from shegong.people.services import consent_withdraw

pytestmark = pytest.mark.django_db

ROW_MODELS = (
    Case,
    CaseEvent,
    Assessment,
    ServicePlan,
    PlanGoal,
    PlanTask,
    ServiceNote,
    Evaluation,
    Review,
    Referral,
    Notification,
)


def database_state(case: Case | None = None) -> tuple:
    """Row counts of every case table (and the case's own columns) to compare around a refusal."""
    counts = tuple(model.objects.count() for model in ROW_MODELS)
    if case is None:
        return counts
    row = Case.objects.filter(pk=case.pk).values().get()
    return counts, row


def refused(call, case: Case | None = None) -> dict:
    """Run a service that must refuse: returns {field: [English messages]}; checks nothing moved."""
    before = database_state(case)
    with translation.override("en"), pytest.raises(ValidationError) as info:
        call()
    assert database_state(case) == before, "a refused write changed the database"
    errors = info.value.message_dict
    assert errors and all(m.strip() for messages in errors.values() for m in messages)
    return errors


def forbidden(call, case: Case | None = None) -> None:
    before = database_state(case)
    with pytest.raises(OutOfScope):
        call()
    assert database_state(case) == before


def days(n: int) -> datetime.timedelta:
    return datetime.timedelta(days=n)


@pytest.fixture
def worker(world):
    return world.users["social_worker"]


@pytest.fixture
def supervisor(world):
    return world.users["supervisor"]


@pytest.fixture
def lead_b(world):
    """A supervisor at agency B (the demo world has only a worker there)."""
    user = User.objects.create_user(username="supervisor_b_services")
    RoleAssignment.objects.create(user=user, role="supervisor", agency=world.agency_b)
    return user


def note_call(case, **overrides):
    data = {
        "actor": case.worker,
        "case": case,
        "contact_date": today(),
        "duration_minutes": 30,
        "method": ContactMethod.PHONE,
        "content": "电话回访。",
        "participants": 2,
    }
    data.update(overrides)
    return lambda: services.note_add(**data)


# --- intake ------------------------------------------------------------------------------------


def open_call(actor, client, **overrides):
    data = {
        "actor": actor,
        "client": client,
        "source": CaseSource.WALK_IN,
        "presenting_problem": "独居，行动不便。",
        "risk_level": RiskLevel.MEDIUM,
        "intake_date": today(),
    }
    data.update(overrides)
    return lambda: services.case_open(**data)


def test_opening_a_case_numbers_it_and_records_the_intake(world, worker):
    client = ClientFactory()
    case = open_call(worker, client)()
    assert case.status == CaseStatus.INTAKE
    assert case.number == f"{today().year}-{world.agency_a.pk:03d}-{case.pk:06d}"
    assert (case.agency, case.worker, case.community) == (
        world.agency_a,
        worker,
        client.community,
    )
    assert list(case.events.values_list("kind", flat=True)) == [EventKind.OPENED]


def test_intake_in_the_future_or_without_a_problem_is_refused(worker):
    client = ClientFactory()
    errors = refused(
        open_call(worker, client, intake_date=today() + days(1), presenting_problem="  ")
    )
    assert "future" in errors["intake_date"][0]
    assert errors["presenting_problem"]


def test_a_client_of_another_agency_cannot_be_taken_in(world, worker):
    stranger = ClientFactory(owner_agency=world.agency_b, community=None)
    assert "your own records" in refused(open_call(worker, stranger))["client"][0]


def test_a_client_without_home_community_cannot_be_taken_in(worker):
    homeless = ClientFactory(community=None)
    assert "home community" in refused(open_call(worker, homeless))["client"][0]


def test_taiwan_service_is_only_for_taiwan_permit_holders(worker):
    mainland = ClientFactory()
    errors = refused(open_call(worker, mainland, is_taiwan_service=True))
    assert "830000" in errors["is_taiwan_service"][0]
    compatriot = TaiwanClientFactory()
    case = open_call(worker, compatriot, is_taiwan_service=True)()
    assert case.is_taiwan_service


def test_the_worker_must_belong_to_the_agency(world, worker):
    errors = refused(open_call(worker, ClientFactory(), worker=world.users["social_worker_b"]))
    assert "work for the case's agency" in errors["worker"][0]


def test_a_place_role_cannot_open_cases(world):
    forbidden(open_call(world.users["community_staff"], ClientFactory()))


# --- assessment and plan -----------------------------------------------------------------------


def test_assessment_before_intake_or_without_any_need_is_refused(worker):
    case = CaseFactory()
    errors = refused(
        lambda: services.assessment_record(
            actor=worker,
            case=case,
            assessed_on=case.intake_date - days(1),
            needs={"health": {"level": "none"}},
            risk_level=RiskLevel.LOW,
            summary="",
        ),
        case,
    )
    assert "before the intake date" in errors["assessed_on"][0]
    assert "at least one needs domain" in errors["needs"][0]
    assert errors["summary"]


def test_plan_without_goals_is_refused(worker):
    case = CaseFactory(stage=CaseStatus.ASSESSMENT)
    for goals in ([], [{"description": "   ", "measure": "x"}]):
        errors = refused(
            lambda goals=goals: services.plan_create(actor=worker, case=case, goals=goals), case
        )
        assert "at least one goal" in errors["goals"][0]
    assert case.status == CaseStatus.ASSESSMENT


def test_plan_tasks_need_a_date_after_intake_and_one_of_the_goals(worker):
    case = CaseFactory(stage=CaseStatus.ASSESSMENT)
    errors = refused(
        lambda: write_plan(
            case,
            tasks=[
                {"description": "走访", "due_date": case.intake_date - days(3)},
                {"description": "", "due_date": None},
                {"description": "链接资源", "due_date": today(), "goal": 7},
            ],
        ),
        case,
    )
    text = " ".join(errors["tasks"])
    assert "Task 1: the due date is before the intake date" in text
    assert "Task 2: describe the task" in text and "Task 2: enter the due date" in text
    assert "Task 3: choose one of the plan's goals" in text


def test_planning_before_assessment_is_refused_with_the_reason(worker):
    case = CaseFactory()
    with translation.override("en"), pytest.raises(ValidationError) as info:
        write_plan(case)
    assert "Assess the client" in info.value.messages[0]
    assert not case.plans.exists()


def test_a_second_plan_cannot_join_the_queue_while_one_waits(worker, supervisor):
    case = CaseFactory(stage=CaseStatus.PLANNING)
    second = write_plan(case, submit=False)
    errors = refused(lambda: services.plan_submit(actor=worker, plan=second), case)
    assert "already awaiting approval" in errors["plan"][0]
    # Once the first is decided, the new version may go.
    decide(case, ReviewKind.PLAN, approve=False)
    services.plan_submit(actor=worker, plan=second)
    assert case.reviews.filter(kind=ReviewKind.PLAN, status=ReviewStatus.PENDING).count() == 1


def test_submitting_tells_every_lead_of_the_agency_but_not_the_submitter(world, worker):
    case = CaseFactory(stage=CaseStatus.ASSESSMENT)
    plan = write_plan(case, submit=False)
    services.plan_submit(actor=worker, plan=plan)
    told = set(Notification.objects.values_list("user__username", flat=True))
    assert told == {"supervisor", "agency_admin"}
    assert Notification.objects.filter(link="/cases/supervision/").count() == 2


def test_returning_a_plan_needs_a_comment_and_tells_the_worker(world, worker, supervisor):
    case = CaseFactory(stage=CaseStatus.PLANNING)
    review = case.reviews.get(status=ReviewStatus.PENDING)
    errors = refused(
        lambda: services.review_decide(actor=supervisor, review=review, approve=False), case
    )
    assert "what needs to change" in errors["comment"][0]
    Notification.objects.all().delete()
    services.review_decide(actor=supervisor, review=review, approve=False, comment="目标太笼统")
    review.refresh_from_db()
    assert review.status == ReviewStatus.RETURNED and review.plan.status == PlanStatus.RETURNED
    (note,) = Notification.objects.all()
    assert note.user == worker and note.link == f"/cases/{case.pk}/"
    # The worker resubmits the same plan after changing it.
    services.plan_submit(actor=worker, plan=review.plan)
    assert case.reviews.filter(status=ReviewStatus.PENDING).count() == 1


def test_approval_moves_the_case_to_intervention_and_tells_the_worker(worker, supervisor):
    case = CaseFactory(stage=CaseStatus.PLANNING)
    Notification.objects.all().delete()
    decide(case, ReviewKind.PLAN)
    case.refresh_from_db()
    assert case.status == CaseStatus.INTERVENTION
    assert selectors.approved_plan(case).status == PlanStatus.APPROVED
    assert list(Notification.objects.values_list("user", flat=True)) == [worker.pk]


def test_a_decided_review_cannot_be_decided_again(supervisor):
    case = CaseFactory(stage=CaseStatus.INTERVENTION)
    review = case.reviews.get(kind=ReviewKind.PLAN)
    errors = refused(
        lambda: services.review_decide(actor=supervisor, review=review, approve=True), case
    )
    assert "already been decided" in errors["review"][0]


def test_a_worker_cannot_review_their_own_case_even_as_a_supervisor(world, supervisor):
    """A supervisor carrying a case is its worker: someone else must approve."""
    own = CaseFactory(worker=supervisor, stage=CaseStatus.PLANNING)
    review = own.reviews.get(status=ReviewStatus.PENDING)
    forbidden(lambda: services.review_decide(actor=supervisor, review=review, approve=True), own)
    # The director may.
    services.review_decide(actor=world.users["agency_admin"], review=review, approve=True)


def test_a_social_worker_cannot_review(world, worker):
    case = CaseFactory(stage=CaseStatus.PLANNING)
    review = case.reviews.get(status=ReviewStatus.PENDING)
    colleague = User.objects.create_user(username="colleague_review")
    RoleAssignment.objects.create(user=colleague, role="social_worker", agency=world.agency_a)
    for actor in (worker, colleague):
        forbidden(
            lambda actor=actor: services.review_decide(actor=actor, review=review, approve=True),
            case,
        )


# --- intervention ------------------------------------------------------------------------------


def test_a_note_adds_its_participants_to_the_person_times(worker):
    case = CaseFactory(stage=CaseStatus.INTERVENTION)
    add_note(case, participants=2, contact_date=today() - days(5))
    add_note(case, participants=3, contact_date=today() - days(9))
    case.refresh_from_db()
    assert case.person_times == 5
    assert case.last_contact_date == today() - days(5)


@pytest.mark.parametrize(
    ("offset", "words"),
    [(-1, "before the intake date"), (None, "in the future")],
    ids=["before-intake", "future"],
)
def test_a_note_dated_before_intake_or_in_the_future_is_refused(offset, words):
    case = CaseFactory(stage=CaseStatus.INTERVENTION)
    when = case.intake_date + days(offset) if offset else today() + days(1)
    errors = refused(note_call(case, contact_date=when), case)
    assert words in errors["contact_date"][0]


def test_a_note_without_content_or_participants_is_refused():
    case = CaseFactory(stage=CaseStatus.INTERVENTION)
    assert refused(note_call(case, content="  "), case)["content"]
    assert refused(note_call(case, participants=0), case)["participants"]


def test_no_notes_while_the_closure_awaits_approval():
    case = CaseFactory(stage=CaseStatus.CLOSURE_PENDING)
    with translation.override("en"), pytest.raises(ValidationError) as info:
        note_call(case)()
    assert "awaiting approval" in info.value.messages[0]
    assert not case.notes.exists()


def test_a_comment_on_a_note_tells_the_worker(worker, supervisor):
    case = CaseFactory(stage=CaseStatus.INTERVENTION)
    note = add_note(case)
    assert refused(lambda: services.note_comment(actor=supervisor, note=note, text=" "))["text"]
    services.note_comment(actor=supervisor, note=note, text="注意记录案主情绪变化。")
    assert Notification.objects.filter(user=worker, link=f"/cases/{case.pk}/").exists()


# --- evaluation and closure ---------------------------------------------------------------------


def test_evaluation_must_rate_every_goal_of_the_approved_plan(worker):
    case = CaseFactory(stage=CaseStatus.INTERVENTION)
    goals = [str(pk) for pk in selectors.approved_plan(case).goals.values_list("pk", flat=True)]
    assert len(goals) == 2
    for attainment in (
        {goals[0]: Attainment.ACHIEVED},  # one missing
        {goals[0]: Attainment.ACHIEVED, goals[1]: "excellent"},  # not a rating
        {**dict.fromkeys(goals, Attainment.PARTLY), "999999": Attainment.ACHIEVED},  # a stranger
    ):
        errors = refused(
            lambda a=attainment: services.evaluation_record(
                actor=worker, case=case, evaluated_on=today(), attainment=a, summary="评估"
            ),
            case,
        )
        assert "Rate every goal" in errors["attainment"][0]


def test_closure_without_a_reason_is_refused():
    case = CaseFactory(stage=CaseStatus.EVALUATION)
    errors = refused(
        lambda: services.closure_request(actor=case.worker, case=case, reason=""), case
    )
    assert "reason" in errors["reason"][0]
    assert not case.reviews.filter(kind=ReviewKind.CLOSURE).exists()


def test_closure_for_another_reason_needs_the_explanation():
    case = CaseFactory(stage=CaseStatus.INTERVENTION)
    errors = refused(
        lambda: services.closure_request(
            actor=case.worker, case=case, reason=ClosureReason.OTHER, note=" "
        ),
        case,
    )
    assert "Explain the reason" in errors["note"][0]


def test_closing_as_achieved_before_the_evaluation_is_refused():
    case = CaseFactory(stage=CaseStatus.INTERVENTION)
    with translation.override("en"), pytest.raises(ValidationError) as info:
        services.closure_request(actor=case.worker, case=case, reason=ClosureReason.GOALS_ACHIEVED)
    assert "Evaluate the goals" in info.value.messages[0]
    case.refresh_from_db()
    assert case.status == CaseStatus.INTERVENTION and not case.closure_reason


def test_closure_request_tells_the_leads_and_approval_closes_the_case(worker, supervisor):
    case = CaseFactory(stage=CaseStatus.EVALUATION)
    Notification.objects.all().delete()
    services.closure_request(actor=worker, case=case, reason=ClosureReason.GOALS_ACHIEVED)
    assert set(Notification.objects.values_list("user__username", flat=True)) == {
        "supervisor",
        "agency_admin",
    }
    Notification.objects.all().delete()
    decide(case, ReviewKind.CLOSURE)
    case.refresh_from_db()
    assert case.status == CaseStatus.CLOSED and case.closed_on == today()
    assert case.closure_reason == ClosureReason.GOALS_ACHIEVED
    assert list(Notification.objects.values_list("user", flat=True)) == [worker.pk]


def test_a_returned_closure_goes_back_to_where_it_came_from():
    case = CaseFactory(stage=CaseStatus.INTERVENTION)
    services.closure_request(
        actor=case.worker, case=case, reason=ClosureReason.CLIENT_WITHDREW, note="不愿继续"
    )
    decide(case, ReviewKind.CLOSURE, approve=False)
    case.refresh_from_db()
    assert case.status == CaseStatus.INTERVENTION
    assert (case.closure_reason, case.closure_note, case.closed_on) == ("", "", None)


def test_reopening_needs_a_reason_and_keeps_the_history(worker):
    case = CaseFactory(stage=CaseStatus.CLOSED)
    assert (
        "reopening"
        in refused(lambda: services.case_reopen(actor=worker, case=case, reason=" "), case)[
            "reason"
        ][0]
    )
    services.case_reopen(actor=worker, case=case, reason="案主再次求助")
    case.refresh_from_db()
    assert case.status == CaseStatus.ASSESSMENT and case.closed_on is None
    assert case.events.filter(kind=EventKind.REOPENED, note="案主再次求助").exists()
    # The path it walked is all still there.
    assert case.events.filter(kind=EventKind.REVIEW).count() == 2


# --- reassignment -----------------------------------------------------------------------------


def test_reassign_within_the_agency_tells_the_new_worker(world, supervisor):
    case = CaseFactory()
    colleague = User.objects.create_user(username="colleague_reassign")
    RoleAssignment.objects.create(user=colleague, role="social_worker", agency=world.agency_a)
    services.case_reassign(actor=supervisor, case=case, worker=colleague)
    case.refresh_from_db()
    assert case.worker == colleague
    assert case.events.filter(kind=EventKind.ASSIGNED).exists()
    assert Notification.objects.filter(user=colleague, link=f"/cases/{case.pk}/").exists()


def test_reassign_to_a_worker_of_another_agency_is_refused(world, supervisor):
    case = CaseFactory()
    errors = refused(
        lambda: services.case_reassign(
            actor=supervisor, case=case, worker=world.users["social_worker_b"]
        ),
        case,
    )
    assert "work for the case's agency" in errors["worker"][0]


def test_only_a_lead_reassigns(world, worker):
    case = CaseFactory()
    forbidden(
        lambda: services.case_reassign(actor=worker, case=case, worker=demo_user("supervisor")),
        case,
    )


# --- referral ---------------------------------------------------------------------------------


def referral_call(case, consent, **overrides):
    data = {
        "actor": case.worker,
        "case": case,
        "reason": "需要专业的就业支持。",
        "summary_for_receiver": "求职意愿强，有会计证。",
        "consent": consent,
        "to_agency": demo_user("social_worker_b").role_assignments.get().agency,
    }
    data.update(overrides)
    return lambda: services.referral_create(**data)


def test_a_referral_needs_the_clients_consent():
    case = CaseFactory(stage=CaseStatus.INTERVENTION)
    errors = refused(referral_call(case, None), case)
    assert "consent to sharing" in errors["consent"][0]


def test_a_withdrawn_consent_does_not_count(worker):
    case = CaseFactory(stage=CaseStatus.INTERVENTION)
    consent = SharingConsentFactory(person=case.client, given_on=today() - days(10))
    consent_withdraw(actor=worker, consent=consent, withdrawn_on=today())
    consent.refresh_from_db()
    assert "consent to sharing" in refused(referral_call(case, consent), case)["consent"][0]


def test_a_consent_to_something_else_does_not_count():
    case = CaseFactory(stage=CaseStatus.INTERVENTION)
    consent = SharingConsentFactory(person=case.client, scope=ConsentScope.PHOTOS)
    errors = refused(referral_call(case, consent), case)
    assert "sharing with partner organisations" in errors["consent"][0]


def test_another_persons_consent_does_not_count():
    case = CaseFactory(stage=CaseStatus.INTERVENTION)
    consent = SharingConsentFactory(person=ClientFactory())
    assert refused(referral_call(case, consent), case)["consent"]


def test_a_referral_to_the_own_agency_is_refused(world):
    case = CaseFactory(stage=CaseStatus.INTERVENTION)
    consent = SharingConsentFactory(person=case.client)
    errors = refused(referral_call(case, consent, to_agency=world.agency_a), case)
    assert "Reassign within the agency" in errors["to_agency"][0]


def test_a_referral_goes_to_an_agency_or_a_service_not_both(world):
    case = CaseFactory(stage=CaseStatus.INTERVENTION)
    consent = SharingConsentFactory(person=case.client)
    for overrides in ({"to_agency": None}, {"to_service": "社区卫生服务站"}):
        errors = refused(referral_call(case, consent, **overrides), case)
        assert "either to an agency or to a community service" in errors["to_agency"][0]


def test_accepted_referral_opens_a_case_at_the_receiving_agency(world, lead_b):
    case = CaseFactory(stage=CaseStatus.INTERVENTION, risk_level=RiskLevel.HIGH)
    add_note(case, participants=2)
    consent = SharingConsentFactory(person=case.client)
    referral = referral_call(case, consent)()
    assert referral.status == ReferralStatus.PENDING
    assert Notification.objects.filter(user=lead_b, link="/cases/referrals/").exists()

    Notification.objects.all().delete()
    services.referral_decide(actor=lead_b, referral=referral, accept=True)
    referral.refresh_from_db()
    new_case = referral.new_case
    assert referral.status == ReferralStatus.ACCEPTED and referral.decided_by == lead_b
    assert new_case.agency == world.agency_b and new_case.client == case.client
    assert new_case.referred_from == case
    assert (new_case.source, new_case.status, new_case.worker) == (
        CaseSource.REFERRAL,
        CaseStatus.INTAKE,
        lead_b,
    )
    assert new_case.presenting_problem == "求职意愿强，有会计证。"
    # The sending case keeps its content and its history; nothing of it moved.
    case.refresh_from_db()
    assert case.status == CaseStatus.INTERVENTION and case.notes.count() == 1
    assert list(
        case.events.filter(kind__in=[EventKind.REFERRED, EventKind.REFERRAL_DECIDED]).values_list(
            "kind", flat=True
        )
    ) == [EventKind.REFERRED, EventKind.REFERRAL_DECIDED]
    assert new_case.notes.count() == 0 and new_case.person_times == 0
    # The sending worker hears the answer.
    assert Notification.objects.filter(user=case.worker, link=f"/cases/{case.pk}/").exists()


def test_declining_needs_a_reason_and_only_the_receiver_answers(world, lead_b, supervisor):
    case = CaseFactory(stage=CaseStatus.INTERVENTION)
    referral = referral_call(case, SharingConsentFactory(person=case.client))()
    forbidden(lambda: services.referral_decide(actor=supervisor, referral=referral, accept=True))
    errors = refused(
        lambda: services.referral_decide(actor=lead_b, referral=referral, accept=False)
    )
    assert "why the referral is declined" in errors["decline_reason"][0]
    services.referral_decide(
        actor=lead_b, referral=referral, accept=False, decline_reason="超出服务范围"
    )
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.DECLINED and referral.new_case is None
    errors = refused(lambda: services.referral_decide(actor=lead_b, referral=referral, accept=True))
    assert "already been answered" in errors["referral"][0]


def test_a_referral_to_a_community_service_is_recorded_as_delivered():
    case = CaseFactory(stage=CaseStatus.INTERVENTION)
    referral = referral_call(
        case, SharingConsentFactory(person=case.client), to_agency=None, to_service="社区卫生服务站"
    )()
    assert referral.status == ReferralStatus.ACCEPTED and referral.new_case is None


def test_advance_walks_the_ordinary_path():
    """The factories' own path, so the tests above stand on legal cases."""
    case = CaseFactory()
    for stage in (CaseStatus.INTERVENTION, CaseStatus.CLOSED):
        advance(case, stage)
        assert case.status == stage
    kinds = list(case.reviews.order_by("pk").values_list("kind", "status"))
    assert kinds == [
        (ReviewKind.PLAN, ReviewStatus.APPROVED),
        (ReviewKind.CLOSURE, ReviewStatus.APPROVED),
    ]
