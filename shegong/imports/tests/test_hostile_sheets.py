"""Hostile workbooks at upload: a row of endlessly repeated cells, a giant cell text, limits
named right. The upload request reads the header row and stops; the background check counts
every cell before the fast reader holds them.
"""

import io
import re
import tempfile
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.urls import reverse

from shegong.imports import xlsx
from shegong.imports.choices import ImportStatus
from shegong.imports.models import ImportJob
from shegong.imports.readers import SpreadsheetError, open_table, peek
from shegong.imports.tests.sheets import people_rows, xlsx_bytes
from shegong.imports.tests.test_bounds import read_all, read_capped
from shegong.people.models import Person

NEW = reverse("imports:people_new")
REPEATED = 200_000  # the same cell address, again and again
SHEET = "xl/worksheets/sheet1.xml"


def with_sheet(content: bytes, change) -> bytes:
    """A copy of a workbook whose first sheet's XML went through ``change``."""
    source = zipfile.ZipFile(io.BytesIO(content))
    parts = {info.filename: source.read(info.filename) for info in source.infolist()}
    if "xl/worksheets/sheet1.xml" not in parts:  # openpyxl's write-only names it otherwise
        raise AssertionError(sorted(parts))
    parts[SHEET] = change(parts[SHEET])
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for name, data in parts.items():
            target.writestr(name, data)
    return buffer.getvalue()


def repeated_row(number: int) -> bytes:
    return (
        f'<row r="{number}">'.encode()
        + f'<c r="A{number}"><v>1</v></c>'.encode() * REPEATED
        + b"</row>"
    )


def endless_data_row(content: bytes) -> bytes:
    """Header, then row 2 holding one cell address REPEATED times."""

    def change(xml):
        xml = re.sub(rb"<row r=\"2\".*?</row>", b"", xml, flags=re.S)
        return xml.replace(b"</sheetData>", repeated_row(2) + b"</sheetData>")

    return with_sheet(content, change)


def endless_header_row(content: bytes) -> bytes:
    return with_sheet(
        content,
        lambda xml: re.sub(
            rb"<sheetData>.*</sheetData>",
            b"<sheetData>" + repeated_row(1) + b"</sheetData>",
            xml,
            flags=re.S,
        ),
    )


@pytest.fixture
def staff(client_for):
    return client_for("community_staff")


@pytest.fixture
def sheet_bytes_read(monkeypatch):
    """Bytes of the sheet's XML the readers took from the zip (the request must stop early)."""
    counted = {"bytes": 0}
    original = xlsx.Package._stream

    def counting(self, name, *args):
        for block in original(self, name, *args):
            if name == SHEET:
                counted["bytes"] += len(block)
            yield block

    monkeypatch.setattr(xlsx.Package, "_stream", counting)
    return counted


def upload(client, content: bytes):
    return client.post(NEW, {"file": SimpleUploadedFile("people.xlsx", content), "community": ""})


def sheet_size(content: bytes) -> int:
    return zipfile.ZipFile(io.BytesIO(content)).getinfo(SHEET).file_size


def test_the_upload_reads_only_the_header_before_a_row_of_repeated_cells(
    world, staff, sheet_bytes_read, monkeypatch
):
    content = endless_data_row(xlsx_bytes(people_rows(1)))
    assert sheet_size(content) > 4 * 1024 * 1024
    # The header is read outside any transaction: SQLite has one writer for the whole app.
    depth = {}
    original_peek = peek

    def watched_peek(*args, **kwargs):
        depth["atomic"] = len(connection.atomic_blocks)
        try:
            return original_peek(*args, **kwargs)
        finally:
            depth["bytes"] = sheet_bytes_read["bytes"]

    monkeypatch.setattr("shegong.people.import_kind.peek", watched_peek)
    baseline = len(connection.atomic_blocks)  # the test's own transaction
    response = upload(staff, content)

    assert depth["atomic"] == baseline
    assert depth["bytes"] <= 2 * xlsx.HEAD_BLOCK  # of a sheet of more than 4 MB
    # The background check then counts the repeated cells and refuses the file.
    job = ImportJob.objects.get()
    assert response.status_code == 302
    assert job.status == ImportStatus.FAILED
    assert "有一行的单元格超过 100 个" in job.message
    assert not job.file
    assert Person.objects.count() == 0


