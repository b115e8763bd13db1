"""Money sums that are exact to the cent on every database.

SQLite stores a ``DecimalField`` as a number and adds numbers as floats, so ``Sum("amount")``
over 0.10 and 0.20 comes back as 0.30000000000000004 (and Django rounds only columns to their
places, not aggregates); PostgreSQL adds ``numeric`` exactly. A sum of amounts to the cent is a
whole number of cents, and a float's error over any realistic ledger is far below half a cent,
so rounding the total back to the cent gives the exact sum on both databases.
"""

from decimal import Decimal

from django.db.models import DecimalField, Func, Sum

CENTS = 2


class _RoundedToTheCent:
    def get_db_converters(self, connection):
        quantum = Decimal(1).scaleb(-self.output_field.decimal_places)

        def to_the_cent(value, expression, connection):
            return None if value is None else Decimal(value).quantize(quantum)

        return [*super().get_db_converters(connection), to_the_cent]


class MoneySum(_RoundedToTheCent, Sum):
    """``Sum`` of a money column, rounded back to the cent (see the module docstring)."""

    def __init__(self, *expressions, places: int = CENTS, **extra):
        extra.setdefault("output_field", DecimalField(max_digits=20, decimal_places=places))
        super().__init__(*expressions, **extra)


class Money(_RoundedToTheCent, Func):
    """Any money expression's value rounded back to the cent: a sum read through a subquery
    (the outer query converts the subquery's value, not the sum inside it)."""

    template = "%(expressions)s"

    def __init__(self, expression, places: int = CENTS):
        super().__init__(
            expression, output_field=DecimalField(max_digits=20, decimal_places=places)
        )
