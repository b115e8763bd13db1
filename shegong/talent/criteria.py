"""The library of eligibility criteria: typed rules a policy is composed of, stored as data
(``Criterion.kind`` + ``Criterion.params``).

Each kind validates its own parameters (``clean``) and evaluates a person's facts to a
:class:`Verdict`: passed or not, with a sentence a person understands. Nothing here evaluates
user-entered expressions; a policy can only choose kinds from ``KINDS`` and fill their
parameters. Evaluation is pure Python over :class:`Facts` loaded in bulk by ``eligibility.py``,
so a criterion never queries the database.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from shegong.talent.choices import LEVEL_RANK, QualificationLevel, Title, TitleTier


class Verdict:
    """Passed or not, and why. The sentence is built when first read (``text`` may be given as
    a function of no arguments): a batch over the whole district decides thousands of pairs and
    reads few of their sentences, and translating and formatting is most of a verdict's cost."""

    __slots__ = ("kind", "passed", "_text")

    def __init__(self, kind: str, passed: bool, text):
        self.kind, self.passed, self._text = kind, passed, text

    @property
    def text(self) -> str:
        if callable(self._text):
            self._text = str(self._text())
        return self._text

    def __repr__(self):
        return f"Verdict({self.kind!r}, {self.passed!r}, {self.text!r})"

    def as_dict(self) -> dict:
        return {"kind": self.kind, "passed": self.passed, "text": self.text}


@dataclass
class Facts:
    """What the criteria need to know about one person, loaded for many at once."""

    person_id: int
    profile_id: int
    birth_date: datetime.date | None = None
    id_type: str = ""
    # (level, obtained_on) of every qualification.
    qualifications: list[tuple[str, datetime.date]] = field(default_factory=list)
    # (title, tier, first year, last year) of every title.
    titles: list[tuple[str, str, int, int]] = field(default_factory=list)
    # (agency name, agency in the district, started_on, ended_on or None).
    employments: list[tuple[str, bool, datetime.date, datetime.date | None]] = field(
        default_factory=list
    )
    business_in_district: bool = False
    business_name: str = ""
    # Per policy id: the amount committed or paid to this person (公示, scheduled, paid).
    received: dict[int, Decimal] = field(default_factory=dict)
    # Per policy id: the amount of it whose 公示 started in each year.
    received_by_year: dict[tuple[int, int], Decimal] = field(default_factory=dict)
    # Per policy id: the status of the person's live application under it, if any.
    applied: dict[int, str] = field(default_factory=dict)
    # An organisation applying for itself (``person_id`` and ``profile_id`` are then 0; the
    # amounts above are the agency's): its name, registration date and whether it is registered
    # in the district, and its park tenancies as (park name, first day, last day).
    agency_id: int = 0
    agency_name: str = ""
    registered_on: datetime.date | None = None
    agency_in_district: bool = False
    tenancies: list[tuple[str, datetime.date, datetime.date]] = field(default_factory=list)


@dataclass(frozen=True)
class Context:
    """What an evaluation needs besides the person: the day, the policy and the amount."""

    today: datetime.date
    policy_id: int
    amount: Decimal = Decimal("0")


LEVEL_LABELS = {level.value: level.label for level in QualificationLevel}


def _level_label(level: str) -> str:
    return str(LEVEL_LABELS.get(level, level))


def _int_param(params: dict, name: str, *, low: int, high: int) -> int:
    value = params.get(name)
    if isinstance(value, bool) or not isinstance(value, (int, str)):
        raise ValidationError({name: [_("Enter a whole number.")]})
    try:
        number = int(value)
    except ValueError:
        raise ValidationError({name: [_("Enter a whole number.")]}) from None
    if not low <= number <= high:
        raise ValidationError(
            {name: [_("Enter a number from %(low)s to %(high)s.") % {"low": low, "high": high}]}
        )
    return number


def _strings_among(values, allowed) -> bool:
    """A JSON list of strings, each one of ``allowed`` (a list or an object inside it is a
    wrong value, not a crash)."""
    return isinstance(values, list) and all(
        isinstance(value, str) and value in allowed for value in values
    )


def money_param(value, name: str) -> Decimal:
    try:
        amount = Decimal(str(value))
    except (InvalidOperation, ValueError, TypeError):
        raise ValidationError({name: [_("Enter an amount in yuan, e.g. 5000.")]}) from None
    if not amount.is_finite() or amount < 0 or amount > Decimal("9999999999.99"):
        raise ValidationError({name: [_("Enter an amount in yuan, e.g. 5000.")]})
    if amount != amount.quantize(Decimal("0.01")):
        raise ValidationError({name: [_("Amounts are in yuan with at most two decimals.")]})
    # "-0" is zero, not a negative zero stored and shown as "-0.00".
    return abs(amount.quantize(Decimal("0.01")))


