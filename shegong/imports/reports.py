"""The error report of an import: one line per problem, written while the rows are checked.

It holds what a user needs to find and fix a row (row number, name, the masked ID number, the
column and the reason) and never a full ID number or mobile.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from django.core.files import File
from django.utils.translation import gettext as _
from openpyxl import Workbook

from shegong.core.exports import safe_row


class ErrorReport:
    """``labels``: column key -> label; ``extra_headers``: what the importer adds to find a row
    (for people: the name and the masked ID number)."""

    def __init__(self, labels: dict, extra_headers=(), *, with_sheet: bool = False):
        self.labels = labels
        self.extra_headers = extra_headers
        self.with_sheet = with_sheet
        self.workbook = None  # created at the first error: a clean file needs no report
        self.lines = 0

    def add(self, row_number: int, column: str, message: str, extra=(), sheet: str = "") -> None:
        """``sheet``: for workbooks with several sheets, the one the row is on."""
        first = [sheet] if self.with_sheet else []
        if self.workbook is None:
            self.workbook = Workbook(write_only=True)
            self.sheet = self.workbook.create_sheet(_("Errors"))
            heads = [_("Sheet")] if self.with_sheet else []
            self.sheet.append(
                [*heads, _("Row"), _("Column"), _("Reason"), *map(str, self.extra_headers)]
            )
        self.sheet.append(
            safe_row([*first, row_number, self.labels.get(column, column), message, *(extra or ())])
        )
        self.lines += 1

    def save_to(self, field_file) -> None:
        """Save into a FileField (its storage picks the final path)."""
        with tempfile.TemporaryDirectory() as directory:
            path = Path(directory) / "report.xlsx"
            self.workbook.save(path)
            with path.open("rb") as handle:
                field_file.save("report.xlsx", File(handle), save=False)
