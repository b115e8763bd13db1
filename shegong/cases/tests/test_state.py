"""The case state machine, alone and driving the real services.

First every (status, action) pair against the table of MZ/T 094 steps; then hypothesis walks
random sequences of valid and invalid steps through both the pure machine and the services on a
real case, checking after every step that the two agree and that the database stays coherent.
"""

import datetime
import itertools
from collections import Counter

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import Sum
from django.utils import translation
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    invariant,
    precondition,
    rule,
    run_state_machine_as_test,
)

from shegong.cases import selectors, services
from shegong.cases.choices import (
    Attainment,
    CaseStatus,
    ClosureReason,
    ContactMethod,
    NeedDomain,
    NeedLevel,
    PlanStatus,
    ReviewKind,
    ReviewStatus,
    RiskLevel,
)
from shegong.cases.models import (
    Assessment,
    Case,
    CaseEvent,
    Evaluation,
    Review,
    ServiceNote,
    ServicePlan,
)
from shegong.cases.state import (
    ACTIONS,
    APPROVE_CLOSURE,
    APPROVE_PLAN,
    ASSESS,
    EVALUATE,
    NOTE,
    PLAN,
    REOPEN,
    REQUEST_CLOSURE,
    RETURN_CLOSURE,
    Facts,
    IllegalTransition,
    next_status,
)
from shegong.cases.tests.factories import STAGES, CaseFactory, demo_user
from shegong.core.scope import OutOfScope
from shegong.notifications.models import Notification

S = CaseStatus
WORKING = (S.INTAKE, S.ASSESSMENT, S.PLANNING, S.INTERVENTION, S.EVALUATION)
# Facts under which only the status decides: an approved plan exists, the closure came from the
# intervention, and the reason needs no evaluation first.
FULL = Facts(
    has_approved_plan=True,
    status_before_closure=S.INTERVENTION,
    closure_reason=ClosureReason.CLIENT_WITHDREW,
)

# Every legal step under FULL facts; any pair not listed must be refused.
LEGAL = {
    (S.INTAKE, ASSESS): S.ASSESSMENT,
    (S.ASSESSMENT, ASSESS): S.ASSESSMENT,
    (S.PLANNING, ASSESS): S.PLANNING,
    (S.ASSESSMENT, PLAN): S.PLANNING,
    (S.PLANNING, PLAN): S.PLANNING,
    (S.INTERVENTION, PLAN): S.INTERVENTION,
    (S.PLANNING, APPROVE_PLAN): S.INTERVENTION,
    (S.INTERVENTION, APPROVE_PLAN): S.INTERVENTION,
    **{(status, NOTE): status for status in WORKING},
    (S.INTERVENTION, EVALUATE): S.EVALUATION,
    (S.EVALUATION, EVALUATE): S.EVALUATION,
    **{(status, REQUEST_CLOSURE): S.CLOSURE_PENDING for status in WORKING},
    (S.CLOSURE_PENDING, APPROVE_CLOSURE): S.CLOSED,
    (S.CLOSURE_PENDING, RETURN_CLOSURE): S.INTERVENTION,
    (S.CLOSED, REOPEN): S.ASSESSMENT,
}


def refusal(status, action, facts=FULL) -> str:
    """The English message of the refusal (which must happen)."""
    with translation.override("en"), pytest.raises(IllegalTransition) as info:
        next_status(status, action, facts)
    assert info.value.code == "illegal_transition"
    (message,) = info.value.messages
    assert message.strip()
    return message


@pytest.mark.parametrize(("status", "action"), list(itertools.product(S.values, ACTIONS)))
def test_every_action_from_every_status(status, action):
    if (status, action) in LEGAL:
        assert next_status(status, action, FULL) == LEGAL[(status, action)]
    else:
        refusal(status, action)


def test_a_closed_case_refuses_everything_but_reopening_and_says_so():
    for action in set(ACTIONS) - {REOPEN}:
        assert "reopen" in refusal(S.CLOSED, action)


def test_only_a_closed_case_can_be_reopened():
    for status in set(S.values) - {S.CLOSED}:
        assert "Only a closed case" in refusal(status, REOPEN)


def test_planning_before_assessment_asks_for_the_assessment():
    assert "Assess the client" in refusal(S.INTAKE, PLAN)


