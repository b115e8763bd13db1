"""The blank template users fill in: the header row only, no sample personal data."""

import io

from openpyxl import Workbook


def cases_template_xlsx() -> bytes:
    """The case register's three sheets, each with its header row."""
    from shegong.cases.importers import COLUMNS, SHEET_LABELS

    workbook = Workbook(write_only=True)
    for sheet, columns in COLUMNS.items():
        worksheet = workbook.create_sheet(SHEET_LABELS[sheet])
        worksheet.append([column.header for column in columns])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def people_template_xlsx() -> bytes:
    from shegong.people.importers import HEADERS

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("people")
    sheet.append(list(HEADERS))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
