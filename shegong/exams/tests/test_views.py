"""The exam pages: practising, the bank, results; errors next to fields, nothing written."""

import pytest
from django.urls import reverse

from shegong.exams.models import Attempt, ExamResult, Question
from shegong.exams.tests.factories import make_multiple, make_person, make_question, question_data

pytestmark = pytest.mark.django_db


def test_a_learner_practises_and_sees_score_and_explanations(world, client_for):
    admin = world.users["training_admin"]
    single = make_question(admin, answer="B", explanation="因为乙才对。")
    multiple = make_multiple(admin, answer="AC", explanation="甲和丙都对。")
    client = client_for("volunteer")
    home = client.get(reverse("exams:home"))
    assert "all or nothing" in home.content.decode() or "全对" in home.content.decode()
    response = client.post(
        reverse("exams:attempt_start"),
        {"mode": "practice", "level": "junior", "subject": "comprehensive", "count": "5"},
    )
    attempt = Attempt.objects.get(user=world.users["volunteer"])
    assert response.url == reverse("exams:attempt", args=[attempt.pk])
    page = client.get(response.url).content.decode()
    assert "因为乙才对" not in page  # no explanation before handing in
    positions = {i.question_id: i.position for i in attempt.items.all()}
    response = client.post(
        response.url,
        {f"q{positions[single.pk]}": "B", f"q{positions[multiple.pk]}": ["A", "C"]},
        follow=True,
    )
    page = response.content.decode()
    attempt.refresh_from_db()
    assert (attempt.score, attempt.max_score) == (3, 3)
    assert "因为乙才对" in page and "甲和丙都对" in page
    assert 'data-testid="exam-score"' in page


def test_bad_start_input_is_shown_next_to_the_field(world, client_for):
    client = client_for("social_worker")
    response = client.post(
        reverse("exams:attempt_start"),
        {"mode": "practice", "level": "junior", "subject": "law_policy", "count": "5"},
    )
    assert response.status_code == 200
    assert 'data-field-error="subject"' in response.content.decode()
    assert Attempt.objects.count() == 0


def test_someone_elses_attempt_is_not_found(world, client_for):
    make_question(world.users["training_admin"])
    client = client_for("social_worker")
    client.post(
        reverse("exams:attempt_start"),
        {"mode": "practice", "level": "junior", "subject": "comprehensive"},
    )
    attempt = Attempt.objects.get()
    url = reverse("exams:attempt", args=[attempt.pk])
    for persona in ("social_worker_b", "training_admin", "district_admin"):
        assert client_for(persona).get(url).status_code == 404
        assert client_for(persona).post(url, {"q1": "A"}).status_code == 404
    attempt.refresh_from_db()
    assert attempt.finished_at is None


def test_the_bank_pages_create_edit_filter_and_retire(world, client_for):
    client = client_for("training_admin")
    data = question_data(stem="页面新增的题目")
    response = client.post(reverse("exams:question_create"), {**data, "answer": "AB"})
    assert 'data-field-error="answer"' in response.content.decode()
    assert Question.objects.count() == 0
    assert client.post(reverse("exams:question_create"), data).status_code == 302
    question = Question.objects.get()
    listing = client.get(reverse("exams:questions"), {"q": "页面新增"}).content.decode()
    assert question.number in listing
    assert (
        question.number
        not in client.get(reverse("exams:questions"), {"subject": "practice"}).content.decode()
    )
    edit = reverse("exams:question_edit", args=[question.pk])
    assert client.post(edit, {**data, "stem": "改过的题目", "is_active": "on"}).status_code == 302
    question.refresh_from_db()
    assert question.stem == "改过的题目"
    client.post(reverse("exams:question_retire", args=[question.pk]))
    question.refresh_from_db()
    assert not question.is_active
    assert client_for("social_worker").get(edit).status_code == 404


def test_results_pages_record_and_show_masked_numbers(world, client_for):
    person = make_person(world, 11, "赵考生")
    client = client_for("training_admin")
    form = {
        "name": "赵考生",
        "id_number": person.id_number,
        "year": "2025",
        "level": "intermediate",
        "subject": "law_policy",
        "score": "66",
        "passed": "",
    }
    response = client.post(reverse("exams:result_create"), form)
    assert 'data-field-error="passed"' in response.content.decode()
    assert ExamResult.objects.count() == 0
    assert (
        client.post(reverse("exams:result_create"), {**form, "passed": "true"}).status_code == 302
    )
    page = client.get(reverse("exams:results")).content.decode()
    assert "赵考生" in page and person.id_number_masked in page and person.id_number not in page
    rates = client.get(reverse("exams:pass_rates")).content.decode()
    assert "100.0%" in rates
    # A learner without results sees an empty list, not the district's.
    assert (
        "赵考生" not in client_for("social_worker").get(reverse("exams:results")).content.decode()
    )


def test_a_second_hand_in_at_once_lands_on_the_scored_attempt(world, client_for, monkeypatch):
    # A double click on "hand in": the second request read the attempt before the first
    # scored it. It shows the scored attempt, not an error, and changes nothing.
    from shegong.exams import views
    from shegong.exams.services import attempt_submit

    make_question(world.users["training_admin"], answer="B")
    learner = world.users["social_worker"]
    client = client_for("social_worker")
    client.post(
        reverse("exams:attempt_start"),
        {"mode": "practice", "level": "junior", "subject": "comprehensive"},
    )
    stale = Attempt.objects.get()
    attempt_submit(actor=learner, attempt=Attempt.objects.get(), answers={1: "B"})
    monkeypatch.setattr(views, "attempt_for_user_or_404", lambda user, pk: stale)
    url = reverse("exams:attempt", args=[stale.pk])
    response = client.post(url, {"q1": "A"})
    assert response.status_code == 302 and response.url == url
    attempt = Attempt.objects.get()
    assert attempt.score == 1
    assert attempt.items.get().chosen == "B"


def test_question_search_by_a_digit_that_is_no_number(world, client_for):
    # "²" is a digit to str.isdigit() but no number to int(): a 500 before.
    make_question(world.users["training_admin"])
    client = client_for("training_admin")
    for q in ("²", "Q²", "Q１"):
        assert client.get(reverse("exams:questions"), {"q": q}).status_code == 200, q