def test_evaluation_needs_an_approved_plan_whatever_the_stage():
    no_plan = Facts(has_approved_plan=False)
    for status in (S.INTERVENTION, S.EVALUATION):
        assert "approved service plan" in refusal(status, EVALUATE, no_plan)


def test_no_notes_while_the_closure_awaits_approval():
    assert "awaiting approval" in refusal(S.CLOSURE_PENDING, NOTE)


def test_closure_needs_a_reason():
    for status in WORKING:
        assert "reason" in refusal(status, REQUEST_CLOSURE, Facts(closure_reason=""))


def test_closing_as_achieved_needs_the_evaluation_first():
    achieved = Facts(has_approved_plan=True, closure_reason=ClosureReason.GOALS_ACHIEVED)
    for status in set(WORKING) - {S.EVALUATION}:
        assert "Evaluate the goals" in refusal(status, REQUEST_CLOSURE, achieved)
    assert next_status(S.EVALUATION, REQUEST_CLOSURE, achieved) == S.CLOSURE_PENDING


def test_second_closure_request_is_refused_while_one_waits():
    assert "already waiting" in refusal(S.CLOSURE_PENDING, REQUEST_CLOSURE)


@pytest.mark.parametrize("before", WORKING)
def test_returned_closure_goes_back_where_it_came_from(before):
    facts = Facts(status_before_closure=before)
    assert next_status(S.CLOSURE_PENDING, RETURN_CLOSURE, facts) == before


def test_returned_closure_without_a_known_origin_goes_back_to_evaluation():
    assert next_status(S.CLOSURE_PENDING, RETURN_CLOSURE, Facts()) == S.EVALUATION


def test_unknown_action_is_a_programming_error_not_a_user_message():
    with pytest.raises(ValueError):
        next_status(S.INTAKE, "fly")


facts_strategy = st.builds(
    Facts,
    has_approved_plan=st.booleans(),
    status_before_closure=st.sampled_from(["", *WORKING]),
    closure_reason=st.sampled_from(["", *ClosureReason.values]),
)


@settings(max_examples=200, deadline=None)
@given(
    start=st.sampled_from(S.values),
    steps=st.lists(st.tuples(st.sampled_from(ACTIONS), facts_strategy), max_size=30),
)
def test_random_sequences_never_leave_the_statuses_and_refusals_say_why(start, steps):
    status = start
    for action, facts in steps:
        try:
            status = next_status(status, action, facts)
        except IllegalTransition as exc:
            assert exc.messages and all(m.strip() for m in exc.messages)
        assert status in S.values


# --- the services, driven by hypothesis ----------------------------------------------------------


def _today() -> datetime.date:
    return services.today()


DATE_KINDS = ("ok", "before_intake", "future")


def mostly(valid, *invalid):
    """Valid four times out of five: random walks must get past intake to test anything."""
    return st.sampled_from([valid] * 4 + list(invalid))


dates = mostly("ok", "before_intake", "future")


def _date(kind: str, intake: datetime.date, offset: int) -> datetime.date:
    if kind == "before_intake":
        return intake - datetime.timedelta(days=1 + offset % 30)
    if kind == "future":
        return _today() + datetime.timedelta(days=1 + offset % 30)
    span = (_today() - intake).days
    return intake + datetime.timedelta(days=offset % (span + 1))


def _snapshot_sql() -> str:
    """One statement reading the case row and the counts of its rows.

    Table names and status values come from the models, never from input. Raw SQL because the
    ORM's overhead for a dozen subqueries, before and after every step, dominated the run.
    """
    case_table = Case._meta.db_table

    def count(model, where: str = "") -> str:
        table = model._meta.db_table
        return f"(SELECT COUNT(*) FROM {table} WHERE case_id = c.id{where})"  # noqa: S608

    columns = [
        "c.status",
        "c.person_times",
        "c.closed_on",
        "c.closure_reason",
        "c.status_before_closure",
        "c.last_contact_date",
        "c.worker_id",
        "c.updated_at",
        count(ServiceNote),
        count(Assessment),
        count(Evaluation),
        count(CaseEvent),
        *[count(ServicePlan, f" AND status = '{status}'") for status in PlanStatus.values],
        *[count(Review, f" AND status = '{status}'") for status in ReviewStatus.values],
        f"(SELECT COUNT(*) FROM {Notification._meta.db_table})",  # noqa: S608
    ]
    return f"SELECT {', '.join(columns)} FROM {case_table} c WHERE c.id = %s"  # noqa: S608


