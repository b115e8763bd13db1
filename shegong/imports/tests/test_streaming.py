"""The streaming .xlsx reader: a sheet written by hand with every cell form a spreadsheet
program writes reads exactly as python-calamine reads it, without holding the sheet."""

import datetime
import io
import re
import zipfile

import pytest
from python_calamine import CalamineWorkbook

from shegong.imports import xlsx
from shegong.imports.readers import SpreadsheetError, open_table

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
RELS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"

SHARED = (
    f'<sst xmlns="{MAIN}" count="4" uniqueCount="4">'
    "<si><t>日期</t></si>"
    "<si><t>活动</t></si>"
    # Rich text in runs, with a phonetic guide that is not part of the text.
    '<si><r><rPr><b/></rPr><t xml:space="preserve">张 </t></r><r><t>三</t></r>'
    '<rPh sb="0" eb="1"><t>ZHANG</t></rPh></si>'
    "<si><t>a_x000D_b &amp; c</t></si>"
    "</sst>"
)
STYLES = (
    f'<styleSheet xmlns="{MAIN}"><numFmts count="1">'
    '<numFmt numFmtId="176" formatCode="yyyy&quot;年&quot;m&quot;月&quot;d&quot;日&quot;"/>'
    '<numFmt numFmtId="177" formatCode="&quot;No. &quot;0"/>'
    "</numFmts><cellXfs>"
    '<xf numFmtId="0"/><xf numFmtId="14"/><xf numFmtId="176"/><xf numFmtId="22"/>'
    '<xf numFmtId="177"/><xf numFmtId="49"/>'
    "</cellXfs></styleSheet>"
)
ROWS = (
    '<row r="1" spans="1:6" x14ac:dyDescent="0.25">'
    '<c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c>'
    '<c r="C1" t="inlineStr"><is><t>姓名</t></is></c></row>'
    # Dates in a built-in and a Chinese custom format, a date-time, a number shown with text.
    '<row r="2"><c r="A2" s="1"><v>45659</v></c><c r="B2" s="2"><v>45660</v></c>'
    '<c r="C2" s="3"><v>45659.395833333336</v></c><c r="D2" s="4"><v>12</v></c>'
    '<c r="E2" s="5" t="s"><v>3</v></c></row>'
    # A gap of rows; a formula with its cached value, one without; a bool, an error, a
    # formula's text result, a styled empty cell, an inline string with entities and CDATA.
    '<row r="5"><c r="A5"><f>1+1</f><v>2</v></c><c r="B5"><f>NOW()</f><v></v></c>'
    '<c r="C5" t="b"><v>1</v></c><c r="D5" t="e"><v>#N/A</v></c>'
    '<c r="E5" t="str"><f>"x"&amp;"y"</f><v>xy</v></c><c r="F5" s="1"/></row>'
    '<row r="6"><c r="B6" t="inlineStr"><is><t xml:space="preserve"> &lt;李&gt; </t></is></c>'
    '<c r="C6" t="inlineStr"><is><t><![CDATA[王<五>]]></t></is></c>'
    '<c r="D6" t="s"><v>2</v></c><c r="E6"><v>13800138000</v></c><c r="F6"><v>2.5</v></c>'
    "</row>"
    '<row r="7"/>'
    '<row r="8"><c r="A8" t="inlineStr"><is><t>最后</t></is></c></row>'
)


def workbook(rows: str = ROWS, *, shared: str = SHARED, date1904: bool = False) -> bytes:
    sheet = (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        f'<worksheet xmlns="{MAIN}" xmlns:r="{RELS}" '
        'xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" '
        'xmlns:x14ac="http://schemas.microsoft.com/office/spreadsheetml/2009/9/ac" '
        'mc:Ignorable="x14ac"><dimension ref="A1:F8"/>'
        f"<sheetData>{rows}</sheetData></worksheet>"
    )
    properties = '<workbookPr date1904="1"/>' if date1904 else ""
    parts = {
        "[Content_Types].xml": (
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" '
            'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/xl/workbook.xml" ContentType="application/'
            'vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
            '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/'
            'vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
            '<Override PartName="/xl/sharedStrings.xml" ContentType="application/'
            'vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
            '<Override PartName="/xl/styles.xml" ContentType="application/'
            'vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
            "</Types>"
        ),
        "_rels/.rels": (
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            f'<Relationship Id="rId1" Type="{RELS}/officeDocument" Target="xl/workbook.xml"/>'
            "</Relationships>"
        ),
        "xl/workbook.xml": (
            f'<workbook xmlns="{MAIN}" xmlns:r="{RELS}">{properties}'
            '<sheets><sheet name="签到" sheetId="1" r:id="rId1"/></sheets></workbook>'
        ),
        "xl/_rels/workbook.xml.rels": (
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            f'<Relationship Id="rId1" Type="{RELS}/worksheet" Target="worksheets/sheet1.xml"/>'
            f'<Relationship Id="rId2" Type="{RELS}/sharedStrings" Target="sharedStrings.xml"/>'
            f'<Relationship Id="rId3" Type="{RELS}/styles" Target="styles.xml"/>'
            "</Relationships>"
        ),
        "xl/worksheets/sheet1.xml": sheet,
        "xl/sharedStrings.xml": shared,
        "xl/styles.xml": STYLES,
    }
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in parts.items():
            archive.writestr(name, text)
    return buffer.getvalue()


