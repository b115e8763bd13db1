"""Bad requests get a JSON 4xx, and even a real server error never shows a traceback (DESIGN
§4.6: a 5xx is a bug; nothing of the code or the data leaks to the client)."""

import json

import pytest
from django.test import Client

from shegong.accounts.services import token_issue
from shegong.agencies.models import Agency
from shegong.api.pagination import MAX_PAGE_SIZE
from shegong.cases.tests.factories import CaseFactory, add_note

pytestmark = pytest.mark.django_db


@pytest.fixture
def api(world):
    def make(persona="district_admin", **client_options):
        _token, raw = token_issue(user=world.users[persona])
        return Client(headers={"Authorization": f"Bearer {raw}"}, **client_options)

    return make


def assert_json_error(response, status):
    assert response.status_code == status
    assert response["Content-Type"].startswith("application/json")
    assert set(response.json()) == {"detail", "errors"}
    assert "Traceback" not in response.content.decode()


def test_an_id_beyond_the_integer_range_in_a_filter_is_no_server_error(api):
    response = api().get("/api/v1/places/communities", {"street_id": 2**63})
    if response.status_code == 200:
        # PostgreSQL compares the number and finds no such street.
        assert response.json() == []
    else:
        # SQLite cannot bind it: the request is told which number is out of range.
        assert_json_error(response, 400)


def test_a_nested_id_beyond_the_integer_range_is_a_404(api, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    case = CaseFactory()
    response = api("social_worker").get(
        f"/api/v1/cases/{case.pk}/notes/{10**25}/attachments/{10**25}"
    )
    assert_json_error(response, 404)


@pytest.mark.parametrize("field", ["address", "contact_name", "legal_representative", "email"])
def test_null_in_a_text_field_is_a_field_error(api, world, field):
    before = Agency.objects.values().get(pk=world.agency_a.pk)
    response = api().patch(
        f"/api/v1/agencies/{world.agency_a.pk}",
        json.dumps({field: None}),
        content_type="application/json",
    )
    assert_json_error(response, 400)
    assert field in response.json()["errors"]
    assert Agency.objects.values().get(pk=world.agency_a.pk) == before


def test_multipart_without_a_boundary_is_a_400(api, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    case = CaseFactory()
    note = add_note(case)
    response = api("social_worker").post(
        f"/api/v1/cases/{case.pk}/notes/{note.pk}/attachments",
        b"--x\r\n",
        content_type="multipart/form-data",
    )
    assert_json_error(response, 400)
    anonymous = Client().post("/api/v1/auth/token", b"--x\r\n", content_type="multipart/form-data")
    assert anonymous.status_code in (400, 422)


def test_a_body_over_the_upload_limit_is_a_413(api, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1024
    body = json.dumps({"name": "x" * 4096})
    response = api().post("/api/v1/people", body, content_type="application/json")
    assert_json_error(response, 413)


@pytest.mark.parametrize("debug", [False, True])
def test_a_server_error_is_json_without_a_traceback_even_with_debug(
    api, settings, debug, monkeypatch
):
    settings.DEBUG = debug

    def crash(*args, **kwargs):
        raise RuntimeError("secret internals 350206199001011234")

    monkeypatch.setattr("shegong.places.api.Community.objects.for_user", crash)
    response = api(raise_request_exception=False).get("/api/v1/places/communities")
    assert_json_error(response, 500)
    assert "secret internals" not in response.content.decode()


def test_a_page_error_with_debug_on_shows_the_plain_page(client_for, settings, monkeypatch):
    settings.DEBUG = True

    def crash(*args, **kwargs):
        raise RuntimeError("secret internals")

    monkeypatch.setattr("shegong.people.views.render", crash)
    client = client_for("district_admin")
    client.raise_request_exception = False
    response = client.get("/people/new/")
    assert response.status_code == 500
    content = response.content.decode()
    assert "服务器错误" in content
    assert "secret internals" not in content and "Traceback" not in content


@pytest.mark.parametrize(
    "path", ["/api/v1/nonexistent", "/api/v1/people/abc", "/api/v1/cases/1.5", "/api/v1/people/"]
)
def test_an_address_that_matches_no_operation_is_a_json_404(api, path, settings):
    settings.DEBUG = True  # Django's debug 404 page would list every URL pattern
    response = api().get(path)
    assert_json_error(response, 404)
    assert "urlpatterns" not in response.content.decode()


def test_a_method_an_operation_does_not_take_is_a_json_405(api, world):
    person = world.users["social_worker"]
    response = api().delete(f"/api/v1/users/{person.pk}")
    assert_json_error(response, 405)


def test_schema_errors_are_said_in_chinese_with_their_limits(api):
    response = api().get("/api/v1/people", {"page_size": "many"})
    assert_json_error(response, 422)
    assert response.json()["errors"] == {"page_size": ["请输入整数。"]}
    response = api().get("/api/v1/people", {"page_size": 10_000})
    assert response.json()["errors"] == {"page_size": [f"请输入不超过 {MAX_PAGE_SIZE} 的值。"]}
    response = api().post("/api/v1/agencies", "[1, 2]", content_type="application/json")
    assert_json_error(response, 422)
    assert "Input" not in response.content.decode()  # none of pydantic's English
