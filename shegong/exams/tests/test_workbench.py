"""The exams workbench: a learner's quizzes under way, the bank's size for its keeper; each
count follows the work and its link opens for that user."""

import datetime

import pytest
from django.utils import timezone

from shegong.exams.services import attempt_start, attempt_submit, question_retire
from shegong.exams.tests.factories import make_question
from shegong.exams.workbench import exam_figures, exam_todos

pytestmark = pytest.mark.django_db


def test_quizzes_under_way_are_counted_until_handed_in_or_out_of_time(world, client_for):
    make_question(world.users["training_admin"])
    learner = world.users["volunteer"]
    assert exam_todos(learner) == []
    practice = attempt_start(
        actor=learner, mode="practice", subject="comprehensive", level="junior"
    )
    attempt_start(
        actor=learner,
        mode="mock",
        subject="comprehensive",
        level="junior",
        minutes=5,
        now=timezone.now() - datetime.timedelta(minutes=10),
    )
    [todo] = exam_todos(learner)
    assert todo.count == 1  # the expired mock exam is no work left to do
    page = client_for("volunteer").get(todo.url)
    assert page.status_code == 200
    assert f"/exams/attempts/{practice.pk}/" in page.content.decode()
    attempt_submit(actor=learner, attempt=practice, answers={})
    assert exam_todos(learner) == []
    assert exam_todos(world.users["social_worker"]) == []


def test_the_bank_figure_is_for_its_keeper(world, client_for):
    admin = world.users["training_admin"]
    make_question(admin)
    question_retire(actor=admin, question=make_question(admin))
    [figure] = exam_figures(admin)
    assert figure.value == 1
    assert client_for("training_admin").get(figure.url).status_code == 200
    assert exam_figures(world.users["district_admin"]) == []
    assert exam_figures(world.users["social_worker"]) == []


def test_changes_to_the_bank_are_in_the_change_history(world):
    from auditlog.models import LogEntry

    admin = world.users["training_admin"]
    question = make_question(admin)
    question_retire(actor=admin, question=question)
    entries = LogEntry.objects.get_for_object(question).order_by("timestamp")
    assert [entry.action for entry in entries] == [LogEntry.Action.CREATE, LogEntry.Action.UPDATE]
    assert entries.last().actor == admin
