"""Exam preparation API: the pages' practice, bank, results and pass rates, same scope and services.

An attempt under way shows its questions without answers; the correct answers and explanations
appear once it is handed in (or its time ran out).
"""

import datetime
from decimal import Decimal

from django.http import Http404
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from shegong.api.filters import valid_filterset
from shegong.exams import registry
from shegong.exams.choices import AttemptMode, ExamLevel, QuestionKind, Subject
from shegong.exams.filters import QuestionFilter, ResultFilter
from shegong.exams.selectors import (
    attempt_for_user_or_404,
    attempt_items,
    attempts_for,
    pass_rates,
    progress_for,
    question_for_user_or_404,
    questions_for,
    result_for_user_or_404,
    results_for,
    trainee_comparison,
)
from shegong.exams.services import (
    attempt_answer,
    attempt_close_if_expired,
    attempt_start,
    attempt_submit,
    may_manage_exams,
    may_practise,
    question_create,
    question_retire,
    question_update,
    result_create,
    result_update,
    scoring_rule,
)

router = Router(tags=["exams"])


# --- schemas ----------------------------------------------------------------------------------
class ExamsQuestionOut(Schema):
    id: int
    number: str
    subject: Subject
    level: ExamLevel
    kind: QuestionKind
    stem: str
    option_a: str
    option_b: str
    option_c: str
    option_d: str
    option_e: str
    answer: str
    explanation: str
    is_active: bool


class ExamsQuestionIn(Schema):
    subject: str
    level: str
    kind: str
    stem: str
    option_a: str
    option_b: str
    option_c: str = ""
    option_d: str = ""
    option_e: str = ""
    answer: str
    explanation: str


class ExamsQuestionPatch(Schema):
    subject: str | None = None
    level: str | None = None
    kind: str | None = None
    stem: str | None = None
    option_a: str | None = None
    option_b: str | None = None
    option_c: str | None = None
    option_d: str | None = None
    option_e: str | None = None
    answer: str | None = None
    explanation: str | None = None
    is_active: bool | None = None


class ExamsQuestionFilterIn(Schema):
    q: str | None = None
    subject: Subject | None = None
    level: ExamLevel | None = None
    kind: QuestionKind | None = None
    active: bool | None = None
    sort: str | None = Field(None, description="number, subject, level, kind, is_active")


class ExamsOption(Schema):
    letter: str
    text: str


class ExamsItemOut(Schema):
    position: int
    kind: QuestionKind
    stem: str
    options: list[ExamsOption]
    chosen: str
    # Only once the attempt is finished:
    answer: str | None = None
    explanation: str | None = None
    is_correct: bool | None = None
    points: int | None = None


class ExamsAttemptOut(Schema):
    id: int
    mode: AttemptMode
    subject: Subject
    level: ExamLevel
    started_at: datetime.datetime
    deadline: datetime.datetime | None
    finished_at: datetime.datetime | None
    score: int | None
    max_score: int
    correct_count: int | None
    percent: int | None


class ExamsAttemptDetail(ExamsAttemptOut):
    items: list[ExamsItemOut]
    scoring_rule: str


class ExamsAttemptIn(Schema):
    mode: str = AttemptMode.PRACTICE
    subject: str
    level: str
    count: int | None = 10
    minutes: int | None = 30


class ExamsAnswersIn(Schema):
    answers: dict[str, str | list[str]] = Field(
        default_factory=dict, description="question position -> letters, e.g. {'1': 'B', '2': 'AC'}"
    )


class ExamsAnswered(Schema):
    recorded: int


class ExamsProgressOut(Schema):
    subject: Subject
    level: ExamLevel
    attempts: int
    answered: int
    correct: int
    rate: int | None
    best_mock: int | None
    last_mock: int | None


class ExamsResultOut(Schema):
    id: int
    person_id: int
    person_name: str = Field(..., alias="person.name")
    id_number_masked: str = Field(..., alias="person.id_number_masked")
    year: int
    level: ExamLevel
    subject: Subject
    score: Decimal | None
    passed: bool


