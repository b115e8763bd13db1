"""The duplicate check keeps one identity per ID number district-wide, so it tells a worker that
a number is on file even when the record is outside their scope. Each such hit is written to the
access log, and a user who hits too often is stopped (429 on the API, a field error on a page)."""

import json

import pytest
from django.core.cache import cache
from django.core.exceptions import ValidationError

from shegong.accounts.services import token_issue
from shegong.core.access import RateLimited
from shegong.core.models import AccessLog
from shegong.people import services
from shegong.people.models import Person
from shegong.people.tests.factories import PersonFactory, resident_id


@pytest.fixture(autouse=True)
def _fresh_counts(db):
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def elsewhere(world):
    """A person of agency B in another street: outside community_staff's scope."""
    return PersonFactory(community=world.agency_b.community, owner_agency=world.agency_b)


def register(actor, id_number, world):
    return services.person_create(
        actor=actor, name="重复登记", id_number=id_number, community=world.home_community
    )


def duplicate_hits(user) -> list[str]:
    return list(
        AccessLog.objects.filter(user=user, action=AccessLog.Action.DUPLICATE).values_list(
            "object_id", flat=True
        )
    )


def test_each_hit_is_written_to_the_access_log(world, elsewhere):
    staff = world.users["community_staff"]
    with pytest.raises(ValidationError) as info:
        register(staff, elsewhere.id_number, world)
    assert elsewhere.id_number_masked in info.value.message_dict["id_number"][0]
    assert duplicate_hits(staff) == [str(elsewhere.pk)]
    entry = AccessLog.objects.get(user=staff, action=AccessLog.Action.DUPLICATE)
    assert elsewhere.id_number not in f"{entry.object_label} {entry.detail}"


def test_a_new_number_is_no_hit(world):
    staff = world.users["community_staff"]
    register(staff, resident_id(777), world)
    assert duplicate_hits(staff) == []


def test_past_the_hourly_allowance_the_check_answers_nothing(world, elsewhere, monkeypatch):
    monkeypatch.setattr(services, "DUPLICATE_HITS_PER_HOUR", 2)
    staff = world.users["community_staff"]
    for _attempt in range(2):
        with pytest.raises(ValidationError):
            register(staff, elsewhere.id_number, world)
    with pytest.raises(RateLimited) as info:
        register(staff, elsewhere.id_number, world)
    message = info.value.message_dict["id_number"][0]
    assert elsewhere.id_number_masked not in message and elsewhere.number not in message
    assert len(duplicate_hits(staff)) == 2  # the refused probe learnt nothing: nothing to log
    # Another user's allowance is their own.
    with pytest.raises(ValidationError) as other:
        register(world.users["street_admin"], elsewhere.id_number, world)
    assert not isinstance(other.value, RateLimited)


def test_the_api_answers_429_past_the_allowance(client, world, elsewhere, monkeypatch):
    monkeypatch.setattr(services, "DUPLICATE_HITS_PER_HOUR", 1)
    _token, raw = token_issue(user=world.users["community_staff"])
    body = {
        "name": "重复登记",
        "id_number": elsewhere.id_number,
        "community_id": world.home_community.pk,
    }

    def post():
        return client.post(
            "/api/v1/people",
            json.dumps(body),
            content_type="application/json",
            HTTP_AUTHORIZATION=f"Bearer {raw}",
        )

    first = post()
    assert first.status_code == 400
    assert elsewhere.id_number_masked in first.json()["errors"]["id_number"][0]
    limited = post()
    assert limited.status_code == 429
    assert limited["Retry-After"] == "3600"  # the allowance is hourly
    assert limited.json()["errors"]["id_number"]
    assert elsewhere.id_number_masked not in limited.content.decode()
    assert not Person.objects.filter(name="重复登记").exists()


def test_the_page_shows_a_field_error_past_the_allowance(client_for, world, elsewhere, monkeypatch):
    monkeypatch.setattr(services, "DUPLICATE_HITS_PER_HOUR", 1)
    page = client_for("community_staff")
    data = {
        "name": "重复登记",
        "id_type": "resident_id",
        "id_number": elsewhere.id_number,
        "gender": "unknown",
        "birth_date": "",
        "mobile": "",
        "community": world.home_community.pk,
    }
    assert page.post("/people/new/", data).status_code == 200
    response = page.post("/people/new/", data)
    assert response.status_code == 200
    errors = response.context["form"].errors["id_number"]
    assert errors and "一小时" in errors[0]
    assert elsewhere.id_number_masked not in response.content.decode()
    assert len(duplicate_hits(world.users["community_staff"])) == 1
