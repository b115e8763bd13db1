"""The rent schedule of a tenancy contract and where the tenant stands against it.

Pure functions of the contract's terms (no database), so the rules are easy to read and to test
by hand. The rules, decided here once:

* **Periods.** Rent is charged per calendar month. A contract that starts or ends inside a month
  has a short first or last period.
* **Free months run from the first tenancy.** The free months count from ``free_from``, the first
  day of the tenant's first tenancy in the park, not from the start of each contract: a tenant
  who renews after two years has one free year left, and one who left and came back has no
  free months left to restart. (Huli's policy frees a young organisation for its first three
  years in the park, not per contract.)
* **The anniversary.** Rent starts on the day ``free_months`` months after ``free_from`` (the
  same day of the month). When that month has no such day (29 February in a common year, 31st in
  a 30-day month) rent starts on the 1st of the month after: the tenant keeps the whole last
  month free rather than lose a day.
* **Proration by days.** A period pays ``monthly rent × (100 − discount) % × chargeable days ÷
  days of that calendar month``, rounded to the fen half up, once per period (never per day):
  a full month at the discount pays exactly the discounted monthly rent, and a leap February has
  29 days to divide by.
* **When rent is due.** A period's rent is due on its first day and must be paid within
  ``GRACE_DAYS``; unpaid after that it is in arrears. Payments settle the oldest periods first.
"""

import calendar
import datetime
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

ZERO = Decimal("0.00")
HUNDRED = Decimal("100")
GRACE_DAYS = 15


def fen(value: Decimal) -> Decimal:
    return Decimal(value).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def month_days(day: datetime.date) -> int:
    return calendar.monthrange(day.year, day.month)[1]


def anniversary(start: datetime.date, months: int) -> datetime.date:
    """``months`` months after ``start``, same day of the month; a day the month lacks rolls to
    the 1st of the month after (29 Feb 2024 + 36 months = 1 Mar 2027)."""
    index = start.year * 12 + start.month - 1 + months
    year, month = divmod(index, 12)
    month += 1
    if start.day <= calendar.monthrange(year, month)[1]:
        return datetime.date(year, month, start.day)
    return datetime.date(year + month // 12, month % 12 + 1, 1)


@dataclass(frozen=True)
class Line:
    start: datetime.date
    end: datetime.date
    days: int  # days of the period
    month_days: int  # days of its calendar month
    chargeable_days: int  # days of the period after the free months
    amount: Decimal

    @property
    def due_on(self) -> datetime.date:
        return self.start

    @property
    def pay_by(self) -> datetime.date:
        return self.start + datetime.timedelta(days=GRACE_DAYS)

    @property
    def phase(self) -> str:
        if self.chargeable_days == 0:
            return "free"
        if self.chargeable_days < self.days:
            return "partly_free"
        return "charged"

    @property
    def month(self) -> str:
        return f"{self.start:%Y-%m}"


def rent_lines(
    *,
    start: datetime.date,
    last_day: datetime.date,
    monthly_rent: Decimal,
    free_from: datetime.date,
    free_months: int,
    discount_percent: Decimal,
) -> list[Line]:
    """One line per calendar month (or part of one) from ``start`` to ``last_day`` inclusive."""
    charge_from = anniversary(free_from, free_months)
    share = (HUNDRED - Decimal(discount_percent)) / HUNDRED
    lines = []
    period_start = start
    while period_start <= last_day:
        days_in_month = month_days(period_start)
        month_end = period_start.replace(day=days_in_month)
        period_end = min(month_end, last_day)
        days = (period_end - period_start).days + 1
        first_charged = max(period_start, charge_from)
        chargeable = max(0, (period_end - first_charged).days + 1)
        amount = fen(Decimal(monthly_rent) * share * chargeable / days_in_month)
        lines.append(Line(period_start, period_end, days, days_in_month, chargeable, amount))
        period_start = month_end + datetime.timedelta(days=1)
    return lines


@dataclass(frozen=True)
class LineStanding:
    line: Line
    paid: Decimal  # what the payments settle of this line, oldest line first
    state: str  # "free", "paid", "part_paid", "unpaid" (due, not yet late), "overdue", "not_due"

    @property
    def outstanding(self) -> Decimal:
        return self.line.amount - self.paid


@dataclass(frozen=True)
class Standing:
    lines: list[LineStanding]
    total: Decimal  # the whole contract's rent
    due: Decimal  # rent of the periods begun by ``today``
    paid: Decimal  # net of reversals
    owed: Decimal  # due and not paid (including the current period within its grace days)
    arrears: Decimal  # past its pay-by day and not paid
    months_overdue: int
    oldest_overdue: datetime.date | None
    credit: Decimal  # paid ahead of what is due

    @property
    def remaining(self) -> Decimal:
        """What the tenant may still pay under this contract."""
        return max(ZERO, self.total - self.paid)


def standing(lines: list[Line], paid: Decimal, today: datetime.date) -> Standing:
    """Allocate ``paid`` to the lines oldest first and say what is owed and overdue on ``today``."""
    # In yuan and fen, however the database summed it (SQLite returns Decimal("11900")).
    paid = fen(paid)
    left = paid
    rows = []
    due = arrears = ZERO
    months_overdue = 0
    oldest = None
    for line in lines:
        settled = min(left, line.amount) if left > 0 else ZERO
        left -= settled
        begun = line.due_on <= today
        if begun:
            due += line.amount
        if line.amount == 0:
            state = "free"
        elif settled == line.amount:
            state = "paid"
        elif not begun:
            state = "part_paid" if settled else "not_due"
        elif line.pay_by < today:
            state = "overdue"
            arrears += line.amount - settled
            months_overdue += 1
            oldest = oldest or line.due_on
        else:
            state = "part_paid" if settled else "unpaid"
        rows.append(LineStanding(line, settled, state))
    total = sum((line.amount for line in lines), ZERO)
    return Standing(
        lines=rows,
        total=total,
        due=due,
        paid=Decimal(paid),
        owed=max(ZERO, due - paid),
        arrears=arrears,
        months_overdue=months_overdue,
        oldest_overdue=oldest,
        credit=max(ZERO, Decimal(paid) - due),
    )
