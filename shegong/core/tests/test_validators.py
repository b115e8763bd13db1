"""Text and date bounds every field shares: control characters, bidi overrides, invisible names,
absurd dates, pasted files as notes. Checked on the validators, on every model field, and
through a page and the API as a user would meet them."""

import datetime
import sys
import unicodedata

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator, MaxLengthValidator, RegexValidator
from django.db import models
from django.test import Client

from shegong.core.validators import (
    LONG_TEXT_MAX_LENGTH,
    PrintableTextValidator,
    multi_line_text,
    single_line_text,
    visible_text,
)
from shegong.people.models import Person
from shegong.people.tests.factories import resident_id

REFUSED = ["张\x00三", "张\x1b三", "张\x0b三", "张\x07三", "张\x7f三", "张\x85三", "\ud800"]
BIDI = ["abc\u202eexe.txt", "张\u2066三\u2069", "\u202d张三"]
# Noncharacters: U+FFFE/U+FFFF are illegal in XML, so one in a name broke every .xlsx export.
NONCHARACTERS = ["\uffff", "张\ufffe三", "张\ufdd0三", "张\ufdef", "张\U0001ffff", "\U0010fffe"]
# One line, read as stored: separators and bidi marks (LRM, RLM, ALM).
SINGLE_LINE_ONLY = ["张\u2028三", "张\u2029三", "张\u200e三", "张\u200f三", "张\u061c三"]


@pytest.mark.parametrize(
    "text", REFUSED + BIDI + NONCHARACTERS + SINGLE_LINE_ONLY + ["一行\n二行", "a\tb"]
)
def test_single_line_text_refuses_control_and_bidi_characters(text):
    with pytest.raises(ValidationError):
        single_line_text(text)


@pytest.mark.parametrize("text", REFUSED + BIDI + NONCHARACTERS)
def test_multi_line_text_refuses_them_too(text):
    with pytest.raises(ValidationError):
        multi_line_text(text)


@pytest.mark.parametrize(
    "text", ["张三", "Zhang San-Li", "O'Brien", "阿卜杜·热合曼", "=1+1", "José", "\ufdcf\ufdf0"]
)
def test_ordinary_names_pass(text):
    single_line_text(text)
    visible_text(text)


def test_multi_line_text_keeps_newlines_and_tabs():
    multi_line_text("第一行\r\n第二行\n\t缩进")


def refused_by_definition(char: str, *, multiline: bool) -> bool:
    """The rule in words, one character at a time: what the validators' compiled class must
    match exactly."""
    code = ord(char)
    if 0xFDD0 <= code <= 0xFDEF or (code & 0xFFFE) == 0xFFFE:  # noncharacters
        return True
    if char in "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069":  # bidi controls
        return True
    if not multiline and char in "\u2028\u2029\u200e\u200f\u061c":  # separators, marks
        return True
    category = unicodedata.category(char)
    if category == "Cc":
        return not (multiline and char in "\n\r\t")
    return category == "Cs"


@pytest.mark.parametrize("validator", [single_line_text, multi_line_text])
def test_the_validators_refuse_exactly_the_defined_characters_on_every_code_point(validator):
    everything = "".join(map(chr, range(sys.maxunicode + 1)))
    matched = {match.start() for match in validator.pattern.finditer(everything)}
    expected = {
        code
        for code, char in enumerate(everything)
        if refused_by_definition(char, multiline=validator.multiline)
    }
    assert matched == expected


@pytest.mark.parametrize(
    "text",
    [
        "\u200b",
        "\u200b\u200c\u200d\ufeff",
        " \u3000 ",
        "\u2060",
        # Fillers and blanks that are letters or symbols, not spaces.
        "\u3164",
        "\u115f",
        "\u1160",
        "\uffa0",
        "\u2800",
        "\u034f",
        "\u17b4",
        "\u17b5",
        "\u3164\u3164 \u2800",
        # Combining marks and a variation selector with nothing to sit on.
        "\u0301\u0301",
        "\ufe0f",
    ],
)
def test_a_name_of_invisible_characters_is_refused(text):
    with pytest.raises(ValidationError):
        visible_text(text)


# --- every field carries it ------------------------------------------------------------------

# Fields with a stricter validator of their own (username and slug patterns, email syntax) or never
# filled from input (Django's password hash; first/last name, which no form or API writes).
EXEMPT = {("accounts", "user", name) for name in ("password", "first_name", "last_name")}
STRICTER = (EmailValidator, RegexValidator)


def domain_text_fields():
    for model in apps.get_models():
        if not model.__module__.startswith("shegong."):
            continue
        for field in model._meta.get_fields():
            if not isinstance(field, (models.CharField, models.TextField)):
                continue
            if field.choices or not field.editable:
                continue
            key = (model._meta.app_label, model._meta.model_name, field.name)
            if key in EXEMPT:
                continue
            yield key, field


def test_every_domain_text_field_refuses_control_characters():
    missing = [
        key
        for key, field in domain_text_fields()
        if not any(isinstance(v, (PrintableTextValidator, *STRICTER)) for v in field.validators)
    ]
    assert missing == []


def test_every_long_text_field_has_a_length_bound():
    unbounded = [
        key
        for key, field in domain_text_fields()
        if isinstance(field, models.TextField)
        and not any(isinstance(v, MaxLengthValidator) for v in field.validators)
        # Encrypted short values (ID numbers, phones) are checked by their own format.
        and field.get_internal_type() == "TextField"
        and key[2] not in ("id_number", "mobile", "phone", "contact_phone")
    ]
    assert unbounded == []


