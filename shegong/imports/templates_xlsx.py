"""The blank template users fill in: the header row only, no sample personal data."""

import io

from openpyxl import Workbook


def people_template_xlsx() -> bytes:
    from shegong.people.importers import HEADERS

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("people")
    sheet.append(list(HEADERS))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
