"""The demo's exam prep: a bank of at least 200 valid questions on the three subjects and the
senior paper, the demo worker's attempts (one left open), national results of demo people."""

from collections import Counter

from shegong.exams import demo
from shegong.exams.models import Attempt, ExamResult, Question
from shegong.exams.services import clean_question_fields
from shegong.exams.workbench import exam_todos
from shegong.people.demo import ensure_demo_people


def test_the_generated_bank_is_large_varied_and_valid():
    rows = demo.generated_questions()
    assert len(rows) >= 200
    for row in rows:
        clean_question_fields(row)  # raises on any invalid row
    papers = Counter((row["level"], row["subject"]) for row in rows)
    assert set(papers) == {
        ("junior", "comprehensive"),
        ("junior", "practice"),
        ("intermediate", "comprehensive"),
        ("intermediate", "practice"),
        ("intermediate", "law_policy"),
        ("senior", "senior_practice"),
    }
    kinds = Counter(row["kind"] for row in rows)
    assert kinds["multiple"] >= 20 and kinds["single"] >= 150
    assert len({(r["level"], r["stem"]) for r in rows}) == len(rows)


def test_build_is_idempotent_and_leaves_work_for_the_worker(world):
    ensure_demo_people(world, 30)
    world.report = []
    demo.build(world)
    counts = (Question.objects.count(), Attempt.objects.count(), ExamResult.objects.count())
    assert counts[0] >= 200 and counts[1] == 6 and counts[2] > 0
    worker = world.users["social_worker"]
    assert Attempt.objects.filter(user=worker, finished_at__isnull=False).count() == 5
    assert [todo.count for todo in exam_todos(worker)] == [1]
    demo.build(world)
    assert (Question.objects.count(), Attempt.objects.count(), ExamResult.objects.count()) == counts
