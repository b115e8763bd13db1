"""Encryption at rest and blind indexes."""

import pytest
from django.db import connection

from shegong.core import crypto
from shegong.core.masks import mask_id_number, mask_mobile
from shegong.people.models import Person


@pytest.fixture
def fresh_cipher():
    crypto._keyring.cache_clear()
    yield
    crypto._keyring.cache_clear()


def test_encryption_round_trips_and_is_not_deterministic():
    token_a, token_b = crypto.encrypt("350206199001011234"), crypto.encrypt("350206199001011234")
    assert token_a != token_b
    assert crypto.decrypt(token_a) == "350206199001011234"


def test_blind_index_is_stable_and_purpose_bound():
    assert crypto.blind_index("13800001111", purpose="mobile") == crypto.blind_index(
        "13800001111", purpose="mobile"
    )
    assert crypto.blind_index("13800001111", purpose="mobile") != crypto.blind_index(
        "13800001111", purpose="id_number"
    )


def test_wrong_key_error_names_no_value(settings, fresh_cipher):
    token = crypto.encrypt("13800001111")
    settings.SHEGONG_FIELD_KEYS = [crypto.generate_key()]
    crypto._keyring.cache_clear()
    with pytest.raises(ValueError) as excinfo:
        crypto.decrypt(token)
    assert "13800001111" not in str(excinfo.value)
    assert token not in str(excinfo.value)


@pytest.mark.django_db
def test_person_columns_hold_ciphertext_only():
    person = Person.objects.create(
        name="王五", id_type="passport", id_number="E9988776", mobile="13912345678"
    )
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT id_number, mobile, id_number_index FROM people_person WHERE id = %s",
            [person.pk],
        )
        raw_id, raw_mobile, index = cursor.fetchone()
    assert "E9988776" not in raw_id and "13912345678" not in raw_mobile
    assert index == crypto.blind_index("E9988776", purpose="id_number")
    assert Person.objects.get(pk=person.pk).mobile == "13912345678"


def test_masks():
    assert mask_id_number("35020619900101123X") == "3502**********123X"
    assert mask_mobile("13812345678") == "138****5678"
    assert mask_id_number("") == "" and mask_mobile("") == ""
