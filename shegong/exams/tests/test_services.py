"""The exam services: the bank's rules, scoring (hand-computed), the mock exam's deadline,
results and who may do what. Every refusal: the message and nothing written."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone, translation

from shegong.core.scope import OutOfScope
from shegong.exams.models import Attempt, AttemptItem, ExamResult, Question
from shegong.exams.services import (
    attempt_answer,
    attempt_close_if_expired,
    attempt_start,
    attempt_submit,
    question_retire,
    question_update,
    questions_bulk_create,
    result_create,
    result_update,
    score_answer,
)
from shegong.exams.tests.factories import (
    make_multiple,
    make_person,
    make_question,
    make_result,
    question_data,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    # The messages are asserted by their English msgids here; one test checks the Chinese.
    with translation.override("en"):
        yield


def test_the_messages_are_chinese_for_chinese_users(world):
    with translation.override("zh-hans"), pytest.raises(ValidationError) as caught:
        make_question(world.users["training_admin"], kind="multiple", answer="A")
    assert caught.value.message_dict["answer"] == ["多选题至少有两个正确选项。"]
    assert Question.objects.count() == 0


def test_scoring_is_all_or_nothing_for_multiple_choice():
    assert score_answer("single", "B", "B") == 1
    assert score_answer("single", "B", "C") == 0
    assert score_answer("single", "B", "") == 0
    assert score_answer("multiple", "ACD", "ACD") == 2
    assert score_answer("multiple", "ACD", "DCA") == 2  # order of ticking does not matter
    assert score_answer("multiple", "ACD", "AC") == 0  # one missing
    assert score_answer("multiple", "ACD", "ABCD") == 0  # one too many
    assert score_answer("multiple", "ACD", "") == 0


def test_question_rules_name_each_bad_field(world):
    admin = world.users["training_admin"]
    cases = [
        ({"answer": "AB"}, "answer", "A single-choice question has exactly one correct option."),
        ({"answer": "E"}, "answer", "The answer may name only the question's options (ABC)."),
        (
            {"kind": "multiple", "answer": "A"},
            "answer",
            "A multiple-choice question has at least two correct options.",
        ),  # noqa: E501
        ({"option_b": ""}, "option_b", "Enter at least options A and B."),
        (
            {"option_c": "", "option_d": "丁"},
            "option_d",
            "Fill the options in order: option C is empty.",
        ),  # noqa: E501
        (
            {"subject": "law_policy"},
            "subject",
            "Social work law and policy is not a paper of the Junior exam.",
        ),  # noqa: E501
        (
            {"explanation": ""},
            "explanation",
            "Explain the answer: learners read it after answering.",
        ),  # noqa: E501
        ({"stem": "题\x00干"}, "stem", None),
    ]
    for change, field, message in cases:
        with pytest.raises(ValidationError) as caught:
            make_question(admin, **change)
        assert field in caught.value.message_dict, change
        if message:
            assert message in caught.value.message_dict[field], caught.value.message_dict
    assert Question.objects.count() == 0


def test_a_question_already_in_the_bank_is_refused(world):
    admin = world.users["training_admin"]
    first = make_question(admin, stem="重复的题目")
    with pytest.raises(ValidationError) as caught:
        make_question(admin, stem="重复的 题目")
    assert caught.value.message_dict["stem"] == [
        f"This question is in the bank already ({first.number})."
    ]
    assert Question.objects.count() == 1


@pytest.mark.parametrize("persona", ["social_worker", "district_admin", "auditor"])
def test_only_the_training_admin_keeps_the_bank(world, persona):
    with pytest.raises(PermissionDenied):
        make_question(world.users[persona])
    question = make_question(world.users["training_admin"])
    with pytest.raises(OutOfScope):
        question_update(actor=world.users[persona], question=question, stem="改")
    with pytest.raises(OutOfScope):
        question_retire(actor=world.users[persona], question=question)
    question.refresh_from_db()
    assert question.is_active and question.stem != "改"


def test_retired_questions_are_no_longer_drawn(world):
    admin = world.users["training_admin"]
    kept = make_question(admin)
    retired = make_question(admin)
    question_retire(actor=admin, question=retired)
    learner = world.users["social_worker"]
    attempt = attempt_start(
        actor=learner, mode="practice", subject="comprehensive", level="junior", count=10
    )
    assert [i.question_id for i in attempt.items.all()] == [kept.pk]
    with pytest.raises(ValidationError) as caught:
        question_retire(actor=admin, question=retired)
    assert caught.value.message_dict["is_active"] == ["This question is retired already."]


def test_bulk_create_writes_nothing_on_any_error(world):
    admin = world.users["training_admin"]
    rows = [
        question_data(),
        question_data(answer="Z"),
        question_data(stem="同一题"),
        question_data(stem="同一题"),
    ]
    with pytest.raises(ValidationError) as caught:
        questions_bulk_create(actor=admin, rows=rows)
    assert set(caught.value.message_dict) == {"1.answer", "3.stem"}
    assert caught.value.message_dict["3.stem"] == ["The same question is earlier in the list."]
    assert Question.objects.count() == 0
    assert len(questions_bulk_create(actor=admin, rows=[rows[0], rows[2]])) == 2


def test_a_practice_quiz_is_scored_by_hand(world):
    """Three single (1 point each) and two multiple (2 points each) = 7 points. Answers: two
    singles right, one wrong; one multiple exact, one with an option missing: 1+1+0+2+0 = 4."""
    admin = world.users["training_admin"]
    singles = [make_question(admin, answer="A") for _ in range(3)]
    multiples = [make_multiple(admin, answer="AC"), make_multiple(admin, answer="BCD")]
    learner = world.users["social_worker"]
    attempt = attempt_start(
        actor=learner, mode="practice", subject="comprehensive", level="junior", count=10
    )
    assert attempt.max_score == 7
    by_question = {i.question_id: i.position for i in attempt.items.all()}
    answers = {
        by_question[singles[0].pk]: "A",
        by_question[singles[1].pk]: "a",
        by_question[singles[2].pk]: "B",
        by_question[multiples[0].pk]: ["C", "A"],
        by_question[multiples[1].pk]: "BC",
    }
    attempt = attempt_submit(actor=learner, attempt=attempt, answers=answers)
    assert (attempt.score, attempt.correct_count, attempt.percent) == (4, 3, 57)
    points = dict(AttemptItem.objects.filter(attempt=attempt).values_list("question_id", "points"))
    assert points == {
        singles[0].pk: 1,
        singles[1].pk: 1,
        singles[2].pk: 0,
        multiples[0].pk: 2,
        multiples[1].pk: 0,
    }
    with pytest.raises(ValidationError) as caught:
        attempt_submit(actor=learner, attempt=attempt, answers={})
    assert caught.value.message_dict["answers"] == ["This attempt is finished."]


def test_bad_answers_are_refused_and_nothing_recorded(world):
    admin = world.users["training_admin"]
    make_question(admin)
    learner = world.users["social_worker"]
    attempt = attempt_start(actor=learner, mode="practice", subject="comprehensive", level="junior")
    with pytest.raises(ValidationError) as caught:
        attempt_submit(actor=learner, attempt=attempt, answers={1: "AB"})
    assert caught.value.message_dict["answers"] == [
        "Question 1 has one correct option: choose one."
    ]
    with pytest.raises(ValidationError) as caught:
        attempt_answer(actor=learner, attempt=attempt, answers={1: "E"})
    assert caught.value.message_dict["answers"] == ["Question 1: choose among its options."]
    attempt.refresh_from_db()
    assert attempt.finished_at is None
    assert AttemptItem.objects.get(attempt=attempt).chosen == ""


def test_a_mock_exam_counts_only_answers_before_its_deadline(world):
    admin = world.users["training_admin"]
    questions = [make_question(admin, answer="A") for _ in range(2)]
    learner = world.users["social_worker"]
    start = timezone.now()
    attempt = attempt_start(
        actor=learner,
        mode="mock",
        subject="comprehensive",
        level="junior",
        count=2,
        minutes=10,
        now=start,
    )
    assert attempt.deadline == start + datetime.timedelta(minutes=10)
    first = {i.question_id: i.position for i in attempt.items.all()}[questions[0].pk]
    second = 3 - first
    # In time: recorded.
    assert (
        attempt_answer(
            actor=learner,
            attempt=attempt,
            answers={first: "A"},
            now=start + datetime.timedelta(minutes=9),
        )
        == 1
    )
    late = start + datetime.timedelta(minutes=10, seconds=1)
    with pytest.raises(ValidationError) as caught:
        attempt_answer(actor=learner, attempt=attempt, answers={second: "A"}, now=late)
    assert caught.value.message_dict["answers"] == [
        "Time is up: answers given after the deadline are not counted."
    ]
    # Handed in late with both answers: only the one saved in time counts.
    attempt = attempt_submit(
        actor=learner, attempt=attempt, answers={first: "A", second: "A"}, now=late
    )
    assert attempt.late_answers_ignored
    assert (attempt.score, attempt.max_score) == (1, 2)
    assert attempt.finished_at == attempt.deadline
    assert AttemptItem.objects.get(attempt=attempt, position=second).chosen == ""


def test_an_expired_mock_exam_is_scored_when_opened(world):
    admin = world.users["training_admin"]
    make_question(admin)
    learner = world.users["social_worker"]
    start = timezone.now() - datetime.timedelta(hours=1)
    attempt = attempt_start(
        actor=learner, mode="mock", subject="comprehensive", level="junior", minutes=5, now=start
    )
    attempt = attempt_close_if_expired(actor=learner, attempt=attempt)
    assert attempt.finished_at == attempt.deadline and attempt.score == 0


def test_attempts_are_their_owners_alone(world):
    make_question(world.users["training_admin"])
    attempt = attempt_start(
        actor=world.users["social_worker"],
        mode="practice",
        subject="comprehensive",
        level="junior",
    )
    other = world.users["social_worker_b"]
    with pytest.raises(OutOfScope):
        attempt_submit(actor=other, attempt=attempt, answers={1: "A"})
    assert not Attempt.objects.for_user(other).exists()
    assert not Attempt.objects.for_user(world.users["training_admin"]).exists()
    attempt.refresh_from_db()
    assert attempt.finished_at is None


def test_starting_needs_questions_and_sane_numbers(world):
    learner = world.users["volunteer"]
    with pytest.raises(ValidationError) as caught:
        attempt_start(actor=learner, mode="practice", subject="comprehensive", level="junior")
    assert caught.value.message_dict["subject"] == [
        "The bank has no questions of this subject and level yet."
    ]
    with pytest.raises(ValidationError) as caught:
        attempt_start(
            actor=learner,
            mode="mock",
            subject="comprehensive",
            level="junior",
            count=0,
            minutes=999,
        )
    assert caught.value.message_dict["count"] == ["Enter a number from 1 to 100."]
    assert caught.value.message_dict["minutes"] == ["Enter a number from 1 to 180."]
    assert Attempt.objects.count() == 0


def test_a_result_is_recorded_for_the_person_with_that_name_and_number(world):
    person = make_person(world, 1, "王考生")
    result = make_result(world, person, score="72.5")
    assert (result.person, result.score, result.passed) == (person, 72.5, True)
    admin = world.users["training_admin"]
    refusals = [
        (
            {"name": "李别人", "id_number": person.id_number},
            "id_number",
            "No person on file matches this name and ID number.",
        ),
        (
            {"name": person.name, "id_number": person.id_number},
            "subject",
            "This person's result in this paper of this year is on record already.",
        ),
        ({"name": person.name, "id_number": person.id_number, "year": 2007}, "year", None),
        (
            {"name": person.name, "id_number": person.id_number, "score": "101"},
            "score",
            "Enter the score as a number from 0 to 100.",
        ),
        ({"name": person.name, "id_number": "123"}, "id_number", None),
    ]
    for change, field, message in refusals:
        values = {"year": 2025, "level": "junior", "subject": "comprehensive", "passed": True}
        values.update(change)
        with pytest.raises(ValidationError) as caught:
            result_create(actor=admin, **values)
        assert field in caught.value.message_dict, change
        if message:
            assert caught.value.message_dict[field] == [message]
    assert ExamResult.objects.count() == 1
    with pytest.raises(PermissionDenied):
        result_create(
            actor=world.users["social_worker"],
            name=person.name,
            id_number=person.id_number,
            year=2024,
            level="junior",
            subject="comprehensive",
            passed=True,
        )
    result_update(actor=admin, result=result, passed=False, score=55)
    result.refresh_from_db()
    assert (result.passed, result.score) == (False, 55)


def test_results_are_read_by_the_admin_and_by_their_person_only(world):
    from shegong.accounts.models import User

    learner = world.users["social_worker"]
    own = make_person(world, 2, "本人")
    User.objects.filter(pk=learner.pk).update(person=own)
    learner.refresh_from_db()
    mine = make_result(world, own)
    others = make_result(world, make_person(world, 3, "他人"))
    assert list(ExamResult.objects.for_user(learner)) == [mine]
    assert set(ExamResult.objects.for_user(world.users["training_admin"])) == {mine, others}
    assert not ExamResult.objects.for_user(world.users["district_admin"]).exists()
    with pytest.raises(OutOfScope):
        result_update(actor=learner, result=mine, passed=False)


def test_an_attempt_handed_in_meanwhile_takes_no_more_answers(world):
    # Two tabs (or two requests at once): the second read the attempt before the first handed
    # it in. Its answers must not change what was scored, nor score it again.
    admin = world.users["training_admin"]
    make_question(admin, answer="A")
    learner = world.users["social_worker"]
    attempt = attempt_start(actor=learner, mode="practice", subject="comprehensive", level="junior")
    stale = Attempt.objects.get(pk=attempt.pk)
    finished = attempt_submit(actor=learner, attempt=attempt, answers={1: "B"})
    assert finished.score == 0
    with pytest.raises(ValidationError) as caught:
        attempt_answer(actor=learner, attempt=stale, answers={1: "A"})
    assert caught.value.message_dict["answers"] == ["This attempt is finished."]
    with pytest.raises(ValidationError) as caught:
        attempt_submit(actor=learner, attempt=stale, answers={1: "A"})
    assert caught.value.message_dict["answers"] == ["This attempt is finished."]
    item = AttemptItem.objects.get(attempt=attempt)
    assert (item.chosen, item.points) == ("B", 0)
    attempt.refresh_from_db()
    assert (attempt.score, attempt.finished_at) == (0, finished.finished_at)


def test_unknown_question_numbers_are_refused_in_one_short_message(world):
    # A request naming thousands of questions, or a number of thousands of digits, is answered
    # with one message of bounded size, not one echo per key.
    make_question(world.users["training_admin"])
    learner = world.users["social_worker"]
    attempt = attempt_start(actor=learner, mode="practice", subject="comprehensive", level="junior")
    answers = {str(n): "A" for n in range(2, 5002)}
    answers["9" * 4000] = "A"
    with pytest.raises(ValidationError) as caught:
        attempt_answer(actor=learner, attempt=attempt, answers=answers)
    messages = caught.value.message_dict["answers"]
    assert len(messages) == 1
    assert len(messages[0]) < 200
    assert messages[0].startswith("Unknown question")
    assert AttemptItem.objects.get(attempt=attempt).chosen == ""
