"""Look inside an .xlsx package without trusting it, before any library reads it into memory.

A workbook is a zip of XML files. Spreadsheet libraries build each sheet as a dense grid from
its furthest cell, so a 5 KB file with one cell at XFD1048576 asks for 17 billion cells, and a
small zip may unzip to gigabytes. Here the package is read as a stream with the standard
library, in bounded memory:

- ``sheet_head``: the sheet's declared ``<dimension>``, its header row and whether any data row
  follows, reading only as far as that (what an upload request may do);
- ``check_extent``: every cell reference of the sheet, for its real last row and column (what
  the background check does before it hands the file to the fast reader).

Both refuse, with a message for the user, a package that unzips to more than
SHEGONG_IMPORT_MAX_UNZIPPED_BYTES or a sheet beyond SHEGONG_IMPORT_MAX_ROWS rows,
SHEGONG_IMPORT_MAX_COLUMNS columns or SHEGONG_IMPORT_MAX_CELLS cells.
"""

from __future__ import annotations

import posixpath
import re
import zipfile
import zlib
from dataclasses import dataclass
from xml.etree import ElementTree

from django.conf import settings
from django.utils.translation import gettext as _

MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
RELS = "{http://schemas.openxmlformats.org/package/2006/relationships}"
DOC_RELS = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
READ_BYTES = 1 << 20
SMALL_PART = 10 * 1024 * 1024  # workbook.xml and its relationships: a few KB in real files

# A cell or row start tag, with its reference (r="B7" / r="7") when it has one.
TAG = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?(row|c)\b([^>]*)>")
REF = re.compile(rb'\br="([A-Za-z]*)(\d*)"')
# Elements of a sheet other than rows and cells whose names start like them.
NOT_CELLS = (b"<co", b"<cf", b"<cu", b"<ce", b"<rowB")
DIMENSION = re.compile(rb'<(?:[A-Za-z_][\w.-]*:)?dimension\b[^>]*\bref="([^"]*)"')
CELL = re.compile(r"([A-Za-z]{1,3})(\d{1,7})")


class PackageError(Exception):
    """Raised with a message safe to show to the user (wrapped by the readers)."""


@dataclass
class SheetHead:
    header: list[str]
    has_data: bool
    declared_rows: int | None  # from <dimension>, a hint for the progress bar


def not_xlsx() -> PackageError:
    return PackageError(
        _(
            "This file is not an Excel workbook (.xlsx). Save it from your spreadsheet "
            "program as .xlsx or .csv and try again."
        )
    )


def column_number(letters: str | bytes) -> int:
    number = 0
    for letter in letters.upper() if isinstance(letters, str) else letters.upper().decode():
        number = number * 26 + ord(letter) - 64
    return number


