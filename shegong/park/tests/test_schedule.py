"""The rent schedule, computed by hand at its boundaries: the anniversary of the free months
inside a month, leap Februaries, short first and last months, rounding to the fen, and what
payments settle."""

import datetime as dt
from decimal import Decimal as D

import pytest

from shegong.park.schedule import anniversary, rent_lines, standing


@pytest.mark.parametrize(
    ("start", "months", "expected"),
    [
        (dt.date(2023, 3, 15), 36, dt.date(2026, 3, 15)),
        # 29 February has no anniversary in a common year: rent starts on 1 March.
        (dt.date(2024, 2, 29), 36, dt.date(2027, 3, 1)),
        (dt.date(2024, 2, 29), 48, dt.date(2028, 2, 29)),
        (dt.date(2023, 1, 31), 1, dt.date(2023, 3, 1)),
        (dt.date(2023, 12, 31), 2, dt.date(2024, 3, 1)),
        (dt.date(2023, 11, 30), 1, dt.date(2023, 12, 30)),
        (dt.date(2023, 5, 1), 0, dt.date(2023, 5, 1)),
    ],
)
def test_anniversary(start, months, expected):
    assert anniversary(start, months) == expected


def lines(**terms):
    base = {
        "monthly_rent": D("3000.00"),
        "free_months": 36,
        "discount_percent": D("50"),
    }
    return rent_lines(**{**base, **terms})


def by_month(schedule):
    return {line.month: line for line in schedule}


def test_the_month_of_the_third_anniversary_is_prorated_by_days():
    # In the park since 15 March 2023: free to 14 March 2026. March 2026 has 31 days, of
    # which 15–31 (17 days) are charged at half of 3,000: 1,500 × 17 / 31 = 822.580… → 822.58.
    schedule = by_month(
        lines(
            start=dt.date(2025, 1, 1),
            last_day=dt.date(2026, 12, 31),
            free_from=dt.date(2023, 3, 15),
        )
    )
    assert schedule["2026-02"].amount == D("0.00")
    assert schedule["2026-02"].phase == "free"
    march = schedule["2026-03"]
    assert (march.days, march.month_days, march.chargeable_days) == (31, 31, 17)
    assert march.amount == D("822.58")
    assert march.phase == "partly_free"
    assert schedule["2026-04"].amount == D("1500.00")
    assert schedule["2026-04"].phase == "charged"
    assert len(schedule) == 24
    assert sum(line.amount for line in schedule.values()) == D("822.58") + 9 * D("1500.00")


def test_a_leap_february_divides_by_29_days():
    # Free to 14 Feb 2024; 15–29 February (15 of 29 days) at half of 2,900:
    # 1,450 × 15 / 29 = 750.00. The same date in 2025 (28 days): 1,450 × 14 / 28 = 725.00.
    leap = by_month(
        lines(
            start=dt.date(2024, 1, 1),
            last_day=dt.date(2024, 3, 31),
            free_from=dt.date(2021, 2, 15),
            monthly_rent=D("2900.00"),
        )
    )
    assert (leap["2024-02"].month_days, leap["2024-02"].chargeable_days) == (29, 15)
    assert leap["2024-02"].amount == D("750.00")
    common = by_month(
        lines(
            start=dt.date(2025, 1, 1),
            last_day=dt.date(2025, 3, 31),
            free_from=dt.date(2022, 2, 15),
            monthly_rent=D("2900.00"),
        )
    )
    assert (common["2025-02"].month_days, common["2025-02"].chargeable_days) == (28, 14)
    assert common["2025-02"].amount == D("725.00")


def test_a_tenant_since_29_february_keeps_the_whole_of_february_free():
    schedule = by_month(
        lines(
            start=dt.date(2027, 1, 1),
            last_day=dt.date(2027, 3, 31),
            free_from=dt.date(2024, 2, 29),
            monthly_rent=D("2900.00"),
        )
    )
    assert schedule["2027-02"].amount == D("0.00")
    assert schedule["2027-03"].amount == D("1450.00")


