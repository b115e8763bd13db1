"""Import people from a spreadsheet: the person-specific half of an import job.

The imports app runs the job (upload, tasks, progress, error report); this module knows the
columns, checks each row with the same rules and messages as ``person_create``, finds duplicate
ID numbers inside the file and against the database (by blind index, in chunks), and inserts the
valid rows in bulk. It is written for speed: an import of 100k rows must beat a spreadsheet
library merely reading the file, so per-row work is kept to validation, encryption and hashing,
and everything that repeats (area codes, search text of names, communities) is cached.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from auditlog.context import disable_auditlog
from django.core.exceptions import ValidationError
from django.db import connection
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from shegong.core.masks import mask_id_number
from shegong.core.scope import CHANGE, can
from shegong.imports.columns import RowsChanged, normalise
from shegong.imports.columns import map_header as map_columns
from shegong.imports.parallel import parallel_map
from shegong.imports.readers import cell_text, open_table
from shegong.people.choices import PERMIT_PREFIX, IdType
from shegong.people.import_columns import COLUMN_LABELS, COLUMNS, HEADERS
from shegong.people.models import Person
from shegong.people.search import search_text_for
from shegong.people.selectors import id_indexes_on_record
from shegong.people.services import (
    clean_person_fields,
    duplicate_message,
    id_number_index,
    log_duplicate_hits,
)

CHUNK_ROWS = 2000  # rows checked against the database per query, and inserted per batch


# What people type in the ID-type column, besides our own codes and labels.
ID_TYPE_ALIASES = {
    "身份证": IdType.RESIDENT_ID,
    "居民身份证": IdType.RESIDENT_ID,
    "resident id": IdType.RESIDENT_ID,
    "台湾居民居住证": IdType.TAIWAN_PERMIT,
    "台湾居住证": IdType.TAIWAN_PERMIT,
    "香港居民居住证": IdType.HK_PERMIT,
    "香港居住证": IdType.HK_PERMIT,
    "澳门居民居住证": IdType.MACAU_PERMIT,
    "澳门居住证": IdType.MACAU_PERMIT,
    "护照": IdType.PASSPORT,
    "passport": IdType.PASSPORT,
}
# "港澳台居民居住证" names three kinds at once: the number's prefix tells which.
PERMIT_BY_PREFIX = {prefix: kind for kind, prefix in PERMIT_PREFIX.items()}
ANY_PERMIT = {"港澳台居民居住证", "港澳台居住证", "居住证", "residence permit"}


_normalise_header = normalise


def map_header(header: list[str]) -> dict[str, int]:
    """Column key -> position in the row. A missing required column fails with its name."""
    return map_columns(COLUMNS, header)


def _id_type_lookup() -> dict[str, str]:
    lookup = {_normalise_header(k): v for k, v in ID_TYPE_ALIASES.items()}
    for value, label in IdType.choices:
        lookup[_normalise_header(value)] = value
        lookup[_normalise_header(str(label))] = value
    return lookup


@dataclass
class Target:
    """Where the imported people go, and what the importing user may choose there."""

    actor: object
    default_community_id: int | None
    owner_agency_id: int | None
    communities: dict[str, int]  # community name or statistical code -> id, for allowed ones

    @classmethod
    def for_actor(cls, actor, *, community=None, agency=None) -> Target:
        from shegong.people.selectors import person_community_choices

        allowed = {}
        for pk, code, name in person_community_choices(actor).values_list("pk", "code", "name"):
            allowed[code] = pk
            allowed.setdefault(name, pk)
        return cls(
            actor=actor,
            default_community_id=community.pk if community else None,
            owner_agency_id=agency.pk if agency else None,
            communities=allowed,
        )


# A checked row: (row number, staged row or None, errors or None, report cells or None).
# The staged row is ready for the database (see _Staging); ``errors`` a list of (column key,
# message); ``report cells`` what the error report shows to find the row (name, masked ID
# number). Tuples, not objects: 100k of them go by per import.
Checked = tuple


class PeopleImporter:
    """Check and insert people rows for one import target."""

    columns = COLUMNS
    column_labels = COLUMN_LABELS
    report_headers = (gettext_lazy("Name"), gettext_lazy("ID number (masked)"))

    def __init__(self, target: Target, *, today: datetime.date | None = None):
        self.target = target
        self.today = today or datetime.date.today()
        self.id_types = _id_type_lookup()
        self.seen: dict[str, int] = {}  # blind index -> first row with that ID number
        self._plan: _Staging | None = None

    @classmethod
    def for_job(cls, job) -> PeopleImporter:
        return cls(Target.for_actor(job.created_by, community=job.community, agency=job.agency))

    # --- checking ------------------------------------------------------------------------
    def check_file(self, path, file_format: str) -> Iterator[list]:
        """Read the uploaded file and check it: the runner's entry point."""
        table = open_table(path, file_format)
        try:
            positions = map_header(table.header)
            yield from self.check(table.rows, positions)
        finally:
            table.close()

    def check(self, rows: Iterable[tuple[int, list]], positions: dict[str, int]) -> Iterator[list]:
        """Check every row; yield lists of checked rows, one list per chunk.

        Empty rows are skipped (spreadsheets often end with a few). A row is valid when every
        cell passes the person rules, its ID number is not earlier in the file and no person
        in the database has it.
        """
        columns = [
            (key, positions.get(key))
            for key in ("name", "id_type", "id_number", "mobile", "community")
        ]

        def text_chunks():
            chunk: list[tuple[int, list[str]]] = []
            for row_number, cells in rows:
                width = len(cells)
                texts = [
                    cell_text(cells[index]) if index is not None and index < width else ""
                    for _key, index in columns
                ]
                if not any(texts):
                    continue
                chunk.append((row_number, texts))
                if len(chunk) >= CHUNK_ROWS:
                    yield chunk
                    chunk = []
            if chunk:
                yield chunk

        # Checking and staging a row needs no database, so chunks go to other cores; the
        # duplicate check against the file and the database stays here, in order.
        for checked in parallel_map(self._check_chunk, text_chunks()):
            yield self._dedupe(checked)

    def _check_chunk(self, chunk: list[tuple[int, list[str]]]) -> list[list]:
        """Check a chunk of rows and stage (encrypt) the valid ones: the CPU-bound part."""
        stage = self._staging().stage
        checked = []
        for row_number, texts in chunk:
            item = self._check_cells(row_number, texts)
            values, errors, index = item[1], item[2], item[3]
            item.append(None if errors else stage(row_number, values, index))
            item[1] = None  # the staged row carries the values; less to send back
            checked.append(item)
        return checked

    def check_cells(self, row_number: int, texts: list[str]) -> list:
        """One row's cells (name, ID type, ID number, mobile, community) by the person rules,
        without the duplicate check: for importers that carry people among other records (the
        case register). Returns [row, values or None, errors, blind index or None, name, ID]."""
        return self._check_cells(row_number, texts)

    def _check_cells(self, row_number: int, texts: list[str]) -> list:
        name, id_type_text, id_number, mobile, community_text = texts
        errors = []
        if id_type_text:
            id_type = self.id_types.get(_normalise_header(id_type_text))
            if id_type is None and _normalise_header(id_type_text) in ANY_PERMIT:
                id_type = PERMIT_BY_PREFIX.get(id_number[:6], IdType.TAIWAN_PERMIT)
            if id_type is None:
                errors.append(("id_type", _("Unknown ID type.")))
                id_type = IdType.RESIDENT_ID
        else:
            id_type = IdType.RESIDENT_ID
        if community_text:
            community_id = self.target.communities.get(community_text)
            if community_id is None:
                errors.append(
                    ("community", _("Unknown community, or one where you may not place people."))
                )
        else:
            community_id = self.target.default_community_id
            if community_id is None and self.target.owner_agency_id is None:
                errors.append(
                    ("community", _("Name the home community, or choose a default community."))
                )
        try:  # an empty ID number is refused here, as on the page
            cleaned = clean_person_fields(
                {"name": name, "id_type": id_type, "id_number": id_number, "mobile": mobile},
                today=self.today,
            )
        except ValidationError as exc:
            for field, messages in exc.message_dict.items():
                errors.extend((field, message) for message in messages)
            cleaned = None
            number = None
            if "id_number" not in exc.message_dict and id_number:
                # The number itself is fine: still remember it, so a later row repeating it is
                # reported even if this row is skipped for another reason.
                number = clean_person_fields(
                    {"name": "-", "id_type": id_type, "id_number": id_number}, today=self.today
                )["id_number"]
        else:
            number = cleaned["id_number"] or None
        values = None
        if cleaned is not None and not errors:
            values = (
                cleaned["name"],
                cleaned["gender"],
                cleaned.get("birth_date"),
                id_type,
                cleaned["id_number"],
                cleaned["mobile"],
                community_id,
            )
        return [
            row_number,
            values,
            errors,
            id_number_index(number) if number else None,
            name,
            id_number,
        ]

    def _dedupe(self, chunk: list[list]) -> list[Checked]:
        seen = self.seen
        fresh: dict[str, list] = {}
        for item in chunk:
            index = item[3]
            if index is None:
                continue
            first = seen.get(index)
            if first is not None:
                item[2].append(
                    (
                        "id_number",
                        _("This ID number is already on row %(row)s of this file.")
                        % {"row": first},
                    )
                )
            else:
                seen[index] = item[0]
                fresh[index] = item
        if fresh:
            on_record = id_indexes_on_record(list(fresh))
            # Only the (rare) duplicates are loaded, for the message naming the existing record.
            existing = (
                list(Person.objects.filter(id_number_index__in=on_record)) if on_record else []
            )
            for person in existing:
                fresh[person.id_number_index][2].append(("id_number", duplicate_message(person)))
            log_duplicate_hits(actor=self.target.actor, people=existing, detail="import")
        return [
            (row_number, None, errors, (name, mask_id_number(id_number)))
            if errors
            else (row_number, staged, None, None)
            for row_number, _values, errors, _index, name, id_number, staged in chunk
        ]

    # --- inserting -----------------------------------------------------------------------
    def _staging(self) -> _Staging:
        if self._plan is None:
            self._plan = _Staging(self.target)
        return self._plan

    def insert(self, staged: list[list]) -> int:
        """Insert staged rows with one ``executemany``; the caller holds the transaction.

        Raises ``RowsChanged`` if someone registered one of the ID numbers since the check.
        """
        if not staged:
            return 0
        plan = self._staging()
        by_index = {row[STAGED_ID_INDEX]: row[0] for row in staged}
        for index in sorted(id_indexes_on_record(list(by_index)))[:1]:
            raise RowsChanged(by_index[index])
        rows = [plan.row(values) for values in staged]
        with disable_auditlog(), connection.cursor() as cursor:
            cursor.executemany(plan.sql, rows)
        return len(rows)


