"""Journey: a learner takes a practice quiz (single and multiple choice), hands it in and sees
the score, what was right and wrong and every explanation; on a desk and a 390×844 phone."""

import pytest
from playwright.sync_api import expect

from shegong.exams.models import Attempt
from shegong.exams.tests.factories import make_multiple, make_question
from tests.e2e.conftest import DESKTOP, PHONE

pytestmark = pytest.mark.e2e


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desk", "phone"])
def test_a_learner_takes_a_practice_quiz_and_sees_score_and_explanations(
    e2e_world, new_page, log_in, viewport
):
    admin = e2e_world.users["training_admin"]
    make_question(
        admin, stem="社会工作的宗旨是：", answer="A", explanation="社会工作以助人自助为宗旨。"
    )
    make_question(
        admin,
        stem="个案工作的第一步是：",
        answer="B",
        option_b="接案",
        explanation="通用过程从接案开始。",
    )
    make_multiple(
        admin,
        stem="属于小组工作阶段的有：",
        answer="AC",
        explanation="形成期和结束期都是小组工作的阶段。",
    )

    page = new_page(viewport=viewport)
    log_in(page, "social_worker")
    page.goto("/exams/")
    expect(page.get_by_test_id("exam-scoring-rule")).to_contain_text("全对才得分")
    form = page.get_by_test_id("exam-start-form")
    form.locator("select[name=mode]").select_option("practice")
    form.locator("select[name=level]").select_option("junior")
    form.locator("select[name=subject]").select_option("comprehensive")
    form.locator("input[name=count]").fill("3")
    page.get_by_test_id("exam-start").click()
    expect(page.get_by_test_id("exam-question")).to_have_count(3)
    assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]

    attempt = Attempt.objects.get(user=e2e_world.users["social_worker"])
    # Two right (the first single and the multiple choice), one single wrong: 1 + 0 + 2 = 3 of 4.
    for item in attempt.items.select_related("question"):
        question = item.question
        if question.kind == "multiple":
            letters = question.answer
        elif question.answer == "A":
            letters = "A"
        else:
            letters = "C"  # wrong on purpose
        for letter in letters:
            page.locator(f"input[name=q{item.position}][value={letter}]").check()
    page.get_by_test_id("exam-submit").click()

    expect(page.get_by_test_id("exam-score")).to_contain_text("3 / 4")
    expect(page.get_by_test_id("exam-item")).to_have_count(3)
    expect(page.get_by_test_id("exam-item-right")).to_have_count(2)
    expect(page.get_by_test_id("exam-item-wrong")).to_have_count(1)
    explanations = page.get_by_test_id("exam-item-explanation")
    expect(explanations.filter(has_text="助人自助为宗旨")).to_be_visible()
    expect(explanations.filter(has_text="通用过程从接案开始")).to_be_visible()
    expect(explanations.filter(has_text="形成期和结束期")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]


def test_a_mock_exam_shows_its_clock_and_hands_itself_in_before_the_deadline(
    e2e_world, new_page, log_in
):
    import datetime

    from django.utils import timezone

    from shegong.exams.services import attempt_start

    make_question(e2e_world.users["training_admin"], answer="A")
    page = new_page(viewport=PHONE)
    log_in(page, "social_worker")
    # Started 50 seconds ago with one minute: about ten seconds are left when the page opens.
    attempt = attempt_start(
        actor=e2e_world.users["social_worker"],
        mode="mock",
        subject="comprehensive",
        level="junior",
        minutes=1,
        now=timezone.now() - datetime.timedelta(seconds=50),
    )
    page.goto(f"/exams/attempts/{attempt.pk}/")
    expect(page.get_by_test_id("exam-clock")).to_contain_text("0:")
    page.locator("input[name=q1][value=A]").check()
    # The page hands the paper in by itself, in time: the answer counts.
    expect(page.get_by_test_id("exam-score")).to_contain_text("1 / 1", timeout=20_000)
    attempt.refresh_from_db()
    assert attempt.finished_at <= attempt.deadline