# Whom a criterion can judge: a person's facts, an organisation's, or either (what was paid).
PERSON = "person"
ORGANISATION = "organisation"
EITHER = "either"


class CriterionKind:
    code: str = ""
    label = ""
    applies_to = PERSON

    def clean(self, params: dict) -> dict:
        """The parameters this kind accepts, normalised; ValidationError keyed by parameter."""
        return {}

    def evaluate(self, facts: Facts, params: dict, ctx: Context) -> Verdict:
        raise NotImplementedError  # each kind of the library evaluates its own criterion

    def verdict(self, passed: bool, text: str) -> Verdict:
        return Verdict(self.code, passed, text)


def months_between(start: datetime.date, end: datetime.date) -> int:
    """Whole months from ``start`` to ``end`` (a month counts once its day is reached)."""
    months = (end.year - start.year) * 12 + end.month - start.month
    if end.day < start.day:
        months -= 1
    return max(months, 0)


def age_on(birth: datetime.date, today: datetime.date) -> int:
    return today.year - birth.year - ((today.month, today.day) < (birth.month, birth.day))


class QualificationAtLeast(CriterionKind):
    code = "qualification_min"
    label = gettext_lazy("Qualification at least a level")

    def clean(self, params):
        level = params.get("level")
        if not isinstance(level, str) or level not in LEVEL_RANK:
            raise ValidationError({"level": [_("Choose assistant, intermediate or senior.")]})
        taiwan_as = params.get("taiwan_as", "")
        if not isinstance(taiwan_as, str) or taiwan_as not in ("", *LEVEL_RANK):
            raise ValidationError(
                {"taiwan_as": [_("Choose the level a Taiwan licence counts as, or none.")]}
            )
        return {"level": level, "taiwan_as": taiwan_as}

    def evaluate(self, facts, params, ctx):
        needed = LEVEL_RANK[params["level"]]
        best, best_level = 0, ""
        for level, obtained_on in facts.qualifications:
            if obtained_on > ctx.today:
                continue
            counted = params.get("taiwan_as", "") if level == QualificationLevel.TAIWAN else level
            rank = LEVEL_RANK.get(counted, 0)
            if rank > best:
                best, best_level = rank, level
        wanted = params["level"]
        if best >= needed:
            return self.verdict(
                True,
                lambda: (
                    _("You hold %(held)s, which meets the required %(wanted)s or above.")
                    % {"held": _level_label(best_level), "wanted": _level_label(wanted)}
                ),
            )
        if best_level:
            return self.verdict(
                False,
                lambda: (
                    _("You hold %(held)s; this policy needs %(wanted)s or above.")
                    % {"held": _level_label(best_level), "wanted": _level_label(wanted)}
                ),
            )
        return self.verdict(
            False,
            lambda: (
                _(
                    "No social-work qualification is on your profile; "
                    "this policy needs %(wanted)s or above."
                )
                % {"wanted": _level_label(wanted)}
            ),
        )


class EmployedMonths(CriterionKind):
    code = "employed_months"
    label = gettext_lazy("Employed by an agency registered in the district for some months")

    def clean(self, params):
        return {"months": _int_param(params, "months", low=0, high=600)}

    def evaluate(self, facts, params, ctx):
        needed = params["months"]
        best, best_agency = -1, ""
        for agency, in_district, started, ended in facts.employments:
            if not in_district or started > ctx.today or (ended and ended < ctx.today):
                continue
            months = months_between(started, ctx.today)
            if months > best:
                best, best_agency = months, agency
        if best < 0:
            return self.verdict(
                False,
                lambda: (
                    _(
                        "You are not employed by an agency registered in the district; "
                        "this policy needs %(months)s months there."
                    )
                    % {"months": needed}
                ),
            )
        if best >= needed:
            return self.verdict(
                True,
                lambda: (
                    _("You have worked at %(agency)s for %(held)s months (%(months)s needed).")
                    % {"agency": best_agency, "held": best, "months": needed}
                ),
            )
        return self.verdict(
            False,
            lambda: (
                _(
                    "You have worked at %(agency)s for %(held)s months; "
                    "this policy needs %(months)s."
                )
                % {"agency": best_agency, "held": best, "months": needed}
            ),
        )


