"""Read uploaded spreadsheets row by row: .xlsx as a stream of its sheet's XML (``xlsx``;
python-calamine for a sheet not written the usual way), .csv with the standard library. Both
give the same thing: a header row, an estimate of the row count (for the progress bar) and an
iterator of ``(row_number, cells)`` where the row number is what the user sees in
their spreadsheet program, so error reports point at the right line.
"""

from __future__ import annotations

import codecs
import csv
import datetime
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from xml.etree import ElementTree

from django.conf import settings
from django.utils.translation import gettext as _
from python_calamine import CalamineError, CalamineWorkbook

from shegong.imports import xlsx

FORMATS = ("xlsx", "csv")
SNIFF_BYTES = 64 * 1024
MAX_LINE_CHARS = 256 * 1024  # a row of a real table is a few hundred characters


class SpreadsheetError(Exception):
    """The file cannot be read as a spreadsheet; the message is safe to show to the user."""


@dataclass
class Table:
    header: list[str]
    estimated_rows: int
    rows: Iterator[tuple[int, list]]
    closer: object = None

    def close(self) -> None:
        if self.closer is not None:
            self.closer.close()


def format_of(filename: str) -> str | None:
    suffix = Path(filename or "").suffix.lower().lstrip(".")
    return suffix if suffix in FORMATS else None


