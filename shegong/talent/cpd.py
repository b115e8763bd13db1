"""Continuing-education hours (继续教育学时) per 3-year registration period.

The hours come from every app registered with ``core.registry.add_cpd_source`` (the training
academy's completed classes) and from the entries recorded here by hand, which this app
registers as a source like any other. The requirement: an assistant social worker needs 72 hours
in a period, a social worker or a senior social worker 90 (DESIGN §6).
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext as _

from shegong.core.registry import CpdCredit, cpd_credits_for
from shegong.talent.choices import LEVEL_RANK, QualificationLevel

PERIOD_YEARS = 3
REQUIRED_HOURS = {
    QualificationLevel.ASSISTANT: Decimal("72"),
    QualificationLevel.INTERMEDIATE: Decimal("90"),
    QualificationLevel.SENIOR: Decimal("90"),
}


def manual_credits(person_ids) -> list[CpdCredit]:
    """This app's own source: the entries recorded by hand that a keeper of the profile has
    accepted after reading their evidence (awaiting or refused ones count nothing), one query."""
    from shegong.talent.choices import CpdReview
    from shegong.talent.models import CpdEntry

    rows = CpdEntry.objects.filter(
        profile__person_id__in=list(person_ids), review=CpdReview.ACCEPTED
    ).values_list("profile__person_id", "date", "hours", "label")
    return [
        CpdCredit(person_id=p, date=d, hours=h, label=label, source="talent")
        for p, d, h, label in rows
    ]


def _years_later(day: datetime.date, years: int) -> datetime.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


@dataclass(frozen=True)
class CpdStatus:
    starts: datetime.date | None
    ends: datetime.date | None
    required: Decimal
    earned: Decimal
    credits: tuple[CpdCredit, ...]

    @property
    def missing(self) -> Decimal:
        return max(self.required - self.earned, Decimal("0"))

    @property
    def met(self) -> bool:
        return self.required > 0 and self.earned >= self.required

    @property
    def percent(self) -> int:
        if self.required <= 0:
            return 0
        return min(100, int(self.earned * 100 / self.required))


def period_containing(
    first: datetime.date, today: datetime.date
) -> tuple[datetime.date, datetime.date]:
    """The 3-year period, counted from ``first``, that holds ``today`` (the last one if today is
    before ``first``)."""
    start = first
    while _years_later(start, PERIOD_YEARS) <= today:
        start = _years_later(start, PERIOD_YEARS)
    return start, _years_later(start, PERIOD_YEARS) - datetime.timedelta(days=1)


def best_national_level(levels) -> str:
    ranked = [level for level in levels if level in LEVEL_RANK]
    return max(ranked, key=LEVEL_RANK.get, default="")


def cpd_status(profile, today: datetime.date) -> CpdStatus:
    qualifications = list(profile.qualifications.all())
    level = best_national_level(q.level for q in qualifications)
    first = profile.registration_start or min(
        (q.obtained_on for q in qualifications if q.level in LEVEL_RANK), default=None
    )
    required = REQUIRED_HOURS.get(level, Decimal("0"))
    credits = tuple(cpd_credits_for([profile.person_id]))
    if first is None:
        return CpdStatus(None, None, required, Decimal("0"), credits)
    starts, ends = period_containing(first, today)
    in_period = tuple(c for c in credits if starts <= c.date <= ends)
    earned = sum((c.hours for c in in_period), Decimal("0"))
    return CpdStatus(starts, ends, required, earned, in_period)


def cpd_sentence(status: CpdStatus) -> str:
    if status.required <= 0:
        return _("No national qualification yet: continuing-education hours start with one.")
    if status.met:
        return _("%(earned)s of %(required)s hours this period: the requirement is met.") % {
            "earned": status.earned,
            "required": status.required,
        }
    return _("%(earned)s of %(required)s hours this period: %(missing)s more by %(ends)s.") % {
        "earned": status.earned,
        "required": status.required,
        "missing": status.missing,
        "ends": status.ends,
    }
