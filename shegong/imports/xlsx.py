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

import datetime
import html
import posixpath
import re
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from itertools import repeat
from xml.etree import ElementTree

from django.conf import settings
from django.utils.translation import gettext as _

MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
RELS = "{http://schemas.openxmlformats.org/package/2006/relationships}"
DOC_RELS = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
READ_BYTES = 1 << 20
STREAM_BYTES = 1 << 20  # the streaming reader's blocks
HEAD_BLOCK = 64 * 1024  # the request reads in small blocks: it stops soon after the header
HEAD_BYTES = 4 * 1024 * 1024  # the header row lies within the sheet's first few KB in real files
# Excel holds at most 32,767 characters in a cell, at most 6 bytes each in the XML (escaped
# or a 3-byte character with room): a cell's XML beyond this is not a spreadsheet's.
MAX_CELL_CHARS = 32767
MAX_CELL_BYTES = 256 * 1024
SI_TAGS = (b"<si>", b"<si ", b"<si/")
PREFIXED_SI = re.compile(rb"<[A-Za-z_][\w.-]*:si[\s>/]")
# The elements inside a cell or a shared string: their ends do not end the cell's text.
CELL_CONTENT = {
    f"{{http://schemas.openxmlformats.org/spreadsheetml/2006/main}}{name}"
    for name in ("t", "r", "rPr", "is", "v", "f", "rPh")
}
SMALL_PART = 10 * 1024 * 1024  # workbook.xml and its relationships: a few KB in real files

# A cell or row start tag, with its reference (r="B7" / r="7") when it has one.
TAG = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?(row|c)\b([^>]*)>")
REF = re.compile(rb'\br="([A-Za-z]*)(\d*)"')
# Elements of a sheet other than rows and cells whose names start like them.
NOT_CELLS = (b"<co", b"<cf", b"<cu", b"<ce", b"<rowB")
DIMENSION = re.compile(rb'<(?:[A-Za-z_][\w.-]*:)?dimension\b[^>]*\bref="([^"]*)"')
CELL = re.compile(r"([A-Za-z]{1,3})(\d{1,7})")
# The streaming reader's tokens of a plain sheet: a row's number, or a cell's column letters,
# its other attributes and its content.
SHEET_TOKEN = re.compile(
    rb'<row r="(\d+)"[^>]*>|<c r="([A-Z]{1,3})\d+"([^>]*?)'
    rb"(?:/>|><v>([^<]*)</v></c>|><is><t>([^<]*)</t></is></c>|>(.*?)</c>)",
    re.DOTALL,
)
NUMBER, DATE, SHARED, BOOL, ERROR, TEXT = range(6)
ROOT_TAG = re.compile(rb"<(worksheet)\b[^>]*>")
CELL_TYPE = re.compile(rb'\bt="(\w+)"')
CELL_STYLE = re.compile(rb'\bs="(\d+)"')
ESCAPED_CHARACTER = re.compile(r"_x([0-9A-Fa-f]{4})_")
EPOCH_1900 = datetime.datetime(1899, 12, 30)
EPOCH_1904 = datetime.datetime(1904, 1, 1)
# Built-in number formats that show a date or time (ECMA-376 18.8.30, with the East Asian ones).
BUILTIN_DATE_FORMATS = {*range(14, 23), *range(27, 37), *range(45, 48), *range(50, 59)}


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


def _too_large(what: str) -> PackageError:
    return PackageError(
        _(
            "The sheet is too large: %(what)s. Delete the empty rows and columns after your "
            "data (or a stray cell far away), or split the file, save, and upload it again."
        )
        % {"what": what}
    )


def too_many_rows(rows: int) -> PackageError:
    return _too_large(
        _("it reaches row %(rows)s, and at most %(max_rows)s rows can be imported")
        % {"rows": rows, "max_rows": settings.SHEGONG_IMPORT_MAX_ROWS}
    )


def too_many_columns(columns: int) -> PackageError:
    return _too_large(
        _("it reaches column %(columns)s, and at most %(max_columns)s columns can be imported")
        % {"columns": columns, "max_columns": settings.SHEGONG_IMPORT_MAX_COLUMNS}
    )


def too_many_cells(cells: int) -> PackageError:
    return _too_large(
        _("it has more than %(cells)s cells, and at most %(max_cells)s cells can be imported")
        % {"cells": cells, "max_cells": settings.SHEGONG_IMPORT_MAX_CELLS}
    )


