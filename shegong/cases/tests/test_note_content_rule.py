"""One rule for a note's content, on the page and over the API: blank (spaces, line breaks, a
full-width space) is refused with the same message, and nothing is saved."""

import pytest
from django.test import Client

from shegong.accounts.services import token_issue
from shegong.cases.choices import CaseStatus, ContactMethod
from shegong.cases.models import ServiceNote
from shegong.cases.tests.factories import CaseFactory, today

pytestmark = pytest.mark.django_db

BLANK = " \n\u3000 "
MESSAGE = "请填写本次服务的内容。"


def _note(content: str) -> dict:
    return {
        "contact_date": today().isoformat(),
        "duration_minutes": 30,
        "method": ContactMethod.PHONE,
        "content": content,
        "participants": 1,
    }


@pytest.fixture
def working(world):
    return CaseFactory(stage=CaseStatus.INTERVENTION)


def test_the_page_refuses_a_blank_note(client_for, working):
    response = client_for("social_worker").post(f"/cases/{working.pk}/notes/new/", _note(BLANK))
    html = response.content.decode()
    assert response.status_code == 200
    assert f'data-field-error="content">{MESSAGE}<' in html
    assert not ServiceNote.objects.filter(case=working).exists()


def test_the_api_refuses_it_alike(world, working):
    _token, raw = token_issue(user=world.users["social_worker"], name="test")
    api = Client(headers={"Authorization": f"Bearer {raw}"})
    response = api.post(
        f"/api/v1/cases/{working.pk}/notes", _note(BLANK), content_type="application/json"
    )
    assert response.status_code == 400
    assert response.json()["errors"]["content"] == [MESSAGE]
    assert not ServiceNote.objects.filter(case=working).exists()


def test_the_page_marks_the_content_required(client_for, working):
    html = client_for("social_worker").get(f"/cases/{working.pk}/notes/new/").content.decode()
    assert '<label class="form-label required" for="id_content">' in html