SNAPSHOT_SQL = _snapshot_sql()


def snapshot(case: Case) -> tuple:
    """Everything a refused step must leave alone: the case row and the counts of its rows."""
    with connection.cursor() as cursor:
        cursor.execute(SNAPSHOT_SQL, [case.pk])
        return cursor.fetchone()


class CaseLifecycle(RuleBasedStateMachine):
    """One real case of agency A, and the pure machine's idea of where it should be."""

    def __init__(self):
        super().__init__()
        # Each run rolls back to the demo world; the pytest test's own transaction is outside.
        self._atomic = transaction.atomic()
        self._atomic.__enter__()
        self.worker = demo_user("social_worker")
        self.supervisor = demo_user("supervisor")
        self.outsider = demo_user("social_worker_b")

    @initialize(stage=st.sampled_from(STAGES))
    def open_case(self, stage):
        """Start anywhere on the ordinary path, walked there through the services."""
        self.case = CaseFactory(worker=self.worker, supervisor=self.supervisor, stage=stage)
        self.intake = self.case.intake_date
        # The model: what the ordinary path (factories.advance) leaves behind at each stage.
        reached = STAGES.index(stage)
        self.status = stage
        self.has_approved_plan = reached >= STAGES.index(S.INTERVENTION)
        self.status_before_closure = S.EVALUATION if stage == S.CLOSURE_PENDING else ""
        self.plans: list[str] = []  # plan statuses by version
        if stage == S.PLANNING:
            self.plans = [PlanStatus.SUBMITTED]
        elif self.has_approved_plan:
            self.plans = [PlanStatus.APPROVED]
        self.pending = {ReviewKind.PLAN: None, ReviewKind.CLOSURE: None}
        for review in self.case.reviews.filter(status=ReviewStatus.PENDING):
            self.pending[review.kind] = review.pk
        assert (self.pending[ReviewKind.PLAN] is not None) == (stage == S.PLANNING)
        assert (self.pending[ReviewKind.CLOSURE] is not None) == (stage == S.CLOSURE_PENDING)
        self.person_times = 0
        self.check_status()

    def teardown(self):
        transaction.set_rollback(True)
        self._atomic.__exit__(None, None, None)

    # -- helpers

    def facts(self, closure_reason: str = "") -> Facts:
        return Facts(
            has_approved_plan=self.has_approved_plan,
            status_before_closure=self.status_before_closure,
            closure_reason=closure_reason,
        )

    def expected(self, action: str, closure_reason: str = ""):
        """The pure machine's answer: the next status, or None when it refuses."""
        try:
            return next_status(self.status, action, self.facts(closure_reason))
        except IllegalTransition:
            return None

    def attempt(self, call, *, should_succeed: bool):
        """Run a service; a refusal must be a named ValidationError that wrote nothing."""
        before = snapshot(self.case)
        try:
            result = call()
        except ValidationError as exc:
            assert not should_succeed, f"refused a legal step: {exc.messages}"
            assert exc.messages and all(str(m).strip() for m in exc.messages)
            assert snapshot(self.case) == before
            self.case.refresh_from_db()
            return None
        assert should_succeed, "accepted an illegal step"
        self.case.refresh_from_db()
        return result

    def check_status(self):
        assert self.case.status == self.status

    # -- rules

    @rule(
        date_kind=dates,
        offset=st.integers(0, 100),
        rated=mostly(True, False),
        summary=mostly("初步预估：经济困难。", "   "),
    )
    def assessment(self, date_kind, offset, rated, summary):
        nxt = self.expected(ASSESS)
        ok = nxt is not None and date_kind == "ok" and rated and summary.strip()
        level = NeedLevel.HIGH if rated else NeedLevel.NONE
        self.attempt(
            lambda: services.assessment_record(
                actor=self.worker,
                case=self.case,
                assessed_on=_date(date_kind, self.intake, offset),
                needs={NeedDomain.HEALTH: {"level": level, "note": ""}},
                risk_level=RiskLevel.MEDIUM,
                summary=summary,
            ),
            should_succeed=bool(ok),
        )
        if ok:
            self.status = nxt
        self.check_status()

    @rule(
        goals=mostly(2, 0, 1, 3),
        task_date_kind=mostly("ok", "before_intake"),
        submit=mostly(True, False),
    )
    def plan_create(self, goals, task_date_kind, submit):
        """Write a plan and (as a worker usually does) submit it straight away."""
        nxt = self.expected(PLAN)
        ok = nxt is not None and goals > 0 and task_date_kind == "ok"
        self.attempt(
            lambda: services.plan_create(
                actor=self.worker,
                case=self.case,
                goals=[{"description": f"目标{i + 1}", "measure": ""} for i in range(goals)],
                tasks=[
                    {
                        "description": "任务",
                        "due_date": _date(task_date_kind, self.intake, 3),
                        "goal": None,
                    }
                ],
            ),
            should_succeed=bool(ok),
        )
        if ok:
            self.status = nxt
            self.plans.append(PlanStatus.DRAFT)
            if submit:
                self.submit(len(self.plans))
        self.check_status()

    @precondition(lambda self: self.plans)
    @rule(data=st.data())
    def plan_submit(self, data):
        self.submit(data.draw(st.integers(1, len(self.plans)), label="version"))

    def submit(self, version: int):
        plan = self.case.plans.get(version=version)
        ok = (
            self.plans[version - 1] in (PlanStatus.DRAFT, PlanStatus.RETURNED)
            and self.expected(PLAN) is not None
            and self.pending[ReviewKind.PLAN] is None
        )
        review = self.attempt(
            lambda: services.plan_submit(actor=self.worker, plan=plan), should_succeed=ok
        )
        if ok:
            self.plans[version - 1] = PlanStatus.SUBMITTED
            self.pending[ReviewKind.PLAN] = review.pk
        self.check_status()

    @precondition(lambda self: self.pending[ReviewKind.PLAN] is not None)
    @rule(approve=mostly(True, False), comment=st.sampled_from(["", "请细化任务。"]))
    def plan_decide(self, approve, comment):
        review = Review.objects.get(pk=self.pending[ReviewKind.PLAN])
        nxt = self.expected(APPROVE_PLAN) if approve else self.status
        ok = nxt is not None and (approve or comment)
        self.attempt(
            lambda: services.review_decide(
                actor=self.supervisor, review=review, approve=approve, comment=comment
            ),
            should_succeed=bool(ok),
        )
        if ok:
            self.status = nxt
            self.plans[review.plan.version - 1] = (
                PlanStatus.APPROVED if approve else PlanStatus.RETURNED
            )
            self.has_approved_plan |= approve
            self.pending[ReviewKind.PLAN] = None
        self.check_status()

    @rule(
        participants=mostly(1, 0, 2, 3),
        date_kind=dates,
        offset=st.integers(0, 100),
        content=mostly("电话回访，情绪稳定。", ""),
    )
    def note(self, participants, date_kind, offset, content):
        nxt = self.expected(NOTE)
        ok = nxt is not None and participants > 0 and date_kind == "ok" and content
        self.attempt(
            lambda: services.note_add(
                actor=self.worker,
                case=self.case,
                contact_date=_date(date_kind, self.intake, offset),
                duration_minutes=30,
                method=ContactMethod.PHONE,
                content=content,
                participants=participants,
            ),
            should_succeed=bool(ok),
        )
        if ok:
            self.person_times += participants
        self.check_status()

    @rule(complete=mostly(True, False), summary=mostly("目标达成。", ""))
    def evaluation(self, complete, summary):
        nxt = self.expected(EVALUATE)
        plan = selectors.approved_plan(self.case)
        goal_ids = [str(pk) for pk in plan.goals.values_list("pk", flat=True)] if plan else []
        attainment = {g: Attainment.PARTLY for g in (goal_ids if complete else goal_ids[1:])}
        ok = nxt is not None and complete and summary
        self.attempt(
            lambda: services.evaluation_record(
                actor=self.worker,
                case=self.case,
                evaluated_on=_today(),
                attainment=attainment,
                summary=summary,
            ),
            should_succeed=bool(ok),
        )
        if ok:
            self.status = nxt
        self.check_status()

    # Mostly "goals achieved", legal only after the evaluation: other reasons close from any
    # stage, and a walk that closes early never reaches the later steps.
    @rule(
        reason=st.sampled_from([ClosureReason.GOALS_ACHIEVED] * 8 + ["", *ClosureReason.values]),
        note=st.sampled_from(["", "搬离"]),
    )
    def closure(self, reason, note):
        nxt = self.expected(REQUEST_CLOSURE, reason)
        ok = nxt is not None and not (reason == ClosureReason.OTHER and not note)
        review = self.attempt(
            lambda: services.closure_request(
                actor=self.worker, case=self.case, reason=reason, note=note
            ),
            should_succeed=ok,
        )
        if ok:
            self.status_before_closure = self.status
            self.status = nxt
            self.pending[ReviewKind.CLOSURE] = review.pk
        self.check_status()

    @precondition(lambda self: self.pending[ReviewKind.CLOSURE] is not None)
    @rule(approve=mostly(True, False), comment=st.sampled_from(["", "请先完成评估。"]))
    def closure_decide(self, approve, comment):
        review = Review.objects.get(pk=self.pending[ReviewKind.CLOSURE])
        nxt = self.expected(APPROVE_CLOSURE if approve else RETURN_CLOSURE)
        ok = nxt is not None and (approve or comment)
        self.attempt(
            lambda: services.review_decide(
                actor=self.supervisor, review=review, approve=approve, comment=comment
            ),
            should_succeed=bool(ok),
        )
        if ok:
            self.status = nxt
            self.status_before_closure = ""
            self.pending[ReviewKind.CLOSURE] = None
        self.check_status()

    @rule(reason=mostly("服务对象再次求助。", ""))
    def reopen(self, reason):
        nxt = self.expected(REOPEN)
        ok = nxt is not None and reason
        self.attempt(
            lambda: services.case_reopen(actor=self.worker, case=self.case, reason=reason),
            should_succeed=bool(ok),
        )
        if ok:
            self.status = nxt
        self.check_status()

    @rule(data=st.data())
    def outsider_is_refused(self, data):
        """Another agency's worker, or the case's own worker deciding a review: not allowed."""
        before = snapshot(self.case)
        pending = [pk for pk in self.pending.values() if pk is not None]
        choice = data.draw(st.sampled_from(["note", "reopen", "own_review"]), label="attempt")
        if choice == "own_review" and not pending:
            return
        with pytest.raises(OutOfScope):
            if choice == "note":
                services.note_add(
                    actor=self.outsider,
                    case=self.case,
                    contact_date=_today(),
                    duration_minutes=30,
                    method=ContactMethod.PHONE,
                    content="越权记录",
                    participants=1,
                )
            elif choice == "reopen":
                services.case_reopen(actor=self.outsider, case=self.case, reason="越权")
            else:
                services.review_decide(
                    actor=self.worker, review=Review.objects.get(pk=pending[0]), approve=True
                )
        assert snapshot(self.case) == before

    # -- invariants

    @invariant()
    def the_case_is_coherent(self):
        case = Case.objects.get(pk=self.case.pk)
        assert case.status in S.values
        # Person-times are the participants of the notes, as the model counted them.
        total = case.notes.aggregate(total=Sum("participants"))["total"] or 0
        assert case.person_times == total == self.person_times
        reviews = Counter(case.reviews.values_list("kind", "status"))
        # Never two requests of one kind waiting; a closure waits exactly while the case does.
        assert reviews[(ReviewKind.PLAN, ReviewStatus.PENDING)] <= 1
        assert reviews[(ReviewKind.CLOSURE, ReviewStatus.PENDING)] == (
            case.status == S.CLOSURE_PENDING
        )
        # A closed case has its date and the supervisor's approval behind it.
        if case.status == S.CLOSED:
            assert case.closed_on is not None
            assert reviews[(ReviewKind.CLOSURE, ReviewStatus.APPROVED)] >= 1
        else:
            assert case.closed_on is None


@pytest.mark.django_db
def test_services_follow_the_state_machine_on_a_real_case(world):
    run_state_machine_as_test(
        CaseLifecycle,
        settings=settings(
            max_examples=30,
            stateful_step_count=25,
            deadline=None,
            suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
        ),
    )