def too_many_cells_in_row() -> PackageError:
    return _too_large(
        _(
            "a row has more than %(max_columns)s cells, and at most %(max_columns)s columns "
            "can be imported"
        )
        % {"max_columns": settings.SHEGONG_IMPORT_MAX_COLUMNS}
    )


def cell_too_long() -> PackageError:
    return PackageError(
        _(
            "A cell's content is too long (more than %(limit)s characters): this is not a table "
            "of people. Check the file and upload it again."
        )
        % {"limit": MAX_CELL_CHARS}
    )


def check_bounds(rows: int, columns: int) -> None:
    """Refuse a sheet reaching beyond the row, column or cell limit, naming the one exceeded."""
    if rows > settings.SHEGONG_IMPORT_MAX_ROWS and columns > settings.SHEGONG_IMPORT_MAX_COLUMNS:
        raise _too_large(
            _(
                "it reaches row %(rows)s and column %(columns)s, and at most %(max_rows)s "
                "rows and %(max_columns)s columns can be imported"
            )
            % {
                "rows": rows,
                "columns": columns,
                "max_rows": settings.SHEGONG_IMPORT_MAX_ROWS,
                "max_columns": settings.SHEGONG_IMPORT_MAX_COLUMNS,
            }
        )
    if rows > settings.SHEGONG_IMPORT_MAX_ROWS:
        raise too_many_rows(rows)
    if columns > settings.SHEGONG_IMPORT_MAX_COLUMNS:
        raise too_many_columns(columns)
    if rows * columns > settings.SHEGONG_IMPORT_MAX_CELLS:
        raise too_many_cells(settings.SHEGONG_IMPORT_MAX_CELLS)


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

    def _stream(self, name: str, size: int = READ_BYTES):
        try:
            with self.zip.open(name) as handle:
                yield from iter(lambda: handle.read(size), b"")
        except (zipfile.BadZipFile, OSError, EOFError, zlib.error) as exc:
            raise not_xlsx() from exc

    # --- the request's look: dimension and header only ------------------------------------
    def sheet_head(self, part: str) -> SheetHead:
        """Read the sheet as a stream up to its header row and the first cell with a value
        after it, and stop there. A header row wider than the column limit, or one not found
        within HEAD_BYTES, is refused; so is a cell longer than MAX_CELL_BYTES. Memory holds
        one cell at a time."""
        parser = ElementTree.XMLPullParser(events=("start", "end"))
        declared = None
        header_cells = None
        has_data = False
        seen_head = b""
        fed = pending = 0
        parents: list[ElementTree.Element] = []
        row_cells: list[tuple[int, str, str]] = []
        row_count = column = 0
        try:
            for block in self._stream(part, HEAD_BLOCK):
                if declared is None and len(seen_head) < 64 * 1024:
                    seen_head += block[: 64 * 1024]
                    match = DIMENSION.search(seen_head)
                    if match:
                        declared = self._check_dimension(match.group(1).decode("ascii", "replace"))
                parser.feed(block)
                fed += len(block)
                pending += len(block)
                for event, element in parser.read_events():
                    tag = element.tag
                    if event == "start":
                        parents.append(element)
                        if tag == f"{MAIN}row":
                            row_cells, row_count, column = [], 0, 0
                        elif tag == f"{MAIN}c":
                            row_count += 1
                            if row_count > settings.SHEGONG_IMPORT_MAX_COLUMNS:
                                raise too_many_cells_in_row()
                        continue
                    parents.pop()
                    if tag not in CELL_CONTENT:
                        pending = 0
                    if tag == f"{MAIN}c":
                        column, kind, value = _cell(element, column)
                        if value and header_cells is not None:
                            has_data = True
                            break
                        if value:
                            row_cells.append((column, kind, value))
                    elif tag == f"{MAIN}row" and row_cells and header_cells is None:
                        header_cells = row_cells
                    if parents and tag in (f"{MAIN}c", f"{MAIN}row"):
                        parents[-1].remove(element)  # keep one cell and row in memory
                if has_data:
                    break
                if pending > MAX_CELL_BYTES:
                    raise cell_too_long()
                if fed > HEAD_BYTES * (2 if header_cells is not None else 1):
                    if header_cells is None:
                        raise PackageError(
                            _(
                                "No header row was found at the start of the sheet. Put the "
                                "column names in the first row and upload it again."
                            )
                        )
                    has_data = True  # undecided here: the background check counts the rows
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
        wanted = {int(value) for _c, kind, value in cells if kind == "s" and value.isdecimal()}
        strings = self._shared_strings(wanted)
        first = min(column for column, _k, _v in cells)
        texts: list[str] = []
        for column, kind, value in cells:
            if kind == "s":
                value = strings.get(int(value), "") if value.isdecimal() else ""
            position = column - first
            texts.extend([""] * (position + 1 - len(texts)))
            texts[position] = value.strip()
        return texts

    def _shared_strings(self, wanted: set[int] | None) -> dict[int, str]:
        """The shared strings of index in ``wanted`` (all of them for None: only their
        sizes are checked then), read as a stream up to the last one wanted. A string longer
        than MAX_CELL_BYTES is refused before it is in memory."""
        if wanted is not None and not wanted or "xl/sharedStrings.xml" not in self.names:
            return {}
        last = max(wanted) if wanted is not None else None
        parser = ElementTree.XMLPullParser(events=("start", "end"))
        strings: dict[int, str] = {}
        index = 0
        pending = 0
        root = None
        try:
            for block in self._stream("xl/sharedStrings.xml", HEAD_BLOCK):
                parser.feed(block)
                pending += len(block)
                for event, element in parser.read_events():
                    if event == "start":
                        if root is None:
                            root = element
                        continue
                    if element.tag == f"{MAIN}si":
                        pending = 0
                        if wanted is not None and index in wanted:
                            strings[index] = _string_item(element)
                        index += 1
                        root.remove(element)
                if pending > MAX_CELL_BYTES:
                    raise cell_too_long()
                if last is not None and index > last:
                    break
        except ElementTree.ParseError as exc:
            raise not_xlsx() from exc
        return strings

    def check_strings(self) -> None:
        """Refuse a shared string longer than MAX_CELL_BYTES (the fast reader holds them all).

        Measured as the distance between <si> tags, at C speed (XML text holds no "<", so
        each is a real tag); a part with prefixed tags or CDATA sections is parsed instead."""
        if "xl/sharedStrings.xml" not in self.names:
            return
        since = 0
        for block in self._stream("xl/sharedStrings.xml"):
            if b"<![CDATA[" in block or PREFIXED_SI.search(block):
                self._shared_strings(None)
                return
            starts = [block.find(marker) for marker in SI_TAGS]
            first = min((start for start in starts if start >= 0), default=-1)
            if first < 0:
                since += len(block)
            else:
                if since + first > MAX_CELL_BYTES:
                    raise cell_too_long()
                since = len(block) - max(block.rfind(marker) for marker in SI_TAGS)
            if since > MAX_CELL_BYTES:
                raise cell_too_long()

    # --- the worker's look: every cell reference ------------------------------------------
    def check_extent(self, part: str) -> int | None:
        """Bound the sheet's real last row and column (and its declared dimension) before it
        is read. Returns the number of rows of a plain sheet (every cell and row tag unprefixed
        and starting with its reference, as Excel, WPS and openpyxl write them), which
        ``rows`` can stream; None for any other.

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
        cells = row_cells = 0  # every <c> counts, repeated or empty: the reader holds them
        row_tags = 0
        max_cells = settings.SHEGONG_IMPORT_MAX_CELLS
        max_columns = settings.SHEGONG_IMPORT_MAX_COLUMNS
        since_tag = 0  # bytes since the last "<": one cell's text (no "<" in XML text)
        span = CellSpan()
        for block in self._stream(part):
            since_tag = _text_run(block, since_tag)
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
            if len(tail) > READ_BYTES:  # a text or tag longer than a megabyte
                raise cell_too_long()
            data = data[:cut]
            # Every <c..> and <row..> tag must start with its reference, as Excel writes them
            # (text cannot hold a "<"); prefixed tags (<x:c>) are not counted, so walked.
            block_cells, block_rows = data.count(b'<c r="'), data.count(b'<row r="')
            tags = data.count(b"<c") + data.count(b"<row")
            if tags > block_cells + block_rows:  # other tags alike: only then count them
                tags -= sum(data.count(other) for other in NOT_CELLS)
            if not plain or tags > block_cells + block_rows:
                self._walk_extent(part)
                return None
            row_tags += block_rows
            span.feed(data)
            cells += block_cells
            if cells > max_cells:
                raise too_many_cells(max_cells)
            if row_cells + block_cells > max_columns:
                # Some row may be too long: count each row's cells (in C, one call a row).
                pieces = data.split(b'<row r="')
                row_cells += pieces[0].count(b'<c r="')
                if (
                    row_cells > max_columns
                    or len(pieces) > 1
                    and (max(map(bytes.count, pieces[1:], repeat(b'<c r="'))) > max_columns)
                ):
                    raise too_many_cells_in_row()
                if len(pieces) > 1:
                    row_cells = pieces[-1].count(b'<c r="')
            else:
                row_cells = (
                    row_cells + block_cells
                    if not block_rows
                    else (data[data.rfind(b'<row r="') :].count(b'<c r="'))
                )
            # Only references long enough to pass a bound are read: all others are within it.
            # Checked per block, not per reference: a far cell's <row> tag comes before the
            # cell, and the message names both its row and its column.
            for letters, digits in self.long_references.findall(data):
                last_row = max(last_row, int(digits))
                if letters:
                    last_column = max(last_column, column_number(letters))
            check_bounds(last_row, last_column)
        return row_tags

    def _walk_extent(self, part: str) -> None:
        last_row = last_column = 0
        row = column = 0
        cells = row_cells = since_tag = 0
        tail = b""
        for block in self._stream(part):
            since_tag = _text_run(block, since_tag)
            data = tail + block
            cut = data.rfind(b">") + 1
            tail = data[cut:]
            if len(tail) > READ_BYTES:
                raise cell_too_long()
            for match in TAG.finditer(data, 0, cut):
                kind, attributes = match.groups()
                ref = REF.search(attributes)
                if kind == b"row":
                    row = int(ref.group(2)) if ref and ref.group(2) else row + 1
                    column = row_cells = 0
                    continue
                cells += 1
                row_cells += 1
                if cells > settings.SHEGONG_IMPORT_MAX_CELLS:
                    raise too_many_cells(settings.SHEGONG_IMPORT_MAX_CELLS)
                if row_cells > settings.SHEGONG_IMPORT_MAX_COLUMNS:
                    raise too_many_cells_in_row()
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

    # --- the worker's read: the rows of a plain sheet, as a stream ------------------------
    def rows(self, part: str) -> Iterator[tuple[int, list]]:
        """``(row number, cells)`` of every row of a sheet ``check_extent`` found plain, as a
        stream: memory holds the shared strings and one block of the sheet, never the sheet.

        Cells come as the fast reader gives them: text, float, bool, and a date or datetime
        for a number in a date format; placed by column from column A, a row ending at its
        last cell. The usual cell forms (``<c r=".." ..><v>..</v></c>``, empty, inline string)
        are read by one regular expression a block at a time; any other (formulas, rich
        text, CDATA) is parsed as XML on its own. Only for plain sheets: their bounds were
        checked, and every cell and row tag starts with its reference."""
        strings = self._all_strings()
        dates, epoch = self._date_styles()
        kinds: dict[bytes, int] = {}
        columns: dict[bytes, int] = {}
        converted: dict[bytes, object] = {}
        root_tag = b""
        number = 0
        cells: list | None = None

        def whole_rows() -> Iterator[tuple[bytes, int]]:
            """(data, end): the sheet's XML in blocks cut before their last row's start, so
            each holds whole rows (a row may end with "/>" as well as "</row>")."""
            nonlocal root_tag
            tail = b""
            started = False
            for block in self._stream(part, STREAM_BYTES):
                data = tail + block
                if not root_tag:
                    found = ROOT_TAG.search(data)
                    if found is None:
                        tail = data
                        continue
                    root_tag = found.group(0)
                cut = data.rfind(b'<row r="')
                if cut <= 0:
                    # Before the first row nothing is kept (a long preamble stays out of
                    # memory); a row longer than a block is kept whole (its size was bounded).
                    tail = data if started or cut == 0 else data[-16:]
                    continue
                started = True
                yield data, cut
                tail = data[cut:]
            yield tail, len(tail)

        for data, cut in whole_rows():
            for row_digits, letters, attributes, v, inline, other in SHEET_TOKEN.findall(
                data, 0, cut
            ):
                if row_digits:
                    if cells is not None:
                        yield number, cells
                    number, cells = int(row_digits), []
                    continue
                column = columns.get(letters)
                if column is None:
                    column = columns[letters] = column_number(letters) - 1
                kind = kinds.get(attributes)
                if kind is None:
                    kind = kinds[attributes] = _cell_kind(attributes, dates)
                if v:
                    if kind == NUMBER:
                        value = float(v)
                    elif kind == SHARED:
                        value = strings[int(v)]
                    elif kind == DATE:
                        value = converted.get(v)
                        if value is None:
                            if len(converted) > 10_000:
                                converted.clear()
                            value = converted[v] = _excel_date(float(v), epoch)
                    elif kind == BOOL:
                        value = v == b"1"
                    elif kind == ERROR:
                        value = ""  # #N/A and the like: an empty cell to the fast reader too
                    else:
                        value = _xml_text(v)
                elif inline:
                    value = _xml_text(inline)
                elif other:
                    value = self._odd_cell(root_tag, letters, attributes, other, strings)
                    if kind == DATE and value.__class__ is float:
                        value = _excel_date(value, epoch)
                else:
                    value = ""
                width = len(cells)
                if column == width:
                    cells.append(value)
                elif column > width:
                    cells.extend([""] * (column - width))
                    cells.append(value)
                else:
                    cells[column] = value
        if cells is not None:
            yield number, cells

    def _odd_cell(self, root_tag, letters, attributes, content, strings):
        """A cell in any other form, parsed as XML in its sheet's namespaces."""
        cell = b'<c r="' + letters + b'1"' + attributes + b">" + content + b"</c>"
        root = ElementTree.fromstring(root_tag + cell + b"</worksheet>")  # noqa: S314 - bounded
        _column, cell_type, value = _cell(root[0], 0)
        if cell_type == "s":
            return strings[int(value)]
        if cell_type == "n":
            return float(value) if value else ""
        if cell_type == "b":
            return value == "1"
        return "" if cell_type == "e" else value

    def _all_strings(self) -> list[str]:
        """Every shared string, in order (their sizes were checked by ``check_strings``)."""
        if "xl/sharedStrings.xml" not in self.names:
            return []
        parser = ElementTree.XMLPullParser(events=("start", "end"))
        strings: list[str] = []
        root = None
        try:
            for block in self._stream("xl/sharedStrings.xml"):
                parser.feed(block)
                for event, element in parser.read_events():
                    if event == "start":
                        if root is None:
                            root = element
                        continue
                    if element.tag == f"{MAIN}si":
                        text = _string_item(element)
                        if "_x" in text:
                            text = ESCAPED_CHARACTER.sub(_escaped, text)
                        strings.append(text)
                        root.remove(element)
                if len(strings) > settings.SHEGONG_IMPORT_MAX_CELLS:
                    raise too_many_cells(settings.SHEGONG_IMPORT_MAX_CELLS)
        except ElementTree.ParseError as exc:
            raise not_xlsx() from exc
        return strings

    def _date_styles(self) -> tuple[set[int], datetime.datetime]:
        """The cell styles (``s``) whose number format shows a date or time, and the workbook's
        epoch (1899-12-30, or 1904-01-01 for a workbook in the 1904 date system)."""
        epoch = EPOCH_1900
        if "xl/workbook.xml" in self.names:
            properties = self._small_xml("xl/workbook.xml").find(f"{MAIN}workbookPr")
            if properties is not None and properties.get("date1904") in ("1", "true"):
                epoch = EPOCH_1904
        if "xl/styles.xml" not in self.names:
            return set(), epoch
        styles = self._small_xml("xl/styles.xml")
        custom = {
            item.get("numFmtId"): item.get("formatCode", "")
            for item in styles.iter(f"{MAIN}numFmt")
        }
        dated = set()
        cell_formats = styles.find(f"{MAIN}cellXfs")
        for index, xf in enumerate(cell_formats if cell_formats is not None else ()):
            format_id = xf.get("numFmtId", "0")
            if format_id in custom:
                if _is_date_format(custom[format_id]):
                    dated.add(index)
            elif format_id.isdecimal() and int(format_id) in BUILTIN_DATE_FORMATS:
                dated.add(index)
        return dated, epoch


