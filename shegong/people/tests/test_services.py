"""Writing people and consents through the services, as views, the API and imports do."""

import datetime

import pytest
from auditlog.models import LogEntry
from django.core.exceptions import ValidationError

from shegong.people.choices import ConsentKind, ConsentScope, Gender, IdType
from shegong.people.models import Consent, Person
from shegong.people.services import (
    consent_record,
    consent_withdraw,
    people_bulk_create,
    person_create,
    person_update,
)
from shegong.people.tests.factories import ConsentFactory, PersonFactory, mobile, resident_id
from shegong.places.models import Community


def field_errors(info) -> dict:
    return info.value.message_dict


def test_create_derives_gender_and_birth_date_from_the_id_number(world):
    number = resident_id(5, birth_date=datetime.date(1988, 8, 8), male=False)
    person = person_create(
        actor=world.users["community_staff"],
        name="李四",
        id_type=IdType.RESIDENT_ID,
        id_number=number.lower(),
        gender=Gender.MALE,  # typed wrongly: the number decides
        mobile="138 0000 0005",
        community=world.home_community,
    )
    person.refresh_from_db()
    assert person.gender == Gender.FEMALE
    assert person.birth_date == datetime.date(1988, 8, 8)
    assert person.id_number == number
    assert person.mobile == "13800000005"
    assert person.created_by == world.users["community_staff"]
    assert "lisi" in person.search_text and "ls" in person.search_text


def test_passport_holder_keeps_typed_gender_and_birth_date(world):
    person = person_create(
        actor=world.users["district_admin"],
        name="Anna Schmidt",
        id_type=IdType.PASSPORT,
        id_number="c01x00t47",
        gender=Gender.FEMALE,
        birth_date=datetime.date(1979, 2, 1),
        community=world.home_community,
    )
    assert person.id_number == "C01X00T47"
    assert (person.gender, person.birth_date) == (Gender.FEMALE, datetime.date(1979, 2, 1))


def test_duplicate_id_number_is_refused_naming_the_masked_existing_record(world):
    existing = PersonFactory(community=world.home_community)
    before = Person.objects.count()
    with pytest.raises(ValidationError) as info:
        person_create(
            actor=world.users["district_admin"],
            name="重复的人",
            id_type=IdType.RESIDENT_ID,
            id_number=existing.id_number,
            community=world.home_community,
        )
    message = field_errors(info)["id_number"][0]
    assert existing.id_number_masked in message
    assert existing.number in message
    assert existing.id_number not in message
    assert Person.objects.count() == before
    assert not LogEntry.objects.filter(object_repr="重复的人").exists()


def test_update_to_someone_elses_number_is_refused_and_nothing_changes(world):
    first = PersonFactory(community=world.home_community)
    second = PersonFactory(community=world.home_community, name="王五")
    with pytest.raises(ValidationError) as info:
        person_update(
            actor=world.users["district_admin"],
            person=second,
            name="王五改",
            id_number=first.id_number,
        )
    assert first.id_number_masked in field_errors(info)["id_number"][0]
    second.refresh_from_db()
    assert second.name == "王五"
    assert second.id_number != first.id_number


def test_update_keeping_own_number_is_not_a_duplicate(world):
    person = PersonFactory(community=world.home_community)
    person_update(actor=world.users["district_admin"], person=person, name="新名字")
    person.refresh_from_db()
    assert person.name == "新名字"
    assert "xinmingzi" in person.search_text


def test_every_bad_field_is_reported_at_once_and_nothing_is_written(world):
    before = Person.objects.count()
    with pytest.raises(ValidationError) as info:
        person_create(
            actor=world.users["district_admin"],
            name=" ",
            id_type=IdType.RESIDENT_ID,
            id_number="350206199902300011",
            mobile="12345",
            community=world.home_community,
        )
    assert set(field_errors(info)) == {"name", "id_number", "mobile"}
    assert Person.objects.count() == before


def test_community_outside_the_actors_scope_is_refused(world):
    elsewhere = Community.objects.filter(street=world.other_street).first()
    with pytest.raises(ValidationError) as info:
        person_create(
            actor=world.users["community_staff"],
            name="外社区",
            id_number=resident_id(71),
            community=elsewhere,
        )
    assert "community" in field_errors(info)
    assert not Person.objects.filter(name="外社区").exists()


def test_place_role_must_place_the_person_in_their_scope(world):
    with pytest.raises(ValidationError) as info:
        person_create(
            actor=world.users["community_staff"], name="无社区", id_number=resident_id(72)
        )
    assert "community" in field_errors(info)
    assert not Person.objects.filter(name="无社区").exists()


def test_agency_worker_registers_for_their_agency_anywhere_in_the_district(world):
    elsewhere = Community.objects.filter(street=world.other_street).first()
    person = person_create(
        actor=world.users["social_worker"],
        name="服务对象",
        id_number=resident_id(73),
        community=elsewhere,
        owner_agency=world.agency_a,
    )
    assert Person.objects.for_user(world.users["social_worker"]).filter(pk=person.pk).exists()


