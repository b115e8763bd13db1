"""``manage.py seed_demo``: the demo world a developer clicks through, loaded idempotently."""

import io

import pytest
from django.core.management import CommandError, call_command
from stdnum.cn import ric, uscc

from shegong.accounts.models import RoleAssignment, User
from shegong.agencies.models import Agency
from shegong.core.demo import DEMO_PASSWORD, DEMO_PEOPLE_COUNT
from shegong.core.testing.personas import PERSONAS
from shegong.people.choices import Gender
from shegong.people.models import Person
from shegong.people.validators import validate_id_number, validate_mobile
from shegong.places.models import Community

pytestmark = pytest.mark.django_db


def seed(*args) -> str:
    out = io.StringIO()
    call_command("seed_demo", *args, stdout=out)
    return out.getvalue()


def counts() -> dict:
    return {
        model.__name__: model.objects.count()
        for model in (Community, Agency, User, RoleAssignment, Person)
    }


@pytest.fixture
def seeded():
    output = seed()
    return output, counts()


def test_running_twice_creates_nothing_new(seeded):
    first_output, first = seeded
    second_output = seed()
    assert counts() == first
    assert first["Person"] == DEMO_PEOPLE_COUNT["small"]
    assert f"{DEMO_PEOPLE_COUNT['small']:,} created" in first_output
    assert "0 created" in second_output


def test_every_demo_person_has_a_valid_resident_id_and_mobile(seeded):
    people = list(Person.objects.all())
    assert len({p.id_number for p in people}) == len(people)
    for person in people:
        facts = validate_id_number(person.id_type, person.id_number)
        assert ric.is_valid(person.id_number)
        assert person.id_number.startswith("3502")
        assert facts.birth_date == person.birth_date
        assert facts.gender == person.gender
        assert validate_mobile(person.mobile) == person.mobile
        assert person.search_text


def test_demo_people_are_spread_over_communities_and_agencies(seeded):
    people = Person.objects.all()
    assert people.values("community").distinct().count() >= 40
    assert people.exclude(owner_agency=None).values("owner_agency").distinct().count() >= 6
    assert people.filter(owner_agency=None).exists()
    assert people.filter(gender=Gender.MALE).exists()
    assert people.filter(gender=Gender.FEMALE).exists()
    # The demo home community and its agency have people to show on their lists.
    assert people.filter(community__name="兴隆社区", owner_agency__name__contains="开心").exists()


def test_personal_data_is_encrypted_in_the_database(seeded):
    from django.db import connection

    person = Person.objects.order_by("pk").first()
    with connection.cursor() as cursor:
        cursor.execute("SELECT id_number, mobile FROM people_person WHERE id = %s", [person.pk])
        raw_id, raw_mobile = cursor.fetchone()
    assert person.id_number not in raw_id
    assert person.mobile not in raw_mobile


def test_demo_logins_work_with_the_documented_password(seeded, client):
    for username in PERSONAS:
        user = User.objects.get(username=username)
        assert user.check_password(DEMO_PASSWORD), username
        assert user.role_assignments.exists(), username
    response = client.post(
        "/accounts/login/", {"username": "district_admin", "password": DEMO_PASSWORD}
    )
    assert response.status_code == 302


def test_ten_urban_villages_and_eight_agencies_with_valid_codes(seeded):
    assert Community.objects.filter(urban_village=True).count() == 10
    agencies = Agency.objects.all()
    assert agencies.count() >= 8
    assert all(uscc.is_valid(agency.uscc) for agency in agencies)


def test_if_empty_leaves_a_database_with_users_alone(seeded):
    _output, before = seeded
    output = seed("--if-empty")
    assert "not loaded" in output
    assert counts() == before


def test_unknown_scale_is_refused():
    with pytest.raises(CommandError, match="scale"):
        seed("--scale", "galactic")
    assert Person.objects.count() == 0


def test_refuses_to_run_in_production(settings):
    settings.PRODUCTION = True
    before = counts()
    with pytest.raises(CommandError, match="production"):
        seed()
    assert counts() == before
