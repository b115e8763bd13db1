"""Text every field accepts: printable characters only (DESIGN §4.6, bad input gets a clear error).

One validator for every CharField and TextField of every domain model, so pages and the API
(whose services end in ``full_clean``) refuse the same things; bulk imports that skip
``full_clean`` must run the field validators on each cell:

- control characters (NUL, ESC, BEL, vertical tab, DEL, C1): they break exports (Excel refuses
  them), terminals and search; only multi-line text keeps newline, carriage return and tab;
- bidirectional overrides and isolates (U+202A–U+202E, U+2066–U+2069): they make a name read
  differently from what is stored ("Trojan Source" spoofing);
- lone surrogates, which cannot be stored as UTF-8;
- Unicode noncharacters (U+FDD0–U+FDEF, U+xxFFFE/U+xxFFFF in every plane) and anything else
  XML 1.0 disallows: one such character in a stored name makes every .xlsx export invalid.

Single-line text also refuses line and paragraph separators (U+2028/U+2029) and the bidi marks
(LRM, RLM, ALM): a name is one line, and a mark there only changes how it reads.

``visible_text`` adds, for names, that the value has at least one visible character: a name of
only zero-width, blank, filler or combining characters looks empty on every page.
"""

import datetime
import re
import unicodedata

from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator, MaxValueValidator, MinValueValidator
from django.utils import timezone
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext_lazy as _

BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
# Refused in one-line text only: separators break the line, marks (LRM, RLM, ALM) reorder it.
SINGLE_LINE_REFUSED = frozenset("\u2028\u2029\u200e\u200f\u061c")


def _refused_pattern(*, multiline: bool) -> re.Pattern:
    """One character class for everything refused. Every text field of every write and every
    imported cell is scanned, and a compiled class does it in one C loop rather than a Python
    call per character (``test_validators`` checks it against ``unicodedata`` on every code
    point). Control characters (category Cc) are exactly U+0000–U+001F and U+007F–U+009F; lone
    surrogates (Cs) exactly U+D800–U+DFFF; noncharacters U+FDD0–U+FDEF and the last two code
    points of every plane."""
    controls = r"\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f" if multiline else r"\x00-\x1f\x7f-\x9f"
    noncharacters = r"\ufdd0-\ufdef\ufffe\uffff" + "".join(
        rf"\U{plane:04x}fffe\U{plane:04x}ffff" for plane in range(1, 17)
    )
    refused = BIDI_CONTROLS if multiline else BIDI_CONTROLS | SINGLE_LINE_REFUSED
    others = "".join(f"\\u{ord(char):04x}" for char in sorted(refused))
    return re.compile(f"[{controls}\\ud800-\\udfff{noncharacters}{others}]")


@deconstructible
class PrintableTextValidator:
    """Refuse control characters (bar newline/CR/tab with ``multiline``) and bidi overrides."""

    message = _("Remove the control or invisible formatting characters from this text.")
    code = "control_characters"

    def __init__(self, multiline: bool = False):
        self.multiline = multiline
        self.pattern = _refused_pattern(multiline=multiline)

    def __call__(self, value) -> None:
        if isinstance(value, str) and self.pattern.search(value):
            raise ValidationError(self.message, code=self.code)

    def __eq__(self, other) -> bool:
        return isinstance(other, PrintableTextValidator) and other.multiline == self.multiline

    def __hash__(self) -> int:
        return hash((type(self), self.multiline))


single_line_text = PrintableTextValidator()
multi_line_text = PrintableTextValidator(multiline=True)


# Letters and symbols that render as blank: Hangul fillers, the blank Braille pattern, the
# Khmer inherent vowels (the latter are also combining marks).
BLANK_FILLERS = frozenset("\u3164\u115f\u1160\uffa0\u2800\u17b4\u17b5")
# Cf: zero-width space/joiners, BOM, bidi marks; Z*: every kind of blank; M*: combining marks
# (accents, variation selectors, the grapheme joiner), which show nothing on their own.
INVISIBLE_CATEGORIES = frozenset({"Cf", "Zs", "Zl", "Zp", "Cc", "Mn", "Me", "Mc"})