STAGED_ID_INDEX = 6  # position of the ID number's blind index in a staged row


class _Staging:
    """Valid rows made ready for the database while they are checked, and inserted later.

    A staged row holds no plaintext ID number or mobile: they are encrypted by the model
    fields' own ``get_db_prep_save`` (``EncryptedCharField``) and hashed by
    ``BlindIndexField.index_of``, exactly as ``save()`` would. So the check task can keep the
    staged rows on disk until the user chooses, and the import task only inserts them: the
    transaction that holds the database is short, and nothing is encrypted twice.

    The insert is ``bulk_create`` without the per-object model and SQL-compiler work, which
    cost more than the rest of an import together (measured by bench/people_import.py). The
    statement is built from Person's concrete fields, so a column added later gets its model
    default instead of breaking imports. Change history is one entry for the whole job
    (written by the caller), not one per person, so auditlog stays out of the bulk insert.
    """

    # Staged row: row number, then the columns below in this order.
    COLUMNS = (
        "name",
        "gender",
        "birth_date",
        "id_type",
        "id_number",
        "id_number_index",
        "mobile",
        "mobile_index",
        "search_text",
        "community_id",
    )

    def __init__(self, target: Target):
        meta = Person._meta
        self.encrypt_id = meta.get_field("id_number").get_db_prep_save
        self.encrypt_mobile = meta.get_field("mobile").get_db_prep_save
        self.index_id = meta.get_field("id_number_index").index_of
        self.index_mobile = meta.get_field("mobile_index").index_of
        self.target = target
        self.sql = None

    def stage(self, row_number: int, values: tuple, id_index: str | None) -> list:
        name, gender, birth_date, id_type, id_number, mobile, community_id = values
        return [
            row_number,
            name,
            str(gender),  # plain str, not the choices enum: staged rows are plain data
            birth_date.isoformat() if birth_date else None,
            str(id_type),
            self.encrypt_id(id_number, connection),
            id_index or self.index_id(id_number),
            self.encrypt_mobile(mobile, connection),
            self.index_mobile(mobile),
            search_text_for(name),
            community_id,
        ]

    def _prepare_insert(self) -> None:
        """The INSERT lists the staged columns first, in their staged order, then every other
        column with its fixed value: a row is then the staged values plus one shared tail,
        joined in C rather than slotted in one by one."""
        meta = Person._meta
        ops = connection.ops
        now = timezone.now()
        fixed = {
            "owner_agency_id": self.target.owner_agency_id,
            "created_by_id": getattr(self.target.actor, "pk", None),
        }
        fields = {f.attname: f for f in meta.concrete_fields if not f.primary_key}
        staged = [fields[name] for name in self.COLUMNS]
        others = [f for name, f in fields.items() if name not in self.COLUMNS]
        tail = []
        for field in others:
            if field.attname in fixed:
                value = fixed[field.attname]
            elif getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
                value = field.get_db_prep_save(now, connection)
            else:
                value = field.get_db_prep_save(field.get_default(), connection)
            tail.append(value)
        self.tail = tail
        self.birth_date_slot = self.COLUMNS.index("birth_date")
        prep_date = meta.get_field("birth_date").get_db_prep_save
        sample = datetime.date(2000, 1, 2)
        # SQLite stores a date as its ISO text, which the staged row already holds.
        self.prep_date = (
            None
            if prep_date(sample, connection) == sample.isoformat()
            else lambda text: prep_date(datetime.date.fromisoformat(text), connection)
        )
        table = ops.quote_name(meta.db_table)
        columns = ", ".join(ops.quote_name(f.column) for f in [*staged, *others])
        marks = ", ".join(["%s"] * (len(staged) + len(others)))
        # Table and column names come from the model, quoted by the backend; values are params.
        self.sql = f"INSERT INTO {table} ({columns}) VALUES ({marks})"  # noqa: S608

    def row(self, staged: list) -> list:
        if self.sql is None:
            self._prepare_insert()
        row = staged[1:] + self.tail
        birth_date = row[self.birth_date_slot]
        if birth_date and self.prep_date is not None:
            row[self.birth_date_slot] = self.prep_date(birth_date)
        return row


def may_import_people(user) -> bool:
    return can(user, Person, CHANGE)


__all__ = ["COLUMNS", "COLUMN_LABELS", "HEADERS", "PeopleImporter", "RowsChanged", "Target"]
