"""Excel exports of filtered lists: one way to write them and to log them (DESIGN §4.5).

Each list supplies its sheet name, headers and a function turning one row into cells (masked
values only); this streams the rows into a write-only workbook, so memory stays flat however
long the list, and writes the export to the access log with the row count and the filter.
"""

from collections.abc import Callable, Iterable
from io import BytesIO

from django.http import HttpResponse
from django.utils import timezone
from openpyxl import Workbook

from shegong.core.access import log_access
from shegong.core.models import AccessLog

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


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
    sheet.append([str(header) for header in headers])
    count = 0
    for row in rows:
        count += 1
        sheet.append(cells(row))
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
