"""Excel exports of filtered lists: one way to write them and to log them (DESIGN §4.5).

Each list supplies its sheet name, headers and a function turning one row into cells (masked
values only); this streams the rows into a write-only workbook, so memory stays flat however
long the list, and writes the export to the access log with the row count and the filter.

Every cell the product writes to a spreadsheet goes through ``safe_cell`` (exports and the
import error report alike): stored text is data, never a formula, and never a character the
file format refuses.
"""

import datetime
import re
from collections.abc import Callable, Iterable
from io import BytesIO
from numbers import Number

from django.http import HttpResponse
from django.utils import timezone
from openpyxl import Workbook

from shegong.core.access import log_access
from shegong.core.models import AccessLog

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

# Excel, LibreOffice and Google Sheets read a cell starting with one of these as a formula
# (tab and CR too, once a spreadsheet trims them): CSV/formula injection.
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")

# Everything outside XML 1.0's Char production (#x9 | #xA | #xD | [#x20-#xD7FF] |
# [#xE000-#xFFFD] | [#x10000-#x10FFFF]): openpyxl's own pattern misses U+FFFE/U+FFFF and
# surrogates, which it then writes into the sheet XML, leaving a file no spreadsheet opens.
XML_ILLEGAL_CHARACTERS_RE = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def safe_cell(value):
    """One cell as the spreadsheet must get it: text that could start a formula is prefixed with
    an apostrophe (shown as text, the OWASP advice), and characters the xlsx format refuses
    (control characters, U+FFFE/U+FFFF in legacy rows) are dropped instead of corrupting the
    whole file."""
    if value is None or isinstance(value, (Number, datetime.date, datetime.time)):
        return value
    value = str(value)  # lazy translations and other objects become the text they show
    value = XML_ILLEGAL_CHARACTERS_RE.sub("", value)
    if value.startswith(FORMULA_TRIGGERS):
        value = "'" + value
    return value


def safe_row(values: Iterable) -> list:
    return [safe_cell(value) for value in values]


def xlsx_response(content: bytes, name: str, *, stamped: bool = True) -> HttpResponse:
    """A workbook as a download, named ``name-YYYYmmdd-HHMM.xlsx`` (or ``name.xlsx``)."""
    if stamped:
        name = f"{name}-{timezone.localtime():%Y%m%d-%H%M}"
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{name}.xlsx"'
    return response


def xlsx_export(
    rows: Iterable,
    *,
    cells: Callable[[object], list],
    sheet_title: str,
    headers: Iterable,
    object_type: str,
    user,
    request=None,
    filters: str = "",
) -> bytes:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(str(sheet_title))
    sheet.append(safe_row(str(header) for header in headers))
    count = 0
    for row in rows:
        count += 1
        sheet.append(safe_row(cells(row)))
    buffer = BytesIO()
    workbook.save(buffer)
    log_access(
        user=user,
        action=AccessLog.Action.EXPORT,
        object_type=object_type,
        detail=f"{count} rows; {filters}",
        request=request,
    )
    return buffer.getvalue()