class TitleHeld(CriterionKind):
    code = "title_held"
    label = gettext_lazy("Holds a talent title")

    def clean(self, params):
        titles = params.get("titles") or list(Title.values)
        tiers = params.get("tiers") or list(TitleTier.values)
        if not _strings_among(titles, Title.values):
            raise ValidationError({"titles": [_("Choose leading or top talent.")]})
        if not _strings_among(tiers, TitleTier.values):
            raise ValidationError({"tiers": [_("Choose city or district.")]})
        return {"titles": sorted(titles), "tiers": sorted(tiers)}

    def evaluate(self, facts, params, ctx):
        def names():
            return "、".join(
                f"{TitleTier(tier).label}{Title(title).label}"
                for title in params["titles"]
                for tier in params["tiers"]
            )

        for title, tier, first, last in facts.titles:
            if (
                title in params["titles"]
                and tier in params["tiers"]
                and first <= ctx.today.year <= last
            ):
                held = f"{TitleTier(tier).label}{Title(title).label}"
                return self.verdict(
                    True,
                    _("You hold the title %(title)s, valid until %(year)s.")
                    % {"title": held, "year": last},
                )
        return self.verdict(
            False, lambda: _("This policy needs a valid title: %(titles)s.") % {"titles": names()}
        )


class NotPaidBefore(CriterionKind):
    code = "not_paid_before"
    label = gettext_lazy("Not already paid under this policy")
    applies_to = EITHER

    def evaluate(self, facts, params, ctx):
        received = facts.received.get(ctx.policy_id, Decimal("0"))
        if received > 0:
            return self.verdict(
                False,
                lambda: (
                    _("You have already been awarded %(amount)s yuan under this policy.")
                    % {"amount": received}
                ),
            )
        return self.verdict(True, lambda: _("You have not been paid under this policy before."))


class CumulativeCap(CriterionKind):
    code = "cumulative_cap"
    label = gettext_lazy("Cumulative cap under this policy")
    applies_to = EITHER

    def clean(self, params):
        return {"cap": str(money_param(params.get("cap"), "cap"))}

    def evaluate(self, facts, params, ctx):
        cap = Decimal(params["cap"])
        received = facts.received.get(ctx.policy_id, Decimal("0"))
        if received + ctx.amount <= cap:
            return self.verdict(
                True,
                lambda: (
                    _("With this award you would have %(total)s yuan of the %(cap)s yuan cap.")
                    % {"total": received + ctx.amount, "cap": cap}
                ),
            )
        return self.verdict(
            False,
            lambda: (
                _(
                    "You have received %(received)s yuan; %(amount)s "
                    "more would pass the %(cap)s yuan cap."
                )
                % {"received": received, "amount": ctx.amount, "cap": cap}
            ),
        )


class TaiwanPermit(CriterionKind):
    code = "taiwan_permit"
    label = gettext_lazy("Holds a Taiwan residence permit")

    def evaluate(self, facts, params, ctx):
        if facts.id_type == "tw_permit":
            return self.verdict(
                True, lambda: _("You hold a residence permit for Taiwan residents.")
            )
        return self.verdict(
            False,
            lambda: _("This policy is for holders of a residence permit for Taiwan residents."),
        )


class BusinessInDistrict(CriterionKind):
    code = "business_in_district"
    label = gettext_lazy("Business registered in the district")

    def evaluate(self, facts, params, ctx):
        if facts.business_in_district:
            return self.verdict(
                True,
                lambda: (
                    _("Your business %(name)s is registered in the district.")
                    % {"name": facts.business_name}
                ),
            )
        return self.verdict(
            False,
            lambda: _(
                "This policy needs a business registered in the district; none is on record."
            ),
        )


class AgeAtMost(CriterionKind):
    code = "age_max"
    label = gettext_lazy("Age at most")

    def clean(self, params):
        return {"age": _int_param(params, "age", low=16, high=100)}

    def evaluate(self, facts, params, ctx):
        limit = params["age"]
        if facts.birth_date is None:
            return self.verdict(
                False,
                lambda: (
                    _(
                        "Your birth date is not on record; this policy is "
                        "for people aged %(age)s or under."
                    )
                    % {"age": limit}
                ),
            )
        age = age_on(facts.birth_date, ctx.today)
        if age <= limit:
            return self.verdict(
                True,
                lambda: (
                    _("You are %(age)s, within the limit of %(limit)s.")
                    % {"age": age, "limit": limit}
                ),
            )
        return self.verdict(
            False,
            lambda: (
                _("You are %(age)s; this policy is for people aged %(limit)s or under.")
                % {"age": age, "limit": limit}
            ),
        )


