"""Dates have one format: pages show 2026-12-01, and every date field is a date picker sending
YYYY-MM-DD, with that format as its placeholder where no picker exists."""

import re

import pytest

from shegong.cases.choices import CaseStatus
from shegong.cases.models import ServiceNote
from shegong.cases.tests.factories import CaseFactory, today

pytestmark = pytest.mark.django_db


def _date_inputs(html: str) -> list[str]:
    inputs = re.findall(r"<input[^>]*>", html)
    return [tag for tag in inputs if re.search(r'name="[a-z_]*(date|_on|_from|_to)"', tag)]


@pytest.mark.parametrize(
    ("persona", "url"),
    [
        ("district_admin", "/cases/"),
        ("district_admin", "/people/"),
        ("auditor", "/core/audit/"),
        ("district_admin", "/agencies/new/"),
        ("community_staff", "/people/new/"),
        ("social_worker", "/cases/new/?client=__client__"),
    ],
)
def test_every_date_field_is_a_picker_with_the_iso_format(client_for, world, persona, url):
    if "__client__" in url:
        case = CaseFactory()
        url = url.replace("__client__", str(case.client.pk))
    html = client_for(persona).get(url).content.decode()
    inputs = _date_inputs(html)
    assert inputs, "no date field on the page"
    for tag in inputs:
        assert 'type="date"' in tag, tag
        assert 'placeholder="YYYY-MM-DD"' in tag, tag


def test_a_date_is_shown_and_accepted_as_yyyy_mm_dd(client_for, world):
    case = CaseFactory(stage=CaseStatus.INTERVENTION)
    client = client_for("social_worker")
    form = client.get(f"/cases/{case.pk}/notes/new/").content.decode()
    [contact] = [tag for tag in _date_inputs(form) if 'name="contact_date"' in tag]
    assert f'value="{today():%Y-%m-%d}"' in contact
    client.post(
        f"/cases/{case.pk}/notes/new/",
        {
            "contact_date": f"{today():%Y-%m-%d}",
            "duration_minutes": "30",
            "method": "phone",
            "content": "电话回访。",
            "participants": "1",
        },
    )
    assert ServiceNote.objects.get(case=case).contact_date == today()