# --- as users meet it ------------------------------------------------------------------------


@pytest.fixture
def api(client_for):
    return client_for("social_worker")


def post_person(client, **data):
    body = {"name": "张三", "community_id": None, **data}
    return client.post("/api/v1/people", body, content_type="application/json")


@pytest.mark.django_db
@pytest.mark.parametrize(
    "name", ["张\x00三", "张\x1b三", "\u200b\u200b", "张\u202e三", "\uffff", "\u3164", "张\u200f三"]
)
def test_api_refuses_such_a_name_with_a_field_error(api, world, name):
    before = Person.objects.count()
    response = post_person(api, name=name, community_id=world.home_community.pk)
    assert response.status_code == 400
    assert "name" in response.json()["errors"]
    assert Person.objects.count() == before


@pytest.mark.django_db
@pytest.mark.parametrize("birth_date", ["2999-01-01", "0001-01-01", "1899-12-31"])
def test_api_refuses_an_absurd_birth_date(api, world, birth_date):
    response = post_person(api, birth_date=birth_date, community_id=world.home_community.pk)
    assert response.status_code == 400
    assert "birth_date" in response.json()["errors"]


@pytest.mark.django_db
def test_page_shows_the_error_in_chinese(client_for, world):
    response = client_for("social_worker").post(
        "/people/new/",
        {
            "name": "张\x1b三",
            "id_type": "resident_id",
            "id_number": resident_id(7),
            "gender": "unknown",
            "community": world.home_community.pk,
        },
    )
    assert response.status_code == 200
    assert response.context["form"].errors["name"] == ["请删除文本中的控制字符或不可见的格式字符。"]


def test_long_text_bound_is_generous_but_finite():
    assert 5_000 <= LONG_TEXT_MAX_LENGTH < 10 * 1024 * 1024
    assert datetime.date(1900, 1, 1)  # the birth bound is checked through the API above


def post_json(client, path, body):
    return client.post(f"/api/v1{path}", body, content_type="application/json")


@pytest.fixture
def worker_api(world):
    from shegong.accounts.services import token_issue

    _token, raw = token_issue(user=world.users["social_worker"])
    return Client(headers={"Authorization": f"Bearer {raw}"})


@pytest.mark.django_db
@pytest.mark.parametrize("intake_date", ["0001-01-01", "1979-12-31", "2999-01-01"])
def test_a_case_cannot_open_on_an_absurd_date_or_before_the_client_was_born(
    worker_api, intake_date
):
    from shegong.cases.models import Case
    from shegong.cases.tests.factories import ClientFactory
    from shegong.people.tests.factories import resident_id

    born = datetime.date(1980, 1, 1)
    client = ClientFactory(id_number=resident_id(777, birth_date=born), birth_date=born)
    before = Case.objects.count()
    response = post_json(
        worker_api,
        "/cases",
        {
            "client_id": client.pk,
            "source": "walk_in",
            "presenting_problem": "家庭困难",
            "intake_date": intake_date,
        },
    )
    assert response.status_code == 400
    assert "intake_date" in response.json()["errors"]
    assert Case.objects.count() == before


@pytest.mark.django_db
def test_a_consent_dated_year_one_is_refused(worker_api, world):
    from shegong.people.tests.factories import PersonFactory

    person = PersonFactory(community=world.home_community, owner_agency=world.agency_a)
    response = post_json(
        worker_api,
        f"/people/{person.pk}/consents",
        {
            "kind": "separate",
            "scope": "personal_data",
            "given_on": "0001-01-01",
            "given_by": "本人",
        },
    )
    assert response.status_code == 400
    assert "given_on" in response.json()["errors"]


@pytest.mark.django_db
@pytest.mark.parametrize(
    "content", ["探访\x00记录", "x" * (LONG_TEXT_MAX_LENGTH + 1)], ids=["nul", "too-long"]
)
def test_a_note_with_nul_or_pages_too_long_is_refused(worker_api, settings, tmp_path, content):
    from shegong.cases.models import ServiceNote
    from shegong.cases.tests.factories import CaseFactory

    settings.MEDIA_ROOT = tmp_path
    case = CaseFactory()
    before = ServiceNote.objects.count()
    response = post_json(
        worker_api,
        f"/cases/{case.pk}/notes",
        {
            "contact_date": case.intake_date.isoformat(),
            "duration_minutes": 30,
            "method": "phone",
            "content": content,
        },
    )
    assert response.status_code == 400
    assert "content" in response.json()["errors"]
    assert ServiceNote.objects.count() == before


@pytest.mark.django_db
@pytest.mark.parametrize("text", ["\uffff", "中心\u2028主任", "张\u200e三", "\u3164", "\u0301"])
def test_agency_patch_refuses_a_legal_representative_that_breaks_exports_or_shows_blank(
    world, text
):
    from shegong.accounts.services import token_issue

    _token, raw = token_issue(user=world.users["agency_admin"])
    response = Client(headers={"Authorization": f"Bearer {raw}"}).patch(
        f"/api/v1/agencies/{world.agency_a.pk}",
        {"legal_representative": text},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert "legal_representative" in response.json()["errors"]
    world.agency_a.refresh_from_db()
    assert world.agency_a.legal_representative != text