def column_letters_of(number: int) -> str:
    letters = ""
    while number > 0:
        number, remainder = divmod(number - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters


def too_large(rows: int, columns: int) -> PackageError:
    return PackageError(
        _(
            "The sheet is too large: it reaches row %(rows)s and column %(columns)s, and at "
            "most %(max_rows)s rows and %(max_columns)s columns can be imported. Delete the "
            "empty rows and columns after your data (or a stray cell far away), save, and "
            "upload it again."
        )
        % {
            "rows": rows,
            "columns": columns,
            "max_rows": settings.SHEGONG_IMPORT_MAX_ROWS,
            "max_columns": settings.SHEGONG_IMPORT_MAX_COLUMNS,
        }
    )


def check_bounds(rows: int, columns: int) -> None:
    if (
        rows > settings.SHEGONG_IMPORT_MAX_ROWS
        or columns > settings.SHEGONG_IMPORT_MAX_COLUMNS
        or rows * columns > settings.SHEGONG_IMPORT_MAX_CELLS
    ):
        raise too_large(rows, columns)


class Package:
    """An opened .xlsx; use as a context manager."""

    def __init__(self, path):
        try:
            self.zip = zipfile.ZipFile(path)
            infos = self.zip.infolist()
        except (zipfile.BadZipFile, OSError, ValueError) as exc:
            raise not_xlsx() from exc
        # The sizes the zip declares: reading stops there (zipfile never inflates past them).
        if sum(info.file_size for info in infos) > settings.SHEGONG_IMPORT_MAX_UNZIPPED_BYTES:
            self.zip.close()
            raise PackageError(
                _(
                    "This workbook unzips to more data than can be imported. Save only the "
                    "sheets and rows to import, or split it into smaller files."
                )
            )
        self.names = {info.filename for info in infos}

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.zip.close()

    def _small_xml(self, name: str) -> ElementTree.Element:
        try:
            info = self.zip.getinfo(name)
            if info.file_size > SMALL_PART:
                raise not_xlsx()
            return ElementTree.fromstring(self.zip.read(name))  # noqa: S314 - bounded, no DTDs
        except (KeyError, ElementTree.ParseError, zipfile.BadZipFile, OSError) as exc:
            raise not_xlsx() from exc

    def sheets(self) -> list[tuple[str, str]]:
        """(name, part path) of every worksheet, in the workbook's order."""
        workbook = self._small_xml("xl/workbook.xml")
        rels_root = self._small_xml("xl/_rels/workbook.xml.rels")
        targets = {}
        for rel in rels_root.iter(f"{RELS}Relationship"):
            target = rel.get("Target", "")
            if target.startswith("/"):
                path = target.lstrip("/")
            else:
                path = posixpath.normpath(posixpath.join("xl", target))
            targets[rel.get("Id")] = path
        found = []
        for sheet in workbook.iter(f"{MAIN}sheet"):
            path = targets.get(sheet.get(f"{DOC_RELS}id"))
            if path in self.names:
                found.append((sheet.get("name", ""), path))
        if not found:
            raise not_xlsx()
        return found

    def _stream(self, name: str):
        try:
            with self.zip.open(name) as handle:
                yield from iter(lambda: handle.read(READ_BYTES), b"")
        except (zipfile.BadZipFile, OSError, EOFError, zlib.error) as exc:
            raise not_xlsx() from exc

    # --- the request's look: dimension and header only ------------------------------------
    def sheet_head(self, part: str) -> SheetHead:
        parser = ElementTree.XMLPullParser(events=("end",))
        declared = None
        header_cells = None
        has_data = False
        seen_head = b""
        try:
            for block in self._stream(part):
                if declared is None and len(seen_head) < 64 * 1024:
                    seen_head += block[: 64 * 1024]
                    match = DIMENSION.search(seen_head)
                    if match:
                        declared = self._check_dimension(match.group(1).decode("ascii", "replace"))
                parser.feed(block)
                for _event, element in parser.read_events():
                    if element.tag != f"{MAIN}row":
                        continue
                    cells = _row_cells(element)
                    element.clear()
                    if not any(value for _col, _kind, value in cells):
                        continue
                    if header_cells is None:
                        header_cells = cells
                    else:
                        has_data = True
                        break
                if has_data:
                    break
        except ElementTree.ParseError as exc:
            raise not_xlsx() from exc
        if header_cells is None:
            return SheetHead([], False, declared)
        return SheetHead(self._texts(header_cells), has_data, declared)

    def _check_dimension(self, ref: str) -> int | None:
        """The declared used range, bounded; returns its row count (None if unreadable)."""
        corners = [CELL.fullmatch(part) for part in ref.split(":")]
        if not corners or not all(corners):
            return None
        last_row = max(int(c.group(2)) for c in corners)
        last_column = max(column_number(c.group(1)) for c in corners)
        check_bounds(last_row, last_column)
        first_row = min(int(c.group(2)) for c in corners)
        return last_row - first_row + 1

    def _texts(self, cells: list[tuple[int, str, str]]) -> list[str]:
        """Cell values of a row as text, placed by column from the row's first cell."""
        wanted = {int(value) for _c, kind, value in cells if kind == "s" and value.isdigit()}
        strings = self._shared_strings(max(wanted) if wanted else -1)
        first = min(column for column, _k, _v in cells)
        texts: list[str] = []
        for column, kind, value in cells:
            if kind == "s":
                value = strings.get(int(value), "") if value.isdigit() else ""
            position = column - first
            texts.extend([""] * (position + 1 - len(texts)))
            texts[position] = value.strip()
        return texts

    def _shared_strings(self, last: int) -> dict[int, str]:
        """Shared strings up to index ``last``, read as a stream and no further."""
        if last < 0 or "xl/sharedStrings.xml" not in self.names:
            return {}
        parser = ElementTree.XMLPullParser(events=("end",))
        strings: dict[int, str] = {}
        index = 0
        try:
            for block in self._stream("xl/sharedStrings.xml"):
                parser.feed(block)
                for _event, element in parser.read_events():
                    if element.tag == f"{MAIN}si":
                        strings[index] = _string_item(element)
                        element.clear()
                        index += 1
                if index > last:
                    break
        except ElementTree.ParseError as exc:
            raise not_xlsx() from exc
        return strings

    # --- the worker's look: every cell reference ------------------------------------------
    def check_extent(self, part: str) -> None:
        """Bound the sheet's real last row and column (and its declared dimension) before it
        is read into memory.

        Byte counts and a regular expression over each block check every reference at C
        speed; a sheet whose cells or rows omit their reference (allowed, rare) or put it
        elsewhere is walked tag by tag instead, where cells without a value
        (``<c r=".." s="1"/>``) do not count."""
        head = b""
        last_row = last_column = 0
        tail = b""
        # A reference passes the bounds only with as many row digits as the largest row
        # allowed, or as many column letters as the largest column allowed.
        row_digits = len(str(settings.SHEGONG_IMPORT_MAX_ROWS))
        column_letters = len(column_letters_of(settings.SHEGONG_IMPORT_MAX_COLUMNS))
        self.long_references = re.compile(
            rb' r="([A-Za-z]{%d,}|[A-Za-z]*(?=\d{%d,}))(\d+)"' % (column_letters, row_digits)
        )
        plain = None  # whether the root is an unprefixed <worksheet>
        for block in self._stream(part):
            if plain is None:
                plain = b"<worksheet" in block[: 64 * 1024]
            if len(head) < 64 * 1024:
                head += block[: 64 * 1024]
                match = DIMENSION.search(head)
                if match:
                    self._check_dimension(match.group(1).decode("ascii", "replace"))
                    head = b"\xff" * (64 * 1024)  # checked once
            data = tail + block
            cut = data.rfind(b">") + 1
            tail = data[cut:]
            if len(tail) > READ_BYTES:  # one tag longer than a megabyte: not a real sheet
                raise not_xlsx()
            data = data[:cut]
            # Every <c..> and <row..> tag must start with its reference, as Excel writes them
            # (text cannot hold a "<"); prefixed tags (<x:c>) are not counted, so walked.
            tags = data.count(b"<c") + data.count(b"<row")
            tags -= sum(data.count(other) for other in NOT_CELLS)
            if not plain or tags > data.count(b'<c r="') + data.count(b'<row r="'):
                return self._walk_extent(part)
            # Only references long enough to pass a bound are read: all others are within it.
            for letters, digits in self.long_references.findall(data):
                last_row = max(last_row, int(digits))
                if letters:
                    last_column = max(last_column, column_number(letters))
                check_bounds(last_row, last_column)

    def _walk_extent(self, part: str) -> None:
        last_row = last_column = 0
        row = column = 0
        tail = b""
        for block in self._stream(part):
            data = tail + block
            cut = data.rfind(b">") + 1
            tail = data[cut:]
            if len(tail) > READ_BYTES:
                raise not_xlsx()
            for match in TAG.finditer(data, 0, cut):
                kind, attributes = match.groups()
                ref = REF.search(attributes)
                if kind == b"row":
                    row = int(ref.group(2)) if ref and ref.group(2) else row + 1
                    column = 0
                    continue
                if ref and ref.group(1):
                    column = column_number(ref.group(1))
                    if ref.group(2):
                        row = int(ref.group(2))
                else:
                    column += 1
                if attributes.endswith(b"/"):
                    continue
                if row > last_row or column > last_column:
                    last_row = max(last_row, row)
                    last_column = max(last_column, column)
                    check_bounds(last_row, last_column)


def _row_cells(row: ElementTree.Element) -> list[tuple[int, str, str]]:
    """(column number, type, raw value) of each cell with a value in a <row> element."""
    cells = []
    column = 0
    for cell in row.iter(f"{MAIN}c"):
        ref = CELL.fullmatch(cell.get("r", ""))
        column = column_number(ref.group(1)) if ref else column + 1
        check_bounds(1, column)
        kind = cell.get("t", "n")
        if kind == "inlineStr":
            value = "".join(t.text or "" for t in cell.iter(f"{MAIN}t"))
            kind = "str"
        else:
            v = cell.find(f"{MAIN}v")
            value = v.text or "" if v is not None else ""
        if value:
            cells.append((column, kind, value))
    return cells


def _string_item(item: ElementTree.Element) -> str:
    """The text of a shared string, without its phonetic (rPh) runs."""
    parts = []
    for child in item:
        if child.tag == f"{MAIN}t":
            parts.append(child.text or "")
        elif child.tag == f"{MAIN}r":
            parts.extend(t.text or "" for t in child.iter(f"{MAIN}t"))
    return "".join(parts)