class CellSpan:
    """The bytes between cell and row tags of a sheet's <sheetData>: one cell's content, which
    may be many short runs of an inline string. Fed whole tags (blocks cut after a ">");
    refuses a span longer than MAX_CELL_BYTES across blocks (within one it is at most a
    block)."""

    MARKS = (b'<c r="', b'<row r="', b"</row>", b"<sheetData", b"</sheetData>")

    def __init__(self):
        self.started = self.done = False
        self.since = 0

    def feed(self, data: bytes) -> None:
        if self.done:
            return
        starting = not self.started and b"<sheetData" in data
        self.started = self.started or starting
        if not self.started:
            return
        starts = [start for start in (data.find(mark) for mark in self.MARKS) if start >= 0]
        if b"</sheetData>" in data:
            self.done = True  # what follows (merged cells, formats) is not a cell's
        if not starts:
            self.since += len(data)
        else:
            if not starting and self.since + min(starts) > MAX_CELL_BYTES:
                raise cell_too_long()
            self.since = len(data) - max(data.rfind(mark) for mark in self.MARKS)
        if not self.done and self.since > MAX_CELL_BYTES:
            raise cell_too_long()


def _text_run(block: bytes, since_tag: int) -> int:
    """Bytes since the last "<" after ``block``, given those before it; refuses a text run
    (a cell's text: XML text holds no "<") longer than MAX_CELL_BYTES across blocks."""
    first = block.find(b"<")
    if first < 0:
        since_tag += len(block)
    elif since_tag + first > MAX_CELL_BYTES:
        raise cell_too_long()
    else:
        since_tag = len(block) - block.rfind(b"<") - 1
    if since_tag > MAX_CELL_BYTES:
        raise cell_too_long()
    return since_tag