def test_short_first_and_last_months_are_prorated():
    # No free months, no discount: 20–31 January is 12 of 31 days of 3,100 = 1,200.00;
    # 1–10 March is 10 of 31 days = 1,000.00.
    schedule = lines(
        start=dt.date(2026, 1, 20),
        last_day=dt.date(2026, 3, 10),
        free_from=dt.date(2026, 1, 20),
        free_months=0,
        discount_percent=D("0"),
        monthly_rent=D("3100.00"),
    )
    assert [(line.start, line.end, line.amount) for line in schedule] == [
        (dt.date(2026, 1, 20), dt.date(2026, 1, 31), D("1200.00")),
        (dt.date(2026, 2, 1), dt.date(2026, 2, 28), D("3100.00")),
        (dt.date(2026, 3, 1), dt.date(2026, 3, 10), D("1000.00")),
    ]


def test_rounding_is_to_the_fen_half_up_once_per_month():
    # 1.01 at half: 0.505 → 0.51 (banker's rounding would give 0.50).
    schedule = lines(
        start=dt.date(2026, 1, 1),
        last_day=dt.date(2026, 1, 31),
        free_from=dt.date(2020, 1, 1),
        monthly_rent=D("1.01"),
    )
    assert schedule[0].amount == D("0.51")


def test_a_renewal_counts_the_free_months_from_the_first_tenancy():
    # In the park since 1 Jan 2023; the second contract from 1 Jan 2026 is charged from day one.
    schedule = lines(
        start=dt.date(2026, 1, 1), last_day=dt.date(2026, 6, 30), free_from=dt.date(2023, 1, 1)
    )
    assert {line.amount for line in schedule} == {D("1500.00")}


def test_standing_settles_the_oldest_months_first_and_counts_arrears_after_the_grace_days():
    schedule = lines(
        start=dt.date(2026, 1, 1),
        last_day=dt.date(2026, 6, 30),
        free_from=dt.date(2020, 1, 1),
    )
    # 10 April: January–April are due (6,000); April is within its 15 days of grace.
    today = dt.date(2026, 4, 10)
    result = standing(schedule, D("2000.00"), today)
    states = [row.state for row in result.lines]
    assert states == ["paid", "overdue", "overdue", "unpaid", "not_due", "not_due"]
    assert result.lines[1].paid == D("500.00")
    assert result.due == D("6000.00")
    assert result.owed == D("4000.00")
    assert result.arrears == D("2500.00")  # 1,000 of February + 1,500 of March
    assert result.months_overdue == 2
    assert result.oldest_overdue == dt.date(2026, 2, 1)
    assert result.total == D("9000.00")
    assert result.remaining == D("7000.00")
    assert result.credit == D("0.00")


def test_paying_ahead_is_credit_and_no_arrears():
    schedule = lines(
        start=dt.date(2026, 1, 1),
        last_day=dt.date(2026, 3, 31),
        free_from=dt.date(2020, 1, 1),
    )
    result = standing(schedule, D("4000.00"), dt.date(2026, 2, 20))
    assert result.arrears == D("0.00")
    assert result.owed == D("0.00")
    assert result.credit == D("1000.00")
    assert [row.state for row in result.lines] == ["paid", "paid", "part_paid"]


def test_free_months_owe_nothing():
    schedule = lines(
        start=dt.date(2026, 1, 1),
        last_day=dt.date(2026, 12, 31),
        free_from=dt.date(2026, 1, 1),
    )
    result = standing(schedule, D("0"), dt.date(2026, 12, 31))
    assert result.total == D("0.00")
    assert {row.state for row in result.lines} == {"free"}
    assert result.months_overdue == 0


def test_the_paid_sum_is_in_yuan_and_fen_whatever_the_database_returns():
    # SQLite sums decimals to Decimal("11900"): the standing still reads 11900.00 (API, export).
    schedule = lines(
        start=dt.date(2020, 1, 1), last_day=dt.date(2020, 12, 31), free_from=dt.date(2016, 1, 1)
    )
    result = standing(schedule, D("11900"), dt.date(2020, 12, 31))
    assert (str(result.paid), str(result.credit), str(result.owed)) == (
        "11900.00",
        "0.00",
        "6100.00",
    )
