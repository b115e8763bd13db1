"""Factories for people: valid synthetic resident ID numbers (GB 11643-1999) and mobiles.

Every number is generated, never copied from a real person: area code 350206 (湖里区), a birth
date from the sequence, a three-digit sequence whose parity gives the gender, and the MOD 11-2
check digit. The rows go through the same encrypted fields as real data.
"""

import datetime

import factory
from stdnum.cn import ric

from shegong.people.choices import ConsentKind, ConsentScope, Gender, IdType
from shegong.people.models import Consent, Person
from shegong.people.search import search_text_for

AREA_CODE = "350206"
FIRST_BIRTH_DATE = datetime.date(1950, 1, 1)


def resident_id(
    n: int, *, birth_date: datetime.date | None = None, male: bool | None = None, area=AREA_CODE
) -> str:
    """The n-th synthetic resident ID: distinct for distinct n, always passing validation."""
    if birth_date is None:
        # Walk through ~27k distinct days (1950-2024) so numbers spread over ages.
        birth_date = FIRST_BIRTH_DATE + datetime.timedelta(days=(n * 37) % 27000)
    # An odd sequence means male; with a gender asked for, numbers stay distinct for n < 500.
    sequence = n % 1000 if male is None else 2 * (n % 500) + (1 if male else 0)
    body = f"{area}{birth_date:%Y%m%d}{sequence:03d}"
    # stdnum's calc_check_digit expects the full 18 characters and ignores the last one.
    return body + ric.calc_check_digit(body + "0")


def mobile(n: int) -> str:
    return f"{13800000000 + n}"


def _gender_of(number: str) -> str:
    return Gender.MALE if int(number[16]) % 2 else Gender.FEMALE


def _birth_date_of(number: str) -> datetime.date:
    return datetime.date(int(number[6:10]), int(number[10:12]), int(number[12:14]))


class PersonFactory(factory.django.DjangoModelFactory):
    """A person with a valid resident ID. ``community`` and ``owner_agency`` are up to the test.

    Gender and birth date are derived from the ID number, as ``person_create`` would. Pass
    ``birth_date=`` to get an ID number for that date (handy for minors).
    """

    class Meta:
        model = Person
        exclude = ("n",)

    n = factory.Sequence(lambda n: n + 1)
    name = factory.Sequence(lambda n: f"居民{n + 1}")
    id_type = IdType.RESIDENT_ID
    birth_date = None
    id_number = factory.LazyAttribute(lambda o: resident_id(o.n, birth_date=o.birth_date))
    mobile = factory.LazyAttribute(lambda o: mobile(o.n))
    gender = factory.LazyAttribute(lambda o: _gender_of(o.id_number))
    search_text = factory.LazyAttribute(lambda o: search_text_for(o.name))

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        number = kwargs.get("id_number")
        if number and kwargs.get("id_type", IdType.RESIDENT_ID) == IdType.RESIDENT_ID:
            kwargs["birth_date"] = _birth_date_of(number)
        return super()._create(model_class, *args, **kwargs)

    @classmethod
    def _build(cls, model_class, *args, **kwargs):
        number = kwargs.get("id_number")
        if number and kwargs.get("id_type", IdType.RESIDENT_ID) == IdType.RESIDENT_ID:
            kwargs["birth_date"] = _birth_date_of(number)
        return super()._build(model_class, *args, **kwargs)


class ConsentFactory(factory.django.DjangoModelFactory):
    """A consent given by the person themself; ``recorded_by`` must be passed (a User)."""

    class Meta:
        model = Consent

    person = factory.SubFactory(PersonFactory)
    kind = ConsentKind.SEPARATE
    scope = ConsentScope.PERSONAL_DATA
    given_on = factory.LazyFunction(datetime.date.today)
    given_by = factory.LazyAttribute(lambda o: o.person.name)