def _cell(cell: ElementTree.Element, previous: int) -> tuple[int, str, str]:
    """(column number, type, raw value) of a <c> element; the column follows the previous
    cell's when the cell has no reference."""
    ref = CELL.fullmatch(cell.get("r", ""))
    column = column_number(ref.group(1)) if ref else previous + 1
    check_bounds(1, column)
    kind = cell.get("t", "n")
    if kind == "inlineStr":
        value = "".join(t.text or "" for t in cell.iter(f"{MAIN}t"))
        kind = "str"
    else:
        v = cell.find(f"{MAIN}v")
        value = v.text or "" if v is not None else ""
    return column, kind, value


def _string_item(item: ElementTree.Element) -> str:
    """The text of a shared string, without its phonetic (rPh) runs."""
    parts = []
    for child in item:
        if child.tag == f"{MAIN}t":
            parts.append(child.text or "")
        elif child.tag == f"{MAIN}r":
            parts.extend(t.text or "" for t in child.iter(f"{MAIN}t"))
    return "".join(parts)


def _cell_kind(attributes: bytes, dates: set[int]) -> int:
    """What a cell's value is, from its attributes after its reference: NUMBER, DATE (a
    number in a date format), SHARED (a shared string's index), BOOL, ERROR or TEXT."""
    found = CELL_TYPE.search(attributes)
    cell_type = found.group(1) if found else b"n"
    if cell_type == b"n":
        style = CELL_STYLE.search(attributes)
        return DATE if style is not None and int(style.group(1)) in dates else NUMBER
    return {b"s": SHARED, b"b": BOOL, b"e": ERROR}.get(cell_type, TEXT)


