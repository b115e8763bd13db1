"""Reading uploads: row numbers as the spreadsheet shows them, CSV encodings, non-files."""

import pytest

from shegong.imports.readers import SpreadsheetError, cell_text, format_of, open_table
from shegong.imports.tests.sheets import HEADER, csv_bytes, people_rows, xlsx_bytes


def write(tmp_path, name, content):
    path = tmp_path / name
    path.write_bytes(content)
    return path


def test_xlsx_rows_are_numbered_like_the_spreadsheet(tmp_path):
    table = open_table(write(tmp_path, "a.xlsx", xlsx_bytes(people_rows(3))), "xlsx")
    assert table.header == HEADER
    assert table.estimated_rows == 3
    assert [number for number, _cells in table.rows] == [2, 3, 4]


@pytest.mark.parametrize("encoding", ["utf-8-sig", "utf-8", "gb18030"])
def test_csv_in_the_encodings_excel_writes(tmp_path, encoding):
    rows = people_rows(2, community="兴隆社区")
    table = open_table(write(tmp_path, "a.csv", csv_bytes(rows, encoding=encoding)), "csv")
    assert table.header == HEADER
    assert [cells for _number, cells in table.rows] == rows


def test_binary_files_are_not_spreadsheets(tmp_path):
    png = b"\x89PNG\r\n\x1a\n" + b"\x00" * 100
    with pytest.raises(SpreadsheetError):
        open_table(write(tmp_path, "a.xlsx", png), "xlsx")
    with pytest.raises(SpreadsheetError):
        open_table(write(tmp_path, "a.csv", png), "csv")
    with pytest.raises(SpreadsheetError):
        open_table(write(tmp_path, "b.xlsx", b"PK\x03\x04 not really a zip"), "xlsx")


def test_formats_and_cell_text():
    assert format_of("名单.XLSX") == "xlsx"
    assert format_of("people.xls") is None
    assert cell_text(13800000000.0) == "13800000000"
    assert cell_text(" 张三 ") == "张三"
    assert cell_text(None) == ""