def test_peek_stops_after_the_first_cell_of_the_row_after_the_header(sheet_bytes_read):
    path_content = endless_data_row(xlsx_bytes(people_rows(1)))

    with tempfile.NamedTemporaryFile(suffix=".xlsx") as handle:
        handle.write(path_content)
        handle.flush()
        head = peek(handle.name, "xlsx")
    assert head.has_data
    assert sheet_bytes_read["bytes"] <= 2 * xlsx.HEAD_BLOCK


def test_a_header_row_of_repeated_cells_is_refused_at_upload(world, staff, sheet_bytes_read):
    content = endless_header_row(xlsx_bytes(people_rows(1)))
    response = upload(staff, content)
    body = response.content.decode()
    assert response.status_code == 200
    assert "表格过大" in body and "有一行的单元格超过 100 个" in body
    assert sheet_bytes_read["bytes"] <= 2 * xlsx.HEAD_BLOCK  # stopped at the 101st cell
    assert ImportJob.objects.count() == 0
    assert Person.objects.count() == 0


def test_the_background_check_counts_repeated_cells_in_bounded_memory(tmp_path):
    path = tmp_path / "repeated.xlsx"
    path.write_bytes(endless_data_row(xlsx_bytes(people_rows(1))))
    outcome, message = read_capped(read_all, path, "xlsx")
    assert outcome == "refused"
    assert "有一行的单元格超过 100 个" in message


def test_every_cell_counts_against_the_cell_limit(tmp_path, settings):
    # Rows within the column limit, but more cells in all than allowed.
    settings.SHEGONG_IMPORT_MAX_CELLS = 1000
    rows = b"".join(
        f'<row r="{n}">'.encode() + f'<c r="A{n}"><v>1</v></c>'.encode() * 50 + b"</row>"
        for n in range(2, 40)
    )
    path = tmp_path / "cells.xlsx"
    path.write_bytes(
        with_sheet(
            xlsx_bytes(people_rows(1)),
            lambda xml: re.sub(
                rb"<row r=\"2\".*?</row>", b"", re.sub(rb"<dimension[^>]*/>", b"", xml), flags=re.S
            ).replace(b"</sheetData>", rows + b"</sheetData>"),
        )
    )
    with pytest.raises(SpreadsheetError) as refused:
        open_table(path, "xlsx")
    assert "单元格超过 1000 个" in str(refused.value)


def test_the_message_names_the_cell_limit_when_that_one_is_exceeded(tmp_path, settings):
    settings.SHEGONG_IMPORT_MAX_CELLS = 100
    path = tmp_path / "cells.xlsx"
    path.write_bytes(xlsx_bytes(people_rows(30)))  # 31 rows of 5 columns: 155 cells
    with pytest.raises(SpreadsheetError) as refused:
        open_table(path, "xlsx")
    message = str(refused.value)
    assert "最多只能导入 100 个单元格" in message
    assert "行、" not in message


def test_a_far_cell_names_its_row_and_its_column(tmp_path):
    far = b'<row r="1048576"><c r="XFD1048576"><v>1</v></c></row>'
    path = tmp_path / "far.xlsx"
    path.write_bytes(
        with_sheet(
            xlsx_bytes(people_rows(1)),
            lambda xml: re.sub(rb"<dimension[^>]*/>", b"", xml).replace(
                b"</sheetData>", far + b"</sheetData>"
            ),
        )
    )
    with pytest.raises(SpreadsheetError) as refused:
        open_table(path, "xlsx")
    assert "第 1048576 行、第 16384 列" in str(refused.value)


def huge_text(size: int) -> bytes:
    return b"x" * size