class ExamsResultIn(Schema):
    name: str
    id_number: str
    year: int
    level: str
    subject: str
    score: Decimal | None = None
    passed: bool


class ExamsResultPatch(Schema):
    year: int | None = None
    level: str | None = None
    subject: str | None = None
    score: Decimal | None = None
    passed: bool | None = None


class ExamsResultFilterIn(Schema):
    q: str | None = None
    year: int | None = None
    level: ExamLevel | None = None
    subject: Subject | None = None
    passed: bool | None = None
    sort: str | None = Field(None, description="year, person, level, subject, score, passed")


class ExamsRateOut(Schema):
    label: str
    year: int | None
    level: str
    subject: str
    sat: int
    passed: int
    rate: float | None


class ExamsTraineeRateOut(Schema):
    year: int
    trainees: ExamsRateOut
    others: ExamsRateOut


class ExamsPassRatesOut(Schema):
    by_level: list[ExamsRateOut]
    by_level_subject: list[ExamsRateOut]
    by_year: list[ExamsRateOut]
    by_year_level: list[ExamsRateOut]
    trainees: list[ExamsTraineeRateOut]
    trainee_sources: bool


# --- helpers ----------------------------------------------------------------------------------
def _learner(request):
    if not may_practise(request.auth):
        raise Http404


def _admin(request):
    if not may_manage_exams(request.auth):
        raise Http404


def _attempt_detail(attempt) -> dict:
    done = attempt.is_finished
    items = []
    for item in attempt_items(attempt):
        question = item.question
        row = {
            "position": item.position,
            "kind": question.kind,
            "stem": question.stem,
            "options": [{"letter": letter, "text": text} for letter, text in question.options],
            "chosen": item.chosen,
        }
        if done:
            row.update(
                answer=question.answer,
                explanation=question.explanation,
                is_correct=item.is_correct,
                points=item.points,
            )
        items.append(row)
    data = ExamsAttemptOut.from_orm(attempt).dict()
    data.update(items=items, scoring_rule=scoring_rule())
    return data


# --- practice ---------------------------------------------------------------------------------
@router.get("/attempts", response=list[ExamsAttemptOut], summary="My quizzes and mock exams")
@paginate
def list_attempts(request):
    _learner(request)
    return attempts_for(request.auth).order_by("-started_at", "-pk")


@router.post("/attempts", response={201: ExamsAttemptDetail}, summary="Start a quiz or mock exam")
def start_attempt(request, payload: ExamsAttemptIn):
    _learner(request)
    attempt = attempt_start(actor=request.auth, **payload.dict())
    return Status(201, _attempt_detail(attempt))


@router.get("/attempts/{attempt_id}", response=ExamsAttemptDetail, summary="One of my attempts")
def get_attempt(request, attempt_id: int):
    attempt = attempt_for_user_or_404(request.auth, attempt_id)
    attempt = attempt_close_if_expired(actor=request.auth, attempt=attempt)
    return _attempt_detail(attempt)


@router.put(
    "/attempts/{attempt_id}/answers",
    response=ExamsAnswered,
    summary="Save answers of an attempt under way (refused after a mock exam's deadline)",
)
def answer_attempt(request, attempt_id: int, payload: ExamsAnswersIn):
    attempt = attempt_for_user_or_404(request.auth, attempt_id)
    return {"recorded": attempt_answer(actor=request.auth, attempt=attempt, **payload.dict())}


@router.post(
    "/attempts/{attempt_id}/submit",
    response=ExamsAttemptDetail,
    summary="Hand in an attempt and get its score and explanations",
)
def submit_attempt(request, attempt_id: int, payload: ExamsAnswersIn):
    attempt = attempt_for_user_or_404(request.auth, attempt_id)
    attempt = attempt_submit(actor=request.auth, attempt=attempt, **payload.dict())
    return _attempt_detail(attempt)


