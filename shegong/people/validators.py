"""Identity validation: resident IDs (GB 11643-1999), residence permits, passports, mobiles.

Built on python-stdnum's ``cn.ric`` pieces, with the area-code lookup cached because it
dominates the cost and area codes repeat (an import of 100k rows has a few hundred distinct ones).
"""

import datetime
import re
from dataclasses import dataclass
from functools import lru_cache

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from stdnum.cn import ric

from shegong.people.choices import PERMIT_PREFIX, Gender, IdType

PERMIT_AREAS = frozenset(PERMIT_PREFIX.values())
MOBILE_RE = re.compile(r"^1[3-9]\d{9}$", re.ASCII)
PASSPORT_RE = re.compile(r"^[A-Z0-9]{5,20}$")
GB11643_RE = re.compile(r"^\d{17}[\dX]$", re.ASCII)


@dataclass(frozen=True)
class IdFacts:
    """What an ID number tells us once validated."""

    number: str
    birth_date: datetime.date | None = None
    gender: str | None = None


@lru_cache(maxsize=8192)
def _area_periods(area: str) -> tuple[tuple[int | None, int | None], ...]:
    """The years an area code was in use, from python-stdnum's table: one lookup per code.

    Entries look like "[1987-]湖里区" or "[1983-1986]郊区,[1987-]集美区"; a name without years
    has always been in use (None bounds). No entry at all: the code never existed.
    """
    from stdnum import numdb

    info = {k: v for _part, props in numdb.get("cn/loc").info(area) for k, v in props.items()}
    periods = []
    for county in info.get("county", "").split(",") if info else ():
        if not county.startswith("["):
            periods.append((None, None))
            continue
        start, _sep, end = county[1:].split("]")[0].partition("-")
        periods.append((int(start) if start else None, int(end) if end else None))
    return tuple(periods)


def _area_known(area: str, birth_year: int) -> bool:
    """Whether the area code was in use at some time between the birth year and now.

    A number is assigned where the person's household is registered when the card is first
    issued, which may be long after birth: someone born in 1950 in today's 湖里区 (created
    1987) holds a 350206 number. A code abolished before the birth year is impossible.
    """
    return any(end is None or end >= birth_year for _start, end in _area_periods(area))


# Full-width letters and digits (an input method's １３８…, ＡＢ) as their ASCII forms: a number
# typed either way is the same number, stored and indexed once. Other scripts' digits stay
# what they are and fail the ASCII patterns.
HALFWIDTH = {code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)} | {0x3000: 0x20}


def normalise_id_number(value: str) -> str:
    return re.sub(r"\s+", "", (value or "").translate(HALFWIDTH)).upper()


def _gb11643_facts(number: str, *, today: datetime.date) -> IdFacts:
    if len(number) != 18:
        raise ValidationError(_("An ID number has 18 characters."), code="length")
    if not GB11643_RE.match(number):
        raise ValidationError(
            _("An ID number is 17 digits followed by a digit or X."), code="format"
        )
    if ric.calc_check_digit(number) != number[-1]:
        raise ValidationError(_("The ID number's check digit is wrong."), code="checksum")
    try:
        birth_date = datetime.date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError as exc:
        raise ValidationError(
            _("The birth date in the ID number does not exist."), code="birth_date"
        ) from exc
    if birth_date > today or birth_date.year < 1880:
        raise ValidationError(
            _("The birth date in the ID number is impossible."), code="birth_date"
        )
    gender = Gender.MALE if int(number[16]) % 2 else Gender.FEMALE
    return IdFacts(number=number, birth_date=birth_date, gender=gender)


def validate_id_number(id_type: str, value: str, *, today: datetime.date | None = None) -> IdFacts:
    """Validate an ID number of the given type; return it normalised with derived facts.

    Raises ``ValidationError`` with a message a user can act on. Messages never echo the number.
    """
    today = today or datetime.date.today()
    number = normalise_id_number(value)
    if not number:
        raise ValidationError(_("Enter the ID number."), code="required")
    if id_type == IdType.PASSPORT:
        if not PASSPORT_RE.match(number):
            raise ValidationError(
                _("A passport number is 5 to 20 letters or digits."), code="format"
            )
        return IdFacts(number=number)
    if id_type == IdType.RESIDENT_ID:
        facts = _gb11643_facts(number, today=today)
        if number[:6] in PERMIT_AREAS:
            raise ValidationError(
                _("This is a residence permit number: choose the residence permit ID type."),
                code="type",
            )
        if not _area_known(number[:6], facts.birth_date.year):
            raise ValidationError(_("The area code in the ID number does not exist."), code="area")
        return facts
    prefix = PERMIT_PREFIX.get(id_type)
    if prefix is None:
        raise ValidationError(_("Unknown ID type."), code="id_type")
    facts = _gb11643_facts(number, today=today)
    if not number.startswith(prefix):
        raise ValidationError(
            _("A residence permit of this kind starts with %(prefix)s.") % {"prefix": prefix},
            code="prefix",
        )
    return facts


def normalise_mobile(value: str) -> str:
    digits = re.sub(r"[\s-]", "", (value or "").translate(HALFWIDTH))
    if digits.startswith("+86"):
        digits = digits[3:]
    return digits


def validate_mobile(value: str) -> str:
    mobile = normalise_mobile(value)
    if not MOBILE_RE.match(mobile):
        raise ValidationError(
            _("A mobile number is 11 digits starting with 13 to 19."), code="mobile"
        )
    return mobile