def with_shared_string(content: bytes, text: bytes, cell: str = "A1") -> bytes:
    """A copy of a workbook whose cell A1 is the shared string ``text`` (as Excel writes
    text cells)."""
    source = zipfile.ZipFile(io.BytesIO(content))
    parts = {info.filename: source.read(info.filename) for info in source.infolist()}
    parts[SHEET] = re.sub(
        rb'<c r="%s"[^>]*>.*?</c>' % cell.encode(),
        b'<c r="%s" t="s"><v>0</v></c>' % cell.encode(),
        parts[SHEET],
        count=1,
    )
    parts["xl/sharedStrings.xml"] = (
        b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="1" '
        b'uniqueCount="1"><si><t>' + text + b"</t></si></sst>"
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for name, data in parts.items():
            target.writestr(name, data)
    return buffer.getvalue()


def test_a_giant_shared_string_in_the_header_is_refused_at_upload(world, staff):
    content = with_shared_string(xlsx_bytes(people_rows(1)), huge_text(3 * 1024 * 1024))
    response = upload(staff, content)
    body = response.content.decode()
    assert "单元格内容过长" in body
    assert ImportJob.objects.count() == 0
    assert Person.objects.count() == 0


def test_the_header_is_read_from_a_shared_string():
    # The same crafted part with a real header name is read as usual.
    content = with_shared_string(xlsx_bytes(people_rows(1)), "姓名".encode())
    with tempfile.NamedTemporaryFile(suffix=".xlsx") as handle:
        handle.write(content)
        handle.flush()
        assert peek(handle.name, "xlsx").header[0] == "姓名"


def test_a_giant_inline_string_in_a_data_cell_fails_the_check_with_a_clear_message(world, staff):
    giant = (
        b'<row r="2"><c r="A2" t="inlineStr"><is><t>'
        + huge_text(3 * 1024 * 1024)
        + b"</t></is></c></row>"
    )
    giant = giant.replace(b'"2"', b'"3"').replace(b'"A2"', b'"A3"')
    content = with_sheet(
        xlsx_bytes(people_rows(1)),
        lambda xml: xml.replace(b"</sheetData>", giant + b"</sheetData>"),
    )
    upload(staff, content)
    job = ImportJob.objects.get()
    assert job.status == ImportStatus.FAILED
    assert "单元格内容过长" in job.message
    assert "不是 Excel" not in job.message
    assert Person.objects.count() == 0


@pytest.mark.parametrize("runs", [1, 15], ids=["one text", "many short runs"])
def test_a_giant_shared_string_in_a_data_cell_fails_the_check_with_a_clear_message(
    world, staff, runs
):
    text = b"</t></r><r><t>".join([huge_text(3 * 1024 * 1024 // runs)] * runs)
    if runs > 1:
        text = b"</t><r><t>" + text + b"</t></r><t>"
    content = with_shared_string(xlsx_bytes(people_rows(1)), text, cell="A2")
    upload(staff, content)
    job = ImportJob.objects.get()
    assert job.status == ImportStatus.FAILED
    assert "单元格内容过长" in job.message
    assert Person.objects.count() == 0


def test_a_giant_inline_string_of_short_runs_fails_the_check(world, staff):
    run = b"<r><t>" + huge_text(100 * 1024) + b"</t></r>"
    giant = b'<row r="3"><c r="A3" t="inlineStr"><is>' + run * 30 + b"</is></c></row>"
    content = with_sheet(
        xlsx_bytes(people_rows(1)),
        lambda xml: xml.replace(b"</sheetData>", giant + b"</sheetData>"),
    )
    upload(staff, content)
    job = ImportJob.objects.get()
    assert job.status == ImportStatus.FAILED
    assert "单元格内容过长" in job.message
    assert Person.objects.count() == 0


def test_a_header_not_found_near_the_start_is_refused_at_upload(world, staff, sheet_bytes_read):
    empty_rows = b"".join(b'<row r="%d" ht="15" customHeight="1"/>' % n for n in range(1, 150_001))
    content = with_sheet(
        xlsx_bytes(people_rows(1)),
        lambda xml: xml.replace(b"<sheetData>", b"<sheetData>" + empty_rows),
    )
    response = upload(staff, content)
    assert "找不到表头行" in response.content.decode()
    assert sheet_bytes_read["bytes"] <= xlsx.HEAD_BYTES + xlsx.HEAD_BLOCK
    assert ImportJob.objects.count() == 0
