"""The exams API: the pages' practice, bank and results, same scope, same services, JSON errors."""

import datetime
import json

import pytest
from django.test import Client
from django.utils import timezone

from shegong.accounts.services import token_issue
from shegong.exams.models import Attempt, ExamResult, Question
from shegong.exams.tests.factories import make_multiple, make_person, make_question, question_data

pytestmark = pytest.mark.django_db


def api(world, persona):
    _token, raw = token_issue(user=world.users[persona])
    client = Client(HTTP_AUTHORIZATION=f"Bearer {raw}")

    def call(method, path, body=None):
        return client.generic(
            method, f"/api/v1/exams{path}", json.dumps(body or {}), content_type="application/json"
        )

    return call


def test_a_quiz_through_the_api_hides_answers_until_handed_in(world):
    admin = world.users["training_admin"]
    single = make_question(admin, answer="C", option_c="丙")
    multiple = make_multiple(admin, answer="BD")
    call = api(world, "volunteer")
    started = call(
        "POST", "/attempts", {"mode": "practice", "subject": "comprehensive", "level": "junior"}
    )
    assert started.status_code == 201, started.json()
    body = started.json()
    assert body["max_score"] == 3
    assert all(item["answer"] is None and item["explanation"] is None for item in body["items"])
    positions = {item["stem"]: item["position"] for item in body["items"]}
    attempt_id = body["id"]
    saved = call(
        "PUT", f"/attempts/{attempt_id}/answers", {"answers": {str(positions[single.stem]): "C"}}
    )
    assert saved.json() == {"recorded": 1}
    done = call(
        "POST",
        f"/attempts/{attempt_id}/submit",
        {"answers": {str(positions[multiple.stem]): ["B"]}},  # one of two right options: 0
    ).json()
    assert (done["score"], done["correct_count"], done["percent"]) == (1, 1, 33)
    assert {item["position"]: item["points"] for item in done["items"]} == {
        positions[single.stem]: 1,
        positions[multiple.stem]: 0,
    }
    assert all(item["explanation"] for item in done["items"])
    assert "all or nothing" in done["scoring_rule"] or "全对" in done["scoring_rule"]
    progress = call("GET", "/progress").json()
    assert progress == [
        {
            "subject": "comprehensive",
            "level": "junior",
            "attempts": 1,
            "answered": 2,
            "correct": 1,
            "rate": 50,
            "best_mock": None,
            "last_mock": None,
        }
    ]
    # Not yours: not found, and nothing changes.
    other = api(world, "social_worker")
    assert other("GET", f"/attempts/{attempt_id}").status_code == 404
    assert other("POST", f"/attempts/{attempt_id}/submit").status_code == 404
    assert other("GET", "/attempts").json()["count"] == 0


def test_answers_after_a_mock_exams_deadline_are_refused(world):
    make_question(world.users["training_admin"])
    call = api(world, "social_worker")
    attempt_id = call(
        "POST",
        "/attempts",
        {"mode": "mock", "subject": "comprehensive", "level": "junior", "minutes": 5},
    ).json()["id"]
    Attempt.objects.filter(pk=attempt_id).update(
        deadline=timezone.now() - datetime.timedelta(seconds=1)
    )
    refused = call("PUT", f"/attempts/{attempt_id}/answers", {"answers": {"1": "A"}})
    assert refused.status_code == 400
    assert "answers" in refused.json()["errors"]
    shown = call("GET", f"/attempts/{attempt_id}").json()
    assert shown["score"] == 0 and shown["finished_at"] is not None
    assert shown["items"][0]["chosen"] == ""


def test_bank_errors_are_json_by_field_and_nothing_is_written(world):
    call = api(world, "training_admin")
    bad = call("POST", "/questions", {**question_data(), "answer": "AB"})
    assert bad.status_code == 400
    assert list(bad.json()["errors"]) == ["answer"]
    assert Question.objects.count() == 0
    made = call("POST", "/questions", question_data(stem="接口新增题"))
    assert made.status_code == 201
    question_id = made.json()["id"]
    assert call("PATCH", f"/questions/{question_id}", {"answer": "B"}).json()["answer"] == "B"
    assert call("POST", f"/questions/{question_id}/retire").json()["is_active"] is False
    assert call("GET", "/questions", None).json()["count"] == 1
    assert api(world, "social_worker")("GET", f"/questions/{question_id}").status_code == 404


def test_results_and_pass_rates(world):
    person = make_person(world, 40, "钱考生")
    call = api(world, "training_admin")
    body = {
        "name": "钱考生",
        "id_number": person.id_number,
        "year": 2025,
        "level": "junior",
        "subject": "practice",
        "score": 58,
        "passed": False,
    }
    made = call("POST", "/results", body)
    assert made.status_code == 201
    assert made.json()["id_number_masked"] == person.id_number_masked
    assert person.id_number not in made.content.decode()
    again = call("POST", "/results", body)
    assert again.status_code == 400 and "subject" in again.json()["errors"]
    assert ExamResult.objects.count() == 1
    rates = call("GET", "/pass-rates").json()
    assert rates["by_level"][0]["sat"] == 1 and rates["by_level"][0]["rate"] == 0.0
    assert rates["trainee_sources"] is True  # the training academy says who trained
    assert api(world, "social_worker")("GET", "/results").json()["count"] == 0