@router.get("/progress", response=list[ExamsProgressOut], summary="My progress per subject")
def my_progress(request):
    _learner(request)
    return [
        {
            "subject": row.subject,
            "level": row.level,
            "attempts": row.attempts,
            "answered": row.answered,
            "correct": row.correct,
            "rate": row.rate,
            "best_mock": row.best_mock,
            "last_mock": row.last_mock,
        }
        for row in progress_for(request.auth)
    ]


# --- question bank ----------------------------------------------------------------------------
@router.get("/questions", response=list[ExamsQuestionOut], summary="The question bank")
@paginate
def list_questions(request, filters: Query[ExamsQuestionFilterIn]):
    _admin(request)
    rows = valid_filterset(QuestionFilter, filters, queryset=questions_for(request.auth)).qs
    return rows if filters.sort else rows.order_by("pk")


@router.post("/questions", response={201: ExamsQuestionOut}, summary="Add a question")
def create_question(request, payload: ExamsQuestionIn):
    _admin(request)
    question = question_create(actor=request.auth, **payload.dict())
    return Status(201, question)


@router.get("/questions/{question_id}", response=ExamsQuestionOut, summary="One question")
def get_question(request, question_id: int):
    return question_for_user_or_404(request.auth, question_id)


@router.patch("/questions/{question_id}", response=ExamsQuestionOut, summary="Change a question")
def update_question(request, question_id: int, payload: ExamsQuestionPatch):
    question = question_for_user_or_404(request.auth, question_id, "change")
    return question_update(
        actor=request.auth, question=question, **payload.dict(exclude_unset=True)
    )


@router.post(
    "/questions/{question_id}/retire", response=ExamsQuestionOut, summary="Retire a question"
)
def retire_question(request, question_id: int):
    question = question_for_user_or_404(request.auth, question_id, "change")
    return question_retire(actor=request.auth, question=question)


# --- results ----------------------------------------------------------------------------------
@router.get(
    "/results",
    response=list[ExamsResultOut],
    summary="National exam results (the district's for its administrator, else my own)",
)
@paginate
def list_results(request, filters: Query[ExamsResultFilterIn]):
    _learner(request)
    rows = valid_filterset(ResultFilter, filters, queryset=results_for(request.auth)).qs
    return rows if filters.sort else rows.order_by("-year", "pk")


@router.post("/results", response={201: ExamsResultOut}, summary="Record a result")
def create_result(request, payload: ExamsResultIn):
    _admin(request)
    result = result_create(actor=request.auth, request=request, **payload.dict())
    return Status(201, result_for_user_or_404(request.auth, result.pk))


@router.get("/results/{result_id}", response=ExamsResultOut, summary="One result")
def get_result(request, result_id: int):
    return result_for_user_or_404(request.auth, result_id)


@router.patch("/results/{result_id}", response=ExamsResultOut, summary="Change a result")
def update_result(request, result_id: int, payload: ExamsResultPatch):
    result = result_for_user_or_404(request.auth, result_id, "change")
    result_update(actor=request.auth, result=result, **payload.dict(exclude_unset=True))
    return result_for_user_or_404(request.auth, result_id)


def _rates(rows) -> list[dict]:
    return [
        {
            "label": r.label,
            "year": r.year,
            "level": r.level,
            "subject": r.subject,
            "sat": r.sat,
            "passed": r.passed,
            "rate": r.rate,
        }
        for r in rows
    ]


@router.get("/pass-rates", response=ExamsPassRatesOut, summary="Pass rates of the results")
def get_pass_rates(request, filters: Query[ExamsResultFilterIn]):
    _admin(request)
    results = valid_filterset(ResultFilter, filters, queryset=results_for(request.auth)).qs
    return {
        "by_level": _rates(pass_rates(results, ("level",))),
        "by_level_subject": _rates(pass_rates(results, ("level", "subject"))),
        "by_year": _rates(pass_rates(results, ("year",))),
        "by_year_level": _rates(pass_rates(results, ("year", "level"))),
        "trainees": [
            {
                "year": row.year,
                "trainees": _rates([row.trainees])[0],
                "others": _rates([row.others])[0],
            }
            for row in trainee_comparison(results)
        ],
        "trainee_sources": registry.has_trainee_sources(),
    }