def test_a_person_without_an_id_number_is_refused_as_the_import_refuses_it(world):
    with pytest.raises(ValidationError) as info:
        person_create(
            actor=world.users["community_staff"], name="无证件", community=world.home_community
        )
    assert field_errors(info)["id_number"] == ["请输入证件号码。"]
    assert not Person.objects.filter(name="无证件").exists()


def test_audit_history_names_the_actor_and_never_the_values(world):
    person = person_create(
        actor=world.users["district_admin"],
        name="赵六",
        id_number=resident_id(61),
        mobile=mobile(61),
        community=world.home_community,
    )
    entry = LogEntry.objects.get_for_object(person).get()
    assert entry.actor == world.users["district_admin"]
    assert resident_id(61) not in str(entry.changes)
    assert mobile(61) not in str(entry.changes)


# Consents


def consent_args(**overrides):
    args = {
        "kind": ConsentKind.SEPARATE,
        "scope": ConsentScope.PERSONAL_DATA,
        "given_on": datetime.date.today(),
        "given_by": "本人",
    }
    args.update(overrides)
    return args


def test_adult_gives_own_consent(world):
    person = PersonFactory(community=world.home_community, birth_date=datetime.date(1980, 1, 1))
    consent = consent_record(actor=world.users["community_staff"], person=person, **consent_args())
    assert consent.is_active
    assert consent.recorded_by == world.users["community_staff"]


def test_minor_needs_a_guardians_consent(world):
    minor = PersonFactory(
        community=world.home_community,
        birth_date=datetime.date.today().replace(year=datetime.date.today().year - 10, day=1),
    )
    assert minor.is_minor
    with pytest.raises(ValidationError) as info:
        consent_record(actor=world.users["community_staff"], person=minor, **consent_args())
    assert "kind" in field_errors(info)
    assert not Consent.objects.filter(person=minor).exists()

    with pytest.raises(ValidationError) as info:
        consent_record(
            actor=world.users["community_staff"],
            person=minor,
            **consent_args(kind=ConsentKind.GUARDIAN, given_by="张妈妈"),
        )
    assert "guardian_relation" in field_errors(info)
    assert not Consent.objects.filter(person=minor).exists()

    consent = consent_record(
        actor=world.users["community_staff"],
        person=minor,
        **consent_args(kind=ConsentKind.GUARDIAN, given_by="张妈妈", guardian_relation="母亲"),
    )
    assert consent.guardian_relation == "母亲"


def test_consent_cannot_be_dated_in_the_future(world):
    person = PersonFactory(community=world.home_community)
    tomorrow = datetime.date.today() + datetime.timedelta(days=1)
    with pytest.raises(ValidationError) as info:
        consent_record(
            actor=world.users["community_staff"], person=person, **consent_args(given_on=tomorrow)
        )
    assert "given_on" in field_errors(info)
    assert not Consent.objects.exists()


def test_withdraw_consent(world):
    staff = world.users["community_staff"]
    consent = ConsentFactory(
        person=PersonFactory(community=world.home_community),
        recorded_by=staff,
        given_on=datetime.date(2024, 5, 1),
    )
    with pytest.raises(ValidationError):
        consent_withdraw(actor=staff, consent=consent, withdrawn_on=datetime.date(2024, 4, 1))
    consent.refresh_from_db()
    assert consent.is_active

    consent_withdraw(actor=staff, consent=consent, withdrawn_on=datetime.date(2024, 6, 1))
    consent.refresh_from_db()
    assert consent.withdrawn_on == datetime.date(2024, 6, 1)
    assert not consent.is_active

    with pytest.raises(ValidationError) as info:
        consent_withdraw(actor=staff, consent=consent, withdrawn_on=datetime.date(2024, 7, 1))
    assert "withdrawn_on" in field_errors(info)
    consent.refresh_from_db()
    assert consent.withdrawn_on == datetime.date(2024, 6, 1)


def bulk_rows(world, numbers):
    from shegong.imports.tests.sheets import synthetic_id

    return [
        {"name": f"批量{n}", "id_number": synthetic_id(n), "community": world.home_community}
        for n in numbers
    ]


def test_bulk_create_cleans_every_row_like_person_create(world):
    actor = world.users["community_staff"]
    people = people_bulk_create(actor=actor, rows=bulk_rows(world, range(900_000, 900_003)))
    assert len(people) == 3
    saved = Person.objects.get(name="批量900000")
    assert saved.gender and saved.birth_date  # derived from the number
    assert saved.created_by == actor and saved.search_text


def test_bulk_create_refuses_duplicates_and_bad_rows_and_writes_nothing(world):
    actor = world.users["community_staff"]
    people_bulk_create(actor=actor, rows=bulk_rows(world, [900_010]))
    before = Person.objects.count()
    rows = bulk_rows(world, [900_010, 900_011, 900_011, 900_012])
    rows[3]["mobile"] = "12"
    with pytest.raises(ValidationError) as caught:
        people_bulk_create(actor=actor, rows=rows)
    assert set(caught.value.message_dict) == {"0.id_number", "2.id_number", "3.mobile"}
    assert Person.objects.count() == before
    # Run twice (demo data): the people already there are skipped, the others created.
    created = people_bulk_create(actor=actor, rows=rows[:3], skip_existing=True)
    assert [person.name for person in created] == ["批量900011"]
