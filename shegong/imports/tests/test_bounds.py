"""Hostile spreadsheets: a stray far cell, a lying <dimension>, a zip bomb, endless CSV lines.

Each read runs in a child process with its address space capped, so a reader that tries to
allocate the sheet's whole grid fails the test instead of taking the test run down with it.
"""

import io
import multiprocessing
import re
import resource
import zipfile

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook

from shegong.imports.models import ImportJob
from shegong.imports.readers import SpreadsheetError, open_sheet, open_table, peek
from shegong.imports.tests.sheets import HEADER, people_rows, xlsx_bytes

MEMORY_CAP = 1536 * 1024 * 1024  # far below the 512 GiB the far cell asks for


def _child(connection, function, args):
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_CAP, MEMORY_CAP))
    try:
        function(*args)
    except SpreadsheetError as exc:
        connection.send(("refused", str(exc)))
    except BaseException as exc:  # noqa: BLE001 - reported to the parent
        connection.send(("error", repr(exc)))
    else:
        connection.send(("read", ""))


def read_capped(function, *args) -> tuple[str, str]:
    """Run ``function(*args)`` in a memory-capped child; ("refused", message) if it raised
    SpreadsheetError, ("crashed", exit code) if the child died."""
    context = multiprocessing.get_context("fork")
    parent, child = context.Pipe(duplex=False)
    process = context.Process(target=_child, args=(child, function, args))
    process.start()
    child.close()
    process.join(120)
    if process.is_alive():
        process.kill()
        process.join()
        return "hung", ""
    try:
        return parent.recv()
    except EOFError:  # the child died before it could answer
        return "crashed", str(process.exitcode)


def read_all(path, file_format):
    table = open_table(path, file_format)
    for _row in table.rows:
        pass


def far_cell_xlsx(path):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(HEADER[:3])
    sheet.append(people_rows(1)[0][:3])
    sheet["XFD1048576"] = "x"
    workbook.save(path)
    return path


def rewrite_sheet(path, change):
    """Rewrite the first sheet's XML of a workbook in place."""
    with zipfile.ZipFile(path) as source:
        parts = {info.filename: source.read(info.filename) for info in source.infolist()}
    parts["xl/worksheets/sheet1.xml"] = change(parts["xl/worksheets/sheet1.xml"])
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for name, data in parts.items():
            target.writestr(name, data)
    return path


def lying_dimension_xlsx(path):
    far_cell_xlsx(path)
    return rewrite_sheet(
        path, lambda xml: re.sub(rb'<dimension ref="[^"]*"', b'<dimension ref="A1:C2"', xml)
    )


def test_a_cell_at_xfd1048576_is_refused_without_allocating_the_grid(tmp_path):
    path = far_cell_xlsx(tmp_path / "far.xlsx")
    assert path.stat().st_size < 10_000
    outcome, message = read_capped(read_all, path, "xlsx")
    assert outcome == "refused"
    assert "1048576" in message and "16384" in message
    assert read_capped(peek, path, "xlsx")[0] == "refused"


def test_a_lying_dimension_does_not_hide_the_far_cell(tmp_path):
    path = lying_dimension_xlsx(tmp_path / "liar.xlsx")
    with zipfile.ZipFile(path) as package:
        assert b'ref="A1:C2"' in package.read("xl/worksheets/sheet1.xml")
    assert read_capped(read_all, path, "xlsx")[0] == "refused"
    assert read_capped(open_sheet, path, ("sheet",))[0] == "refused"


def test_the_upload_refuses_the_far_cell_in_chinese_and_stores_nothing(client_for, tmp_path):
    data = far_cell_xlsx(tmp_path / "far.xlsx").read_bytes()
    response = client_for("community_staff").post(
        reverse("imports:people_new"),
        {"file": SimpleUploadedFile("名单.xlsx", data), "community": ""},
    )
    assert response.status_code == 200
    assert "表格过大" in response.content.decode()
    assert not ImportJob.objects.exists()


def test_a_zip_bomb_is_refused_before_it_is_unzipped(tmp_path, settings):
    settings.SHEGONG_IMPORT_MAX_UNZIPPED_BYTES = 2 * 1024 * 1024
    path = tmp_path / "bomb.xlsx"
    buffer = io.BytesIO()
    workbook = Workbook()
    workbook.active.append(HEADER)
    workbook.save(buffer)
    path.write_bytes(buffer.getvalue())
    rewrite_sheet(path, lambda xml: xml.replace(b"<sheetData>", b"<sheetData>" + b" " * 3_000_000))
    assert path.stat().st_size < 100_000
    for function, args in ((read_all, (path, "xlsx")), (peek, (path, "xlsx"))):
        outcome, message = read_capped(function, *args)
        assert outcome == "refused"
        assert "解压" in message


def test_csv_lines_without_end_and_rows_without_end_are_refused(tmp_path, settings):
    endless = tmp_path / "line.csv"
    endless.write_bytes(",".join(HEADER).encode() + b"\n" + b"x," * 2_500_000)
    outcome, message = read_capped(read_all, endless, "csv")
    assert outcome == "refused" and "CSV" in message

    wide = tmp_path / "wide.csv"
    wide.write_bytes(",".join(HEADER).encode() + b"\n" + b",".join([b"1"] * 5000) + b"\n")
    outcome, message = read_capped(read_all, wide, "csv")
    assert outcome == "refused" and "表格过大" in message

    settings.SHEGONG_IMPORT_MAX_ROWS = 10
    long = tmp_path / "long.csv"
    long.write_bytes(",".join(HEADER).encode() + b"\n" + b"a,b,c\n" * 50)
    assert read_capped(read_all, long, "csv")[0] == "refused"


def test_cells_without_references_are_counted_too(tmp_path):
    # A reference is optional: a cell without one sits right after the previous cell.
    path = tmp_path / "wide.xlsx"
    path.write_bytes(xlsx_bytes(people_rows(2)))
    wide = b"<row>" + b'<c t="inlineStr"><is><t>x</t></is></c>' * 500 + b"</row>"
    rewrite_sheet(path, lambda xml: xml.replace(b"</sheetData>", wide + b"</sheetData>"))
    outcome, message = read_capped(read_all, path, "xlsx")
    assert outcome == "refused" and "表格过大" in message
    # The same file without the wide row reads normally.
    path.write_bytes(xlsx_bytes(people_rows(2)))
    assert read_capped(read_all, path, "xlsx") == ("read", "")
