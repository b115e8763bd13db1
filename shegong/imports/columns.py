"""Columns of an import file and how a header row is matched to them (shared by every kind).

Users type headers in Chinese or English, with stray spaces or a "*" marking required ones;
each column names its template header, its key and its aliases, and ``map_header`` finds them
all whatever the order, naming the missing required ones.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _


@dataclass(frozen=True)
class Column:
    key: str  # unique within the kind: row errors and the error report name the column by it
    header: str  # the header of the template file; the message for a missing column names it
    label: object  # shown on the job page (lazy)
    aliases: tuple[str, ...] = ()
    required: bool = False


class RowsChanged(Exception):
    """A row that passed the check cannot be imported any more (the database changed)."""

    def __init__(self, row_number: int):
        super().__init__(row_number)
        self.row_number = row_number


def normalise(text) -> str:
    return "".join(str(text or "").split()).strip("*＊").lower()


def missing_columns_message(missing: list[str]) -> str:
    return _(
        "The file lacks required columns: %(columns)s. The first row must hold the column "
        "names of the template."
    ) % {"columns": "、".join(missing)}


def map_header(
    columns: Iterable[Column],
    header: list[str],
    message: Callable[[list[str]], str] = missing_columns_message,
) -> dict[str, int]:
    """Column key -> position in the row. A missing required column raises a ValidationError
    naming it (``message`` words it)."""
    columns = tuple(columns)
    wanted: dict[str, str] = {}
    for column in columns:
        for name in (column.header, column.key, *column.aliases):
            wanted.setdefault(normalise(name), column.key)
    positions: dict[str, int] = {}
    for index, text in enumerate(header):
        key = wanted.get(normalise(text))
        if key and key not in positions:
            positions[key] = index
    missing = [
        column.header for column in columns if column.required and column.key not in positions
    ]
    if missing:
        raise ValidationError(message(missing), code="columns")
    return positions
