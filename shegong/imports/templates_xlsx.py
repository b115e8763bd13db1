"""The blank templates users fill in: header rows only, no sample personal data."""

import io
from collections.abc import Iterable, Mapping

from openpyxl import Workbook


def header_template_xlsx(sheets: Mapping[str, Iterable[str]]) -> bytes:
    """A workbook with one sheet per entry (sheet name -> its column headers)."""
    workbook = Workbook(write_only=True)
    for name, headers in sheets.items():
        workbook.create_sheet(name).append(list(headers))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
