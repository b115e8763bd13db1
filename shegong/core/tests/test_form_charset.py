"""A urlencoded form in another charset than UTF-8 gets a 400 answer (JSON under /api/), never
an error escaping Django: its error views read the body again while drawing the error, and the
error that escaped killed the gunicorn worker."""

import pytest
from django.test import Client

from shegong.activities.tests.factories import make_activity, make_session
from shegong.core import checkin

LATIN_1 = "application/x-www-form-urlencoded; charset=latin-1"


@pytest.fixture
def client_with_csrf_cookie():
    # The request gets as far as Django's CSRF check only with a cookie, from any form.
    client = Client(enforce_csrf_checks=True)
    client.get("/accounts/login/")
    return client


@pytest.mark.django_db
def test_a_form_in_another_charset_gets_the_bad_request_page(world, client_with_csrf_cookie):
    session = make_session(world, make_activity(world))
    for path in (
        "/accounts/login/",
        checkin.checkin_path(checkin.issue_token(session)),
        "/nowhere/",
    ):
        response = client_with_csrf_cookie.post(path, "name=a", content_type=LATIN_1)
        assert response.status_code == 400
        assert "请求无效" in response.content.decode()


@pytest.mark.django_db
def test_the_api_answers_it_in_its_json_error_format(client_with_csrf_cookie):
    response = client_with_csrf_cookie.post("/api/v1/people", "name=a", content_type=LATIN_1)
    assert response.status_code == 400
    assert response.json()["detail"] == "请求格式不正确。"


@pytest.mark.django_db
def test_a_form_that_names_utf_8_is_taken(client_with_csrf_cookie):
    response = client_with_csrf_cookie.post(
        "/accounts/login/",
        "username=a",
        content_type="application/x-www-form-urlencoded; charset=UTF-8",
    )
    assert response.status_code == 403  # on to the CSRF check, which it fails without a token
