"""The State Council's holiday schedules (放假调休安排), as published each autumn for the next
year, seeded into the working-day calendar (``CalendarDay``) by core's migrations.

Each year names its notice. A holiday period is written as the notice gives it ("X月X日至Y日放假
调休"), weekends inside it included, so the calendar page reads like the notice; "与周末连休"
names only the holiday itself. Make-up working days (调休上班) are the Saturdays and Sundays
the notice lists as "上班".

A year is added here only from its published notice, with a new migration that seeds that year
(``seed_years``); district administrators can also add and delete days on the calendar page.
Not here: 2027 (not known to this module when it was written) — add it from its notice.
"""

import datetime
from dataclasses import dataclass

HOLIDAY = "holiday"
WORKDAY = "workday"


@dataclass(frozen=True)
class Schedule:
    source: str
    holidays: tuple[tuple[str, str, str], ...]  # (name, first day, last day)
    workdays: tuple[tuple[str, str], ...]  # (name of the holiday it belongs to, day)


SCHEDULES = {
    2024: Schedule(
        source="国务院办公厅关于2024年部分节假日安排的通知（2023年10月25日）",
        holidays=(
            ("元旦", "2024-01-01", "2024-01-01"),
            ("春节", "2024-02-10", "2024-02-17"),
            ("清明节", "2024-04-04", "2024-04-06"),
            ("劳动节", "2024-05-01", "2024-05-05"),
            ("端午节", "2024-06-10", "2024-06-10"),
            ("中秋节", "2024-09-15", "2024-09-17"),
            ("国庆节", "2024-10-01", "2024-10-07"),
        ),
        workdays=(
            ("春节", "2024-02-04"),
            ("春节", "2024-02-18"),
            ("清明节", "2024-04-07"),
            ("劳动节", "2024-04-28"),
            ("劳动节", "2024-05-11"),
            ("中秋节", "2024-09-14"),
            ("国庆节", "2024-09-29"),
            ("国庆节", "2024-10-12"),
        ),
    ),
    2025: Schedule(
        source="国务院办公厅关于2025年部分节假日安排的通知（国办发明电〔2024〕12号，2024年11月12日）",
        holidays=(
            ("元旦", "2025-01-01", "2025-01-01"),
            ("春节", "2025-01-28", "2025-02-04"),
            ("清明节", "2025-04-04", "2025-04-06"),
            ("劳动节", "2025-05-01", "2025-05-05"),
            ("端午节", "2025-05-31", "2025-06-02"),
            ("国庆节、中秋节", "2025-10-01", "2025-10-08"),
        ),
        workdays=(
            ("春节", "2025-01-26"),
            ("春节", "2025-02-08"),
            ("劳动节", "2025-04-27"),
            ("国庆节、中秋节", "2025-09-28"),
            ("国庆节、中秋节", "2025-10-11"),
        ),
    ),
    2026: Schedule(
        source="国务院办公厅关于2026年部分节假日安排的通知（2025年11月4日）",
        holidays=(
            ("元旦", "2026-01-01", "2026-01-03"),
            ("春节", "2026-02-15", "2026-02-23"),
            ("清明节", "2026-04-04", "2026-04-06"),
            ("劳动节", "2026-05-01", "2026-05-05"),
            ("端午节", "2026-06-19", "2026-06-21"),
            ("中秋节", "2026-09-25", "2026-09-27"),
            ("国庆节", "2026-10-01", "2026-10-07"),
        ),
        workdays=(
            ("元旦", "2026-01-04"),
            ("春节", "2026-02-14"),
            ("春节", "2026-02-28"),
            ("劳动节", "2026-05-09"),
            ("国庆节", "2026-09-20"),
            ("国庆节", "2026-10-10"),
        ),
    ),
}


def days_of(year: int) -> list[tuple[datetime.date, str, str]]:
    """(date, kind, name) for every day of the year's schedule."""
    schedule = SCHEDULES[year]
    rows = []
    for name, first, last in schedule.holidays:
        day = datetime.date.fromisoformat(first)
        while day <= datetime.date.fromisoformat(last):
            rows.append((day, HOLIDAY, name))
            day += datetime.timedelta(days=1)
    for name, day in schedule.workdays:
        rows.append((datetime.date.fromisoformat(day), WORKDAY, f"{name}调休上班"))
    return sorted(rows)


def seed_years(calendar_day_model, years) -> None:
    """Insert the years' days that are not on the calendar yet (a migration's RunPython)."""
    known = set(calendar_day_model.objects.values_list("date", flat=True))
    calendar_day_model.objects.bulk_create(
        calendar_day_model(date=day, kind=kind, name=name)
        for year in years
        for day, kind, name in days_of(year)
        if day not in known
    )