def cell_text(value) -> str:
    """A cell as the text the user typed: whole numbers lose the ".0" a spreadsheet adds."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, datetime.datetime | datetime.date):
        return value.isoformat()
    return str(value).strip()


def open_table(path: str | Path, file_format: str) -> Table:
    """Open the first sheet of an .xlsx or a .csv file; raise SpreadsheetError if impossible.

    Reads the whole file once to bound it (an .xlsx's real extent), then streams its rows:
    for the background check, never for a request (see ``peek``)."""
    if file_format == "xlsx":
        return _open_xlsx(Path(path))
    if file_format == "csv":
        return _open_csv(Path(path))
    raise SpreadsheetError(_("Upload an .xlsx or .csv file."))


def open_sheet(path: str | Path, names: tuple[str, ...]) -> Table:
    """Open the sheet of an .xlsx workbook called by the first of ``names`` it has (a workbook
    with several sheets, such as the legacy case register); SpreadsheetError names the first
    when none is there."""
    return _open_xlsx(Path(path), tuple(names))


@dataclass
class Peek:
    header: list[str]
    has_data: bool
    estimated_rows: int


def peek(path: str | Path, file_format: str, sheet_names: tuple[str, ...] = ()) -> Peek:
    """The header row, whether a data row follows and a row estimate, reading no more of the
    file than that: what an upload request may do. Bounds the declared size of a workbook."""
    path = Path(path)
    if file_format == "csv":
        table = _open_csv(path)
        try:
            has_data = next(table.rows, None) is not None
            return Peek(table.header, has_data, table.estimated_rows)
        finally:
            table.close()
    if file_format != "xlsx":
        raise SpreadsheetError(_("Upload an .xlsx or .csv file."))
    _check_magic(path)
    try:
        with xlsx.Package(path) as package:
            part = _sheet_part(package, sheet_names)[1]
            head = package.sheet_head(part)
    except xlsx.PackageError as exc:
        raise SpreadsheetError(str(exc)) from exc
    if not head.header:
        raise SpreadsheetError(_("The file is empty: the first sheet has no header row."))
    estimated = max((head.declared_rows or 0) - 1, 1 if head.has_data else 0)
    return Peek(head.header, head.has_data, estimated)


def _not_xlsx() -> SpreadsheetError:
    return SpreadsheetError(str(xlsx.not_xlsx()))


def _check_magic(path: Path) -> None:
    with path.open("rb") as handle:
        if handle.read(4) != b"PK\x03\x04":  # every .xlsx is a zip archive
            raise _not_xlsx()


def _sheet_part(package: xlsx.Package, sheet_names: tuple[str, ...]) -> tuple[str, str]:
    sheets = package.sheets()
    if not sheet_names:
        return sheets[0]
    by_name = {"".join(name.split()).lower(): (name, part) for name, part in sheets}
    for wanted in sheet_names:
        if wanted.lower() in by_name:
            return by_name[wanted.lower()]
    raise SpreadsheetError(
        _("The workbook has no sheet named %(name)s.") % {"name": sheet_names[0]}
    )


def _open_xlsx(path: Path, sheet_names: tuple[str, ...] = ()) -> Table:
    _check_magic(path)
    # Bound the real extent first, reading the XML as a stream: a reader holding the sheet
    # would build it as a dense grid up to its furthest cell.
    try:
        package = xlsx.Package(path)
    except xlsx.PackageError as exc:
        raise SpreadsheetError(str(exc)) from exc
    try:
        name, part = _sheet_part(package, sheet_names)
        plain_rows = package.check_extent(part)
        package.check_strings()
    except xlsx.PackageError as exc:
        package.zip.close()
        raise SpreadsheetError(str(exc)) from exc
    except BaseException:
        package.zip.close()
        raise
    if plain_rows is None:
        # A sheet written otherwise (prefixed tags, cells without references): the fast
        # reader, which holds it in memory (within the bounds just checked).
        package.zip.close()
        return _open_with_calamine(path, name)
    return _stream_xlsx(package, part, plain_rows)


def _stream_xlsx(package: xlsx.Package, part: str, row_tags: int) -> Table:
    """The rows of a plain sheet read as a stream (``xlsx.Package.rows``): memory stays flat
    however long the sheet. Rows before the first with a value are skipped, as the fast
    reader does; the first with a value is the header."""
    rows = _package_rows(package, part)
    try:
        for _number, first in rows:
            if any(value != "" for value in first):
                break
        else:
            raise SpreadsheetError(_("The file is empty: the first sheet has no header row."))
    except BaseException:
        rows.close()
        raise

    return Table(
        header=[cell_text(value) for value in first],
        estimated_rows=max(row_tags - 1, 0),
        rows=rows,
        closer=_Closer(rows, package),
    )


def _package_rows(package: xlsx.Package, part: str) -> Iterator[tuple[int, list]]:
    try:
        yield from package.rows(part)
    except xlsx.PackageError as exc:
        raise SpreadsheetError(str(exc)) from exc
    except (ValueError, IndexError, UnicodeDecodeError, ElementTree.ParseError) as exc:
        # A number that is none, a shared string that is not there: not a spreadsheet's.
        raise _not_xlsx() from exc
    finally:
        package.zip.close()


class _Closer:
    def __init__(self, rows, package):
        self.rows, self.package = rows, package

    def close(self) -> None:
        self.rows.close()
        self.package.zip.close()


def _open_with_calamine(path: Path, name: str) -> Table:
    try:
        workbook = CalamineWorkbook.from_path(str(path))
        sheet = workbook.get_sheet_by_name(name)
        rows = sheet.iter_rows()
        first = next(rows, None)
    except (CalamineError, ValueError, OSError) as exc:
        raise _not_xlsx() from exc
    if first is None:
        raise SpreadsheetError(_("The file is empty: the first sheet has no header row."))
    start = sheet.start or (0, 0)
    header_row = start[0] + 1  # 1-based, as the spreadsheet program numbers rows

    def iterate() -> Iterator[tuple[int, list]]:
        yield from enumerate(rows, start=header_row + 1)

    return Table(
        header=[cell_text(value) for value in first],
        estimated_rows=max(sheet.height - 1, 0),
        rows=iterate(),
    )


def _csv_encoding(head: bytes) -> str:
    """UTF-8 (with or without the BOM Excel writes) or else GB18030, the superset of the GBK
    that Chinese Excel uses for "CSV"."""
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    try:
        codecs.getincrementaldecoder("utf-8")().decode(head, final=False)
    except UnicodeDecodeError:
        return "gb18030"
    return "utf-8"


def _open_csv(path: Path) -> Table:
    with path.open("rb") as handle:
        head = handle.read(SNIFF_BYTES)
        if b"\x00" in head:
            raise SpreadsheetError(
                _(
                    "This file is not a CSV text file. Save it from your spreadsheet program "
                    "as .xlsx or .csv and try again."
                )
            )
        newlines = head.count(b"\n")
        for block in iter(lambda: handle.read(1 << 20), b""):
            newlines += block.count(b"\n")
    encoding = _csv_encoding(head)
    text = open(path, encoding=encoding, newline="")  # noqa: SIM115 - closed by the iterator
    reader = csv.reader(_bounded_lines(text))
    try:
        first = next(reader, None)
    except (UnicodeDecodeError, csv.Error) as exc:
        text.close()
        raise SpreadsheetError(
            _("The CSV file cannot be read: save it as UTF-8 or as .xlsx.")
        ) from exc
    except SpreadsheetError:
        text.close()
        raise
    if first is None:
        text.close()
        raise SpreadsheetError(_("The file is empty: the first sheet has no header row."))
    if len(first) > settings.SHEGONG_IMPORT_MAX_COLUMNS:
        text.close()
        raise SpreadsheetError(str(xlsx.too_many_columns(len(first))))
    max_columns = settings.SHEGONG_IMPORT_MAX_COLUMNS
    last_row = settings.SHEGONG_IMPORT_MAX_ROWS

    def iterate() -> Iterator[tuple[int, list]]:
        try:
            # Records, not physical lines: a quoted cell may span lines, a spreadsheet row not.
            for number, cells in enumerate(reader, start=2):
                if len(cells) > max_columns:
                    raise SpreadsheetError(str(xlsx.too_many_columns(len(cells))))
                if number > last_row:
                    raise SpreadsheetError(str(xlsx.too_many_rows(number)))
                yield number, cells
        except (UnicodeDecodeError, csv.Error) as exc:
            raise SpreadsheetError(
                _("The CSV file cannot be read: save it as UTF-8 or as .xlsx.")
            ) from exc
        finally:
            text.close()

    return Table(
        header=[cell_text(value) for value in first],
        estimated_rows=max(newlines - 1, 0),
        rows=iterate(),
        closer=text,
    )


def _bounded_lines(text) -> Iterator[str]:
    """The file's lines, refusing one longer than MAX_LINE_CHARS instead of reading a file
    without line breaks into memory at once."""
    while line := text.readline(MAX_LINE_CHARS + 1):
        if len(line) > MAX_LINE_CHARS:
            raise SpreadsheetError(
                _(
                    "A line of the CSV file is longer than %(limit)s characters: this is not a "
                    "table of people. Save it as .xlsx or .csv again from your spreadsheet "
                    "program."
                )
                % {"limit": MAX_LINE_CHARS}
            )
        yield line
