"""Identity validation: what a user typing an ID number or a mobile is told."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from stdnum.cn import ric

from shegong.people.choices import Gender, IdType
from shegong.people.tests.factories import resident_id
from shegong.people.validators import validate_id_number, validate_mobile

TODAY = datetime.date(2025, 6, 1)


def with_check_digit(body17: str) -> str:
    return body17 + ric.calc_check_digit(body17 + "0")


def error_of(id_type, number, today=TODAY) -> ValidationError:
    with pytest.raises(ValidationError) as info:
        validate_id_number(id_type, number, today=today)
    return info.value


def code_of(id_type, number, today=TODAY) -> str:
    """Codes, not wording: the wording is translated and may be reworded."""
    return error_of(id_type, number, today).error_list[0].code


def test_valid_resident_id_gives_birth_date_and_gender():
    number = with_check_digit("35020619900307001")  # sequence 001: odd, male
    facts = validate_id_number(IdType.RESIDENT_ID, number, today=TODAY)
    assert facts.birth_date == datetime.date(1990, 3, 7)
    assert facts.gender == Gender.MALE
    female = with_check_digit("35020619900307002")
    assert validate_id_number(IdType.RESIDENT_ID, female, today=TODAY).gender == Gender.FEMALE


def test_spaces_and_lower_case_x_are_normalised():
    number = resident_id(7)
    spaced = f"{number[:6]} {number[6:14]} {number[14:]}".lower()
    assert validate_id_number(IdType.RESIDENT_ID, spaced, today=TODAY).number == number


def test_wrong_check_digit_is_refused():
    number = resident_id(3)
    wrong = number[:-1] + ("1" if number[-1] != "1" else "2")
    assert code_of(IdType.RESIDENT_ID, wrong) == "checksum"


def test_impossible_birth_date_is_refused():
    assert code_of(IdType.RESIDENT_ID, with_check_digit("35020619990230001")) == "birth_date"


def test_future_birth_date_is_refused():
    assert code_of(IdType.RESIDENT_ID, with_check_digit("35020620300101001")) == "birth_date"


def test_unknown_area_code_is_refused():
    assert code_of(IdType.RESIDENT_ID, with_check_digit("99999919900101001")) == "area"


def test_area_created_after_the_birth_year_is_accepted():
    # 湖里区 (350206) dates from 1987; people born before then still hold 350206 numbers.
    number = with_check_digit("35020619500101001")
    assert validate_id_number(IdType.RESIDENT_ID, number, today=TODAY).birth_date.year == 1950


def test_wrong_length_and_letters_are_refused():
    assert code_of(IdType.RESIDENT_ID, "35020619900101") == "length"
    assert code_of(IdType.RESIDENT_ID, "3502061990010100AB") == "format"


@pytest.mark.parametrize(
    ("id_type", "prefix"),
    [
        (IdType.HK_PERMIT, "810000"),
        (IdType.MACAU_PERMIT, "820000"),
        (IdType.TAIWAN_PERMIT, "830000"),
    ],
)
def test_residence_permits(id_type, prefix):
    number = with_check_digit(f"{prefix}19850615002")
    facts = validate_id_number(id_type, number, today=TODAY)
    assert facts.birth_date == datetime.date(1985, 6, 15)
    assert facts.gender == Gender.FEMALE
    # The same number typed as a resident ID points the user to the permit type.
    assert code_of(IdType.RESIDENT_ID, number) == "type"
    # A permit of another kind must carry its own prefix.
    other = IdType.HK_PERMIT if id_type != IdType.HK_PERMIT else IdType.TAIWAN_PERMIT
    assert code_of(other, number) == "prefix"


def test_permit_checksum_is_checked():
    number = with_check_digit("83000019850615002")
    wrong = number[:-1] + ("1" if number[-1] != "1" else "2")
    assert code_of(IdType.TAIWAN_PERMIT, wrong) == "checksum"


def test_passports():
    assert validate_id_number(IdType.PASSPORT, "e 12345678", today=TODAY).number == "E12345678"
    assert validate_id_number(IdType.PASSPORT, "E12345678", today=TODAY).birth_date is None
    assert code_of(IdType.PASSPORT, "E1-23") == "format"
    assert code_of(IdType.PASSPORT, "1234") == "format"


def test_empty_and_unknown_type():
    assert code_of(IdType.RESIDENT_ID, "  ") == "required"
    assert code_of("driving_licence", resident_id(1)) == "id_type"


@pytest.mark.parametrize(
    "value",
    [
        "13800001234",
        "138 0000 1234",
        "138-0000-1234",
        "+8613800001234",
        "１３８００００１２３４",  # full-width, as an input method types them
        "13８0000１234",
        "＋８６ 138\u30000000 1234",
    ],
)
def test_valid_mobiles_are_normalised(value):
    assert validate_mobile(value) == "13800001234"


@pytest.mark.parametrize(
    "value",
    # The last: Arabic-Indic digits are digits to Python's \\d, not to a phone.
    [
        "1380000123",
        "12800001234",
        "23800001234",
        "1380000123a",
        "",
        "138\u0660\u0660\u0660\u06601234",
    ],
)
def test_malformed_mobiles_are_refused(value):
    with pytest.raises(ValidationError) as info:
        validate_mobile(value)
    assert info.value.error_list[0].code == "mobile"


def test_messages_never_echo_the_number():
    number = resident_id(11)
    wrong = number[:-1] + ("1" if number[-1] != "1" else "2")
    assert all(wrong not in m for m in error_of(IdType.RESIDENT_ID, wrong).messages)


def test_a_full_width_id_number_is_the_same_number():
    number = resident_id(7)
    full_width = "".join(chr(ord(c) + 0xFEE0) for c in number)
    assert validate_id_number(IdType.RESIDENT_ID, full_width).number == number
    assert validate_id_number(IdType.RESIDENT_ID, full_width.lower()).number == number
