"""Key rotation and index rebuilding: the commands an operator runs when a key changes."""

import io

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import connection

from shegong.core import crypto
from shegong.people.models import Person
from shegong.people.selectors import people_search
from shegong.people.services import person_create
from shegong.people.tests.factories import PersonFactory


@pytest.fixture
def fresh_cipher():
    crypto._keyring.cache_clear()
    yield
    crypto._keyring.cache_clear()


def raw_columns() -> dict[int, tuple[str, str]]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT id, id_number, mobile FROM people_person")
        return {row[0]: (row[1], row[2]) for row in cursor.fetchall()}


def run(command: str) -> str:
    out = io.StringIO()
    call_command(command, batch_size=2, stdout=out)
    return out.getvalue()


@pytest.mark.django_db
def test_rotate_re_encrypts_everything_under_the_new_key(settings, fresh_cipher):
    key_a, key_b = crypto.generate_key(), crypto.generate_key()
    settings.SHEGONG_FIELD_KEYS = [key_a]
    crypto._keyring.cache_clear()
    people = [PersonFactory() for _ in range(5)]
    plain = {p.pk: (p.id_number, p.mobile) for p in people}
    indexes = dict(Person.objects.values_list("pk", "id_number_index"))
    updated = dict(Person.objects.values_list("pk", "updated_at"))
    before = raw_columns()

    settings.SHEGONG_FIELD_KEYS = [key_b, key_a]
    crypto._keyring.cache_clear()
    output = run("rotate_field_keys")
    assert "people.Person: 5 rows re-encrypted" in output

    settings.SHEGONG_FIELD_KEYS = [key_b]  # the old key is gone
    crypto._keyring.cache_clear()
    after = raw_columns()
    for pk, (id_number, mobile) in plain.items():
        assert after[pk][0] != before[pk][0] and after[pk][1] != before[pk][1]
        person = Person.objects.get(pk=pk)
        assert (person.id_number, person.mobile) == (id_number, mobile)
    # Indexes and the record's own history are untouched by a key change.
    assert dict(Person.objects.values_list("pk", "id_number_index")) == indexes
    assert dict(Person.objects.values_list("pk", "updated_at")) == updated
    raw = repr(after)
    assert not any(secret in raw for pair in plain.values() for secret in pair)


@pytest.mark.django_db
def test_without_rotation_dropping_the_old_key_breaks_decryption(settings, fresh_cipher):
    key_a, key_b = crypto.generate_key(), crypto.generate_key()
    settings.SHEGONG_FIELD_KEYS = [key_a]
    crypto._keyring.cache_clear()
    person = PersonFactory()
    settings.SHEGONG_FIELD_KEYS = [key_b]
    crypto._keyring.cache_clear()
    with pytest.raises(ValueError):
        Person.objects.get(pk=person.pk)


@pytest.mark.django_db
def test_rebuild_blind_indexes_after_the_index_key_changed(settings, world):
    person = PersonFactory()
    settings.SHEGONG_INDEX_KEY = "a-new-index-key-for-the-test-0123456789"
    # With the new key the stored indexes no longer match: exact search misses the person.
    assert not people_search(Person.objects.all(), person.id_number).exists()

    output = run("rebuild_blind_indexes")
    assert "people.Person: 1 rows" in output
    assert people_search(Person.objects.all(), person.id_number).get() == person
    assert people_search(Person.objects.all(), person.mobile).get() == person
    # De-duplication works again under the new key.
    with pytest.raises(ValidationError) as info:
        person_create(
            actor=world.users["district_admin"],
            name="重复",
            id_number=person.id_number,
            community=world.home_community,
        )
    assert person.id_number_masked in info.value.message_dict["id_number"][0]