class AgencyRegisteredMonths(CriterionKind):
    """The applying organisation has been registered in the district for at least ``months``
    months, counted from its registration date (``Agency.registered_on``) as
    ``months_between`` counts: registered on 15 March, it has 12 months on 15 March a year
    later, 11 the day before. ``at_most`` (optional) keeps a grant for new organisations to
    those registered no more than that many months ago."""

    code = "agency_registered_months"
    label = gettext_lazy("Organisation registered in the district for some months")
    applies_to = ORGANISATION

    def clean(self, params):
        cleaned = {"months": _int_param(params, "months", low=0, high=600)}
        if params.get("at_most") not in (None, ""):
            at_most = _int_param(params, "at_most", low=0, high=600)
            if at_most < cleaned["months"]:
                raise ValidationError(
                    {"at_most": [_("The upper limit cannot be below the months required.")]}
                )
            cleaned["at_most"] = at_most
        return cleaned

    def evaluate(self, facts, params, ctx):
        needed = params["months"]
        at_most = params.get("at_most")
        name = facts.agency_name
        if not facts.agency_in_district:
            return self.verdict(
                False,
                lambda: _("%(agency)s is not registered in the district.") % {"agency": name},
            )
        registered = facts.registered_on
        if registered is None or registered > ctx.today:
            return self.verdict(
                False,
                lambda: (
                    _(
                        "The registration date of %(agency)s is not on record; this policy "
                        "needs %(months)s months since registration."
                    )
                    % {"agency": name, "months": needed}
                ),
            )
        held = months_between(registered, ctx.today)
        values = {"agency": name, "date": registered, "held": held, "months": needed}
        if at_most is not None and held > at_most:
            return self.verdict(
                False,
                lambda: (
                    _(
                        "%(agency)s was registered on %(date)s, %(held)s months ago; this "
                        "policy is for organisations registered within %(at_most)s months."
                    )
                    % {**values, "at_most": at_most}
                ),
            )
        if held >= needed:
            return self.verdict(
                True,
                lambda: (
                    _(
                        "%(agency)s was registered on %(date)s, %(held)s months ago "
                        "(%(months)s needed)."
                    )
                    % values
                ),
            )
        return self.verdict(
            False,
            lambda: (
                _(
                    "%(agency)s was registered on %(date)s, %(held)s months ago; "
                    "this policy needs %(months)s."
                )
                % values
            ),
        )


class ParkTenant(CriterionKind):
    """The applying organisation is a tenant of the incubation park on the day: a signed
    contract whose first and last days include it (a terminated one ends on its last day)."""

    code = "park_tenant"
    label = gettext_lazy("Organisation is a tenant of the incubation park")
    applies_to = ORGANISATION

    def evaluate(self, facts, params, ctx):
        name = facts.agency_name
        for park, first, last in facts.tenancies:
            if first <= ctx.today <= last:
                return self.verdict(
                    True,
                    lambda park=park, last=last: (
                        _("%(agency)s is a tenant of %(park)s, under a contract until %(date)s.")
                        % {"agency": name, "park": park, "date": last}
                    ),
                )
        return self.verdict(
            False,
            lambda: (
                _("%(agency)s has no tenancy contract in force in the incubation park on %(date)s.")
                % {"agency": name, "date": ctx.today}
            ),
        )


KINDS: dict[str, CriterionKind] = {
    kind.code: kind
    for kind in (
        QualificationAtLeast(),
        EmployedMonths(),
        TitleHeld(),
        NotPaidBefore(),
        CumulativeCap(),
        TaiwanPermit(),
        BusinessInDistrict(),
        AgeAtMost(),
        AgencyRegisteredMonths(),
        ParkTenant(),
    )
}


def fits_applicant(kind: str, applicant_kind: str) -> bool:
    """Whether a criterion of ``kind`` can judge applicants of a policy for ``applicant_kind``:
    an organisation's registration or tenancy says nothing about a person, and a person's
    qualification nothing about an organisation."""
    applies_to = KINDS[kind].applies_to
    if applies_to == EITHER:
        return True
    return (applies_to == ORGANISATION) == (applicant_kind == ORGANISATION)


def kind_choices() -> list[tuple[str, str]]:
    return [(code, str(kind.label)) for code, kind in KINDS.items()]


def clean_criterion(kind: str, params) -> dict:
    """The parameters of a criterion of ``kind``, validated; ValidationError keyed ``kind`` or
    ``params.<name>``."""
    if kind not in KINDS:
        raise ValidationError({"kind": [_("Choose a criterion from the list.")]})
    if not isinstance(params, dict):
        raise ValidationError({"params": [_("Parameters must be a set of named values.")]})
    try:
        return KINDS[kind].clean(params)
    except ValidationError as error:
        raise ValidationError(
            {f"params.{name}": messages for name, messages in error.message_dict.items()}
        ) from None


def evaluate(kind: str, params: dict, facts: Facts, ctx: Context) -> Verdict:
    return KINDS[kind].evaluate(facts, params, ctx)