def _is_date_format(code: str) -> bool:
    """Whether a custom number format shows a date or time: a d, m, y, h or s outside quoted
    text, brackets (colours, locales) and escaped characters, as spreadsheet programs read it."""
    bare = re.sub(r'"[^"]*"|\[[^\]]*\]|\\.|_.|\*.', "", code.split(";")[0])
    return any(letter in "dmyhs" for letter in bare.lower())


def _excel_date(serial: float, epoch: datetime.datetime):
    """A date-formatted number as the fast reader gives it: a date when whole, else a
    datetime (to the millisecond)."""
    if serial < 61 and epoch is EPOCH_1900:
        serial += 1  # Excel counts a 29 February 1900 that never was
    moment = epoch + datetime.timedelta(milliseconds=round(serial * 86_400_000))
    if moment.hour == moment.minute == moment.second == moment.microsecond == 0:
        return moment.date()
    return moment


def _xml_text(raw: bytes) -> str:
    text = raw.decode()
    if "&" in text:
        text = html.unescape(text)  # the XML entities and character references
    if "_x" in text:
        text = ESCAPED_CHARACTER.sub(_escaped, text)
    return text


def _escaped(match: re.Match) -> str:
    """A character the file format writes as _xHHHH_ (a carriage return: _x000D_)."""
    return chr(int(match.group(1), 16))
