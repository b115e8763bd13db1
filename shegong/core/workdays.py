"""Working days: Monday to Friday, less the public holidays, plus the Saturdays and Sundays the
State Council moves work to (调休上班), as kept in ``CalendarDay``. Periods counted in working
days (the talent app's 公示) go through :func:`add_working_days`."""

import datetime

from shegong.core.models import CalendarDay

# The calendar rows are read for this many days past the naive end of the period: enough for
# the longest run of holidays (春节 and 国庆 are at most nine days with their weekends) several
# times over, so one query answers any period a policy may set.
MARGIN_DAYS = 60


def _naive_end(start: datetime.date, days: int) -> datetime.date:
    # Monday–Friday alone: five working days per seven calendar days, plus a weekend.
    return start + datetime.timedelta(days=days // 5 * 7 + days % 5 + 2)


def add_working_days(start: datetime.date, days: int) -> datetime.date:
    """The day ``days`` working days after ``start`` (``start`` itself not counted): holidays
    skipped, make-up Saturdays and Sundays counted. One query for the calendar of the period."""
    if days <= 0:
        return start
    last = _naive_end(start, days) + datetime.timedelta(days=MARGIN_DAYS)
    kinds = dict(
        CalendarDay.objects.filter(date__gt=start, date__lte=last).values_list("date", "kind")
    )
    day, left = start, days
    while left > 0:
        day += datetime.timedelta(days=1)
        if day > last:
            # A calendar with more holidays than any schedule has had: read the next stretch.
            return add_working_days(day - datetime.timedelta(days=1), left)
        if is_working_day(day, kinds.get(day)):
            left -= 1
    return day


def is_working_day(day: datetime.date, kind: str | None) -> bool:
    """Whether ``day`` is worked, given its calendar entry's kind (None: an ordinary day)."""
    if kind == CalendarDay.Kind.HOLIDAY:
        return False
    if kind == CalendarDay.Kind.WORKDAY:
        return True
    return day.weekday() < 5
