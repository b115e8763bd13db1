"""Working days on the State Council's calendar: hand-counted periods over 国庆 2025 and 春节,
the plain weekday case, and one query per count."""

import datetime

import pytest

from shegong.core.holidays import SCHEDULES, days_of
from shegong.core.models import CalendarDay
from shegong.core.workdays import add_working_days

pytestmark = pytest.mark.django_db

D = datetime.date


def test_the_migration_seeded_the_published_years():
    assert set(SCHEDULES) == {2024, 2025, 2026}
    for year in SCHEDULES:
        seeded = set(
            CalendarDay.objects.filter(date__year=year).values_list("date", "kind", "name")
        )
        assert seeded == set(days_of(year))
    # Spot checks against the notices' text.
    assert CalendarDay.objects.get(date=D(2025, 10, 8)).kind == "holiday"
    assert CalendarDay.objects.get(date=D(2025, 9, 28)).kind == "workday"
    assert CalendarDay.objects.get(date=D(2025, 10, 11)).kind == "workday"
    assert CalendarDay.objects.filter(date__range=(D(2026, 2, 15), D(2026, 2, 23))).count() == 9


def test_a_notice_before_national_day_2025_skips_the_holiday_and_counts_the_sunday():
    # Fri 26 Sep, five working days: Sun 28 (调休), Mon 29, Tue 30, [1–8 Oct off], Thu 9, Fri 10.
    assert add_working_days(D(2025, 9, 26), 5) == D(2025, 10, 10)


def test_a_make_up_saturday_can_be_the_last_day():
    # Tue 30 Sep, three working days: [1–8 Oct off], Thu 9, Fri 10, Sat 11 (调休上班).
    assert add_working_days(D(2025, 9, 30), 3) == D(2025, 10, 11)


def test_a_notice_spanning_the_spring_festival():
    # 2026: Fri 13 Feb, five working days: Sat 14 (调休), [15–23 Feb off], Tue 24 … Fri 27.
    assert add_working_days(D(2026, 2, 13), 5) == D(2026, 2, 27)
    # 2025: Fri 24 Jan, six: Sun 26 (调休), Mon 27, [28 Jan – 4 Feb off], Wed 5, Thu 6, Fri 7,
    # Sat 8 Feb (调休).
    assert add_working_days(D(2025, 1, 24), 6) == D(2025, 2, 8)


def test_plain_weeks_count_monday_to_friday():
    assert add_working_days(D(2026, 3, 2), 5) == D(2026, 3, 9)
    assert add_working_days(D(2026, 3, 11), 5) == D(2026, 3, 18)
    assert add_working_days(D(2026, 3, 13), 1) == D(2026, 3, 16)  # Friday → Monday
    assert add_working_days(D(2026, 3, 13), 0) == D(2026, 3, 13)


def test_a_day_the_district_adds_is_skipped(world):
    from shegong.core.services import calendar_day_add

    calendar_day_add(
        actor=world.users["district_admin"], date=D(2026, 3, 3), kind="holiday", name="测试假日"
    )
    assert add_working_days(D(2026, 3, 2), 5) == D(2026, 3, 10)


def test_one_query_per_count_however_long_the_period(django_assert_num_queries):
    with django_assert_num_queries(1):
        add_working_days(D(2025, 9, 26), 30)
    with django_assert_num_queries(1):
        add_working_days(D(2026, 1, 20), 20)


def test_more_holidays_than_the_margin_still_count_right():
    CalendarDay.objects.bulk_create(
        CalendarDay(date=D(2030, 1, 1) + datetime.timedelta(days=n), kind="holiday", name="长假")
        for n in range(120)
    )
    # 1 Jan 2030 is a Tuesday; the first working day after the 120 days off is Wed 1 May.
    assert D(2030, 5, 1).weekday() == 2
    assert add_working_days(D(2029, 12, 31), 1) == D(2030, 5, 1)