def _invisible(char: str) -> bool:
    return (
        char in BLANK_FILLERS
        or char.isspace()
        or unicodedata.category(char) in INVISIBLE_CATEGORIES
    )


def visible_text(value) -> None:
    """A name must show something: refuse values without one visible character."""
    if isinstance(value, str) and value and all(_invisible(char) for char in value):
        raise ValidationError(
            _("Enter visible characters, not only blank or zero-width ones."), code="invisible"
        )


# The largest id or integer the database stores (64-bit signed); past it the driver fails.
DB_INTEGER_MAX = 2**63 - 1

# Long free text (notes, summaries): room for pages of writing, not for a pasted file.
LONG_TEXT_MAX_LENGTH = 20_000
long_text_length = MaxLengthValidator(LONG_TEXT_MAX_LENGTH)


# Dates: the earliest a person alive today or a record of this service can plausibly carry.
# Typos such as 0001-01-01 or 2999-01-01 otherwise pass as valid dates and poison ages,
# statistics and case numbers (which carry the intake year).
EARLIEST_BIRTH_DATE = datetime.date(1900, 1, 1)
EARLIEST_RECORD_DATE = datetime.date(1990, 1, 1)
LATEST_PLANNED_DATE = datetime.date(2099, 12, 31)


def not_in_future(value) -> None:
    """For what has already happened: births, intakes, contacts, consents. "Today" is the
    district's (``TIME_ZONE``; no request activates another zone), read without the lookup of
    the active zone, which costs as much as the rest of a row of an import."""
    today = timezone.localdate(timezone=timezone.get_default_timezone())
    if isinstance(value, datetime.date) and value > today:
        raise ValidationError(_("This date cannot be in the future."), code="future")


birth_date_bounds = [MinValueValidator(EARLIEST_BIRTH_DATE), not_in_future]
past_record_date_bounds = [MinValueValidator(EARLIEST_RECORD_DATE), not_in_future]
planned_date_bounds = [
    MinValueValidator(EARLIEST_RECORD_DATE),
    MaxValueValidator(LATEST_PLANNED_DATE),
]


# --- in services -------------------------------------------------------------------------------
# Every service write runs the model's validators before it saves: a row created with
# ``objects.create`` or saved with ``update_fields`` skips them otherwise, and then the API
# stores what the page refuses. Errors are keyed by the input field that fed the model field.


def model_errors(instance, *, exclude=(), rename=None) -> dict[str, list[str]]:
    """What ``full_clean`` says about ``instance`` (``exclude``: fields not yet set, such as a
    parent saved afterwards), keyed by input field (``rename``: model field → input field)."""
    try:
        instance.full_clean(exclude=list(exclude))
    except ValidationError as error:
        return _renamed(error, rename)
    return {}


def field_errors(instance, names, *, rename=None) -> dict[str, list[str]]:
    """The validators of the named fields only: for updates of a few fields of a row whose
    other fields a service does not touch."""
    errors: dict[str, list[str]] = {}
    for name in names:
        field = instance._meta.get_field(name)
        try:
            field.clean(getattr(instance, field.attname), instance)
        except ValidationError as error:
            key = (rename or {}).get(name, name)
            errors.setdefault(key, []).extend(error.messages)
    return errors


def _renamed(error: ValidationError, rename) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    for field, messages in error.message_dict.items():
        errors.setdefault((rename or {}).get(field, field), []).extend(messages)
    return errors


def validated_create(model, *, rename=None, **values):
    """``model.objects.create`` after ``full_clean``; a ValidationError keyed by input field."""
    instance = model(**values)
    errors = model_errors(instance, rename=rename)
    if errors:
        raise ValidationError(errors)
    instance.save()
    return instance
