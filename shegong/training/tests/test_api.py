"""Training API: public enrolment, waitlist and cancellation, attendance, completions, scope."""

import datetime
import json

import pytest
from django.core.cache import cache
from django.test import Client

from shegong.accounts.services import token_issue
from shegong.people.models import Person
from shegong.training.models import Completion, Enrolment
from shegong.training.tests.factories import (
    enrol,
    learner_data,
    make_class,
    make_coordinator,
    make_session,
    make_site,
)


@pytest.fixture(autouse=True)
def _fresh_rate_limits(db):
    cache.clear()


def _api(user=None):
    client = Client()
    headers = {"HTTP_ACCEPT_LANGUAGE": "en"}
    if user is not None:
        _token, raw = token_issue(user=user)
        headers["HTTP_AUTHORIZATION"] = f"Bearer {raw}"

    def call(method, path, body=None):
        return client.generic(
            method,
            f"/api/v1/training{path}",
            data=json.dumps(body or {}),
            content_type="application/json",
            **headers,
        )

    return call


def _body(klass, n, **extra):
    data = learner_data(n, **extra)
    return {**data, "class_id": klass.pk}


def test_public_enrolment_confirms_then_waitlists_without_an_account(world):
    klass = make_class(world, capacity=1)
    call = _api()
    first = call("POST", "/enrol", _body(klass, 1))
    second = call("POST", "/enrol", _body(klass, 2))
    assert first.status_code == 201 and first.json()["status"] == "confirmed"
    assert second.json()["status"] == "waitlisted"
    assert "*" in first.json()["id_number_masked"]
    assert learner_data(1)["id_number"] not in first.content.decode()


def test_public_enrolment_errors_are_field_errors_and_write_nothing(world):
    klass = make_class(world)
    call = _api()
    response = call("POST", "/enrol", _body(klass, 1, id_number="350206199001011234"))
    assert response.status_code == 400
    assert "id_number" in response.json()["errors"]
    duplicate = call("POST", "/enrol", _body(klass, 2))
    assert duplicate.status_code == 201
    again = call("POST", "/enrol", _body(klass, 2))
    assert again.status_code == 400
    assert "enrolled in this class already" in again.json()["errors"]["id_number"][0]
    missing = call("POST", "/enrol", {**_body(klass, 3), "class_id": 999999})
    assert missing.status_code == 400 and "class_id" in missing.json()["errors"]
    assert Enrolment.objects.count() == 1
    assert Person.objects.count() == 1


def test_cancel_promotes_and_says_whom(world):
    klass = make_class(world, capacity=1)
    first, second = enrol(klass, 1), enrol(klass, 2)
    call = _api(world.users["training_admin"])
    response = call("POST", f"/enrolments/{first.pk}/cancel")
    assert response.status_code == 200
    assert response.json()["promoted"] == [second.pk]
    again = call("POST", f"/enrolments/{first.pk}/cancel")
    assert again.status_code == 400


def test_attendance_completion_and_the_learners_list(world):
    klass = make_class(world)
    session = make_session(world, klass, starts_in=datetime.timedelta(hours=-1))
    learner = enrol(klass, 1)
    call = _api(world.users["training_admin"])
    marked = call("POST", f"/sessions/{session.pk}/attendance", {"enrolment_id": learner.pk})
    assert marked.status_code == 200
    completions = call("POST", f"/classes/{klass.pk}/completions")
    assert [c["enrolment_id"] for c in completions.json()] == [learner.pk]
    listed = call("GET", "/enrolments?completed=true").json()
    assert listed["items"][0]["certificate_number"] == Completion.objects.get().certificate_number
    assert call("GET", "/enrolments?status=nonsense").status_code in (400, 422)


def test_session_create_refuses_bad_times_by_field(world):
    klass = make_class(world)
    call = _api(world.users["training_admin"])
    response = call(
        "POST",
        f"/classes/{klass.pk}/sessions",
        {
            "course_id": klass.courses.first().pk,
            "mode": "online",
            "starts_at": "tomorrow",
            "ends_at": "2026-05-01T09:30",
        },
    )
    assert response.status_code == 400
    assert "starts_at" in response.json()["errors"]
    assert klass.sessions.count() == 0


def test_coordinator_lists_only_their_site_and_others_are_not_found(world):
    coordinator = make_coordinator(world)
    site = make_site(world, coordinators=[coordinator])
    other = make_site(world, name="另一站点")
    klass = make_class(world)
    mine = enrol(klass, 1, site=site)
    theirs = enrol(klass, 2, site=other)
    call = _api(coordinator)
    items = call("GET", "/enrolments").json()["items"]
    assert [i["id"] for i in items] == [mine.pk]
    assert call("GET", f"/enrolments/{theirs.pk}").status_code == 404
    assert [s["id"] for s in call("GET", "/sites").json()] == [site.pk]
    figures = call("GET", "/figures").json()
    assert figures["learners"] == 1
    assert call("GET", f"/figures?site_id={other.pk}").status_code == 404
    assert call("POST", "/classes", {}).status_code in (404, 422)


def test_public_enrolment_past_its_identity_refusals_answers_429(world, settings):
    from shegong.training.services import IDENTITY_REFUSALS_PER_HOUR

    klass = make_class(world)
    call = _api()
    assert call("POST", "/enrol", _body(klass, 1)).status_code == 201
    for _attempt in range(IDENTITY_REFUSALS_PER_HOUR):
        assert call("POST", "/enrol", _body(klass, 1)).status_code == 400
    refused = call("POST", "/enrol", _body(klass, 2))
    assert refused.status_code == 429
    assert "id_number" in refused.json()["errors"]
    assert refused["Retry-After"] == "3600"
    assert Person.objects.count() == 1