def write(tmp_path, content: bytes):
    path = tmp_path / "签到.xlsx"
    path.write_bytes(content)
    return path


def calamine_rows(path) -> dict[int, list]:
    sheet = CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0)
    first = (sheet.start or (0, 0))[0] + 1
    return {first + index: row for index, row in enumerate(sheet.iter_rows())}


def test_every_cell_form_reads_as_python_calamine_reads_it(tmp_path):
    path = write(tmp_path, workbook())
    expected = calamine_rows(path)
    table = open_table(path, "xlsx")
    rows = dict(table.rows)
    table.close()
    assert table.header == ["日期", "活动", "姓名"]
    assert sorted(rows) == [2, 5, 6, 7, 8]  # the numbers the spreadsheet shows; no gap rows
    for number, cells in rows.items():
        width = len(expected[number])
        assert cells + [""] * (width - len(cells)) == expected[number], number
    assert rows[2][:3] == [
        datetime.date(2025, 1, 2),
        datetime.date(2025, 1, 3),
        datetime.datetime(2025, 1, 2, 9, 30),
    ]
    assert rows[6][1:4] == [" <李> ", "王<五>", "张 三"]
    assert rows[2][4] == "a\rb & c"


def test_a_workbook_in_the_1904_date_system(tmp_path):
    path = write(tmp_path, workbook(date1904=True))
    table = open_table(path, "xlsx")
    assert dict(table.rows)[2][0] == datetime.date(2029, 1, 3)
    table.close()


def test_a_sheet_with_prefixed_tags_is_read_by_the_fast_reader(tmp_path):
    # Allowed and rare: every tag with a prefix. Not plain, so python-calamine reads it.
    path = write(tmp_path, _prefixed(workbook()))
    with xlsx.Package(path) as package:
        assert package.check_extent("xl/worksheets/sheet1.xml") is None
    table = open_table(path, "xlsx")
    assert table.header[:3] == ["日期", "活动", "姓名"]
    rows = dict(table.rows)
    assert rows[2][0] == datetime.date(2025, 1, 2)
    assert rows[8] == ["最后", "", "", "", "", ""]


def _prefixed(content: bytes) -> bytes:
    """The workbook with every tag of its sheet written with the x: prefix."""
    source = zipfile.ZipFile(io.BytesIO(content))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename == "xl/worksheets/sheet1.xml":
                data = re.sub(rb"<(/?)(?!\?|!)([a-zA-Z]+[ />])", rb"<\1x:\2", data)
                data = data.replace(b'xmlns="', b'xmlns:x="', 1)
            target.writestr(info.filename, data)
    return buffer.getvalue()


def test_a_shared_string_that_is_not_there_is_refused(tmp_path):
    rows = ROWS.replace('<c r="D6" t="s"><v>2</v></c>', '<c r="D6" t="s"><v>99</v></c>')
    table = open_table(write(tmp_path, workbook(rows)), "xlsx")
    with pytest.raises(SpreadsheetError):
        list(table.rows)


def test_a_row_of_too_many_cells_is_refused_while_streaming(tmp_path, settings):
    settings.SHEGONG_IMPORT_MAX_COLUMNS = 6
    rows = ROWS.replace('<row r="7"/>', '<row r="7">' + '<c r="A7"><v>1</v></c>' * 7 + "</row>")
    with pytest.raises(SpreadsheetError) as refused:
        list(open_table(write(tmp_path, workbook(rows)), "xlsx").rows)
    assert "有一行的单元格超过 6 个" in str(refused.value)


def test_rows_across_read_blocks_are_read_whole(tmp_path, monkeypatch):
    # Blocks far smaller than a row: each row is cut in many pieces, and read once, whole.
    path = write(tmp_path, workbook())
    with xlsx.Package(path) as package:
        whole = list(package.rows("xl/worksheets/sheet1.xml"))
    monkeypatch.setattr(xlsx, "STREAM_BYTES", 7)
    with xlsx.Package(path) as package:
        assert list(package.rows("xl/worksheets/sheet1.xml")) == whole
    assert [number for number, _cells in whole] == [1, 2, 5, 6, 7, 8]


def test_rows_written_as_empty_elements_are_read_in_any_block_size(tmp_path, monkeypatch):
    # No "</row>" after the header: the reader cuts before each row's start instead.
    rows = '<row r="1"><c r="A1" t="inlineStr"><is><t>日期</t></is></c></row>'
    rows += "".join(f'<row r="{n}"/>' for n in range(2, 40))
    path = write(tmp_path, workbook(rows))
    for size in (5, 64, 1 << 20):
        monkeypatch.setattr(xlsx, "STREAM_BYTES", size)
        with xlsx.Package(path) as package:
            read = list(package.rows("xl/worksheets/sheet1.xml"))
        assert [number for number, _cells in read] == list(range(1, 40))
        assert read[0][1] == ["日期"] and read[-1][1] == []
