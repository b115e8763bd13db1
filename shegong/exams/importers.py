"""Import exam questions from a spreadsheet: the exams half of an import job.

The imports app runs the job; this reads the cells, checks each row with
``services.clean_question_fields`` (the single-question service's own check), finds repeats in
the file and in the bank, and inserts the valid rows through ``services.questions_bulk_create``.
A bank holds thousands of questions, not millions: rows are checked in the task, chunk by chunk.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from shegong.exams.import_columns import (
    CELL_ALIASES,
    COLUMN_LABELS,
    COLUMNS,
    KEYS,
    RESULT_COLUMN_LABELS,
    RESULT_COLUMNS,
    RESULT_KEYS,
)
from shegong.exams.models import ExamResult
from shegong.exams.services import (
    _clash_message,
    _duplicate_message,
    _duplicates_in_bank,
    _stem_key,
    actor_district,
    clean_question_fields,
    clean_result_fields,
    clean_result_person,
    people_by_id_number,
    questions_bulk_create,
    results_bulk_create,
)
from shegong.imports.columns import RowsChanged, map_header
from shegong.imports.readers import cell_text, open_table

CHUNK_ROWS = 500
STEM_SHOWN = 30  # characters of the question the error report shows


class QuestionImporter:
    columns = COLUMNS
    column_labels = COLUMN_LABELS
    report_headers = (gettext_lazy("Question"),)

    def __init__(self, actor):
        self.actor = actor
        self.district = actor_district(actor)
        self.seen: set[tuple[str, str, str]] = set()

    @classmethod
    def for_job(cls, job) -> QuestionImporter:
        return cls(job.created_by)

    def check_file(self, path, file_format: str) -> Iterator[list]:
        table = open_table(path, file_format)
        try:
            positions = map_header(COLUMNS, table.header)
            yield from self.check(table.rows, positions)
        finally:
            table.close()

    def check(self, rows: Iterable[tuple[int, list]], positions: dict[str, int]) -> Iterator[list]:
        chunk: list[tuple[int, dict]] = []
        for row_number, cells in rows:
            values = {
                key: cell_text(cells[positions[key]])
                if key in positions and positions[key] < len(cells)
                else ""
                for key in KEYS
            }
            if not any(values.values()):
                continue  # spreadsheets often end with a few empty rows
            chunk.append((row_number, values))
            if len(chunk) >= CHUNK_ROWS:
                yield self._check_chunk(chunk)
                chunk = []
        if chunk:
            yield self._check_chunk(chunk)

    def _check_chunk(self, chunk: list[tuple[int, dict]]) -> list[tuple]:
        checked: list[tuple] = []
        valid: list[tuple[int, dict, tuple]] = []
        for row_number, values in chunk:
            for key, aliases in CELL_ALIASES.items():
                values[key] = aliases.get("".join(values[key].split()), values[key])
            shown = (values["stem"][:STEM_SHOWN],)
            try:
                cleaned = clean_question_fields(values)
            except ValidationError as exc:
                errors = [
                    (field, message)
                    for field, messages in exc.message_dict.items()
                    for message in messages
                ]
                checked.append((row_number, None, errors, shown))
                continue
            key = _stem_key(cleaned)
            if key in self.seen:
                checked.append(
                    (
                        row_number,
                        None,
                        [("stem", _("The same question is earlier in the file."))],
                        shown,
                    )
                )
                continue
            self.seen.add(key)
            valid.append((row_number, cleaned, shown))
            checked.append(None)  # filled below, in file order
        in_bank = _duplicates_in_bank(self.district, {_stem_key(c) for _r, c, _s in valid})
        results = iter(valid)
        out = []
        for item in checked:
            if item is not None:
                out.append(item)
                continue
            row_number, cleaned, shown = next(results)
            existing = in_bank.get(_stem_key(cleaned))
            if existing is not None:
                out.append((row_number, None, [("stem", _duplicate_message(existing))], shown))
            else:
                out.append((row_number, [row_number, *[cleaned[k] for k in KEYS]], None, None))
        return out

    def insert(self, staged: list[list]) -> int:
        """Insert staged rows through the bulk service, inside the job's transaction; a row
        that no longer passes (the same question added meanwhile) raises ``RowsChanged``."""
        if not staged:
            return 0
        rows = [dict(zip(KEYS, row[1:], strict=True)) for row in staged]
        try:
            return len(questions_bulk_create(actor=self.actor, rows=rows))
        except ValidationError as exc:
            first = min(int(key.split(".")[0]) for key in exc.message_dict)
            raise RowsChanged(staged[first][0]) from exc


class ResultImporter:
    """Check and insert national exam results: each person found by name and ID number among
    the people on file (by blind index), each paper once per person and year."""

    columns = RESULT_COLUMNS
    column_labels = RESULT_COLUMN_LABELS
    report_headers = (gettext_lazy("Name"), gettext_lazy("ID number (masked)"))

    def __init__(self, actor):
        self.actor = actor
        self.seen: set[tuple] = set()

    @classmethod
    def for_job(cls, job) -> ResultImporter:
        return cls(job.created_by)

    def check_file(self, path, file_format: str) -> Iterator[list]:
        table = open_table(path, file_format)
        try:
            positions = map_header(RESULT_COLUMNS, table.header)
            yield from self.check(table.rows, positions)
        finally:
            table.close()

    def check(self, rows: Iterable[tuple[int, list]], positions: dict[str, int]) -> Iterator[list]:
        chunk: list[tuple[int, dict]] = []
        for row_number, cells in rows:
            values = {
                key: cell_text(cells[positions[key]])
                if key in positions and positions[key] < len(cells)
                else ""
                for key in RESULT_KEYS
            }
            if not any(values.values()):
                continue
            chunk.append((row_number, values))
            if len(chunk) >= CHUNK_ROWS:
                yield self._check_chunk(chunk)
                chunk = []
        if chunk:
            yield self._check_chunk(chunk)

    def _check_chunk(self, chunk: list[tuple[int, dict]]) -> list[tuple]:
        from shegong.core.masks import mask_id_number

        checked: list[list] = []
        for row_number, values in chunk:
            for key in ("subject", "level"):
                values[key] = CELL_ALIASES[key].get("".join(values[key].split()), values[key])
            shown = (values["name"], mask_id_number(values["id_number"]))
            errors: dict[str, list[str]] = {}
            cleaned = who = None
            try:
                who = clean_result_person(values["name"], values["id_number"])
            except ValidationError as exc:
                errors.update(exc.message_dict)
            try:
                cleaned = clean_result_fields(values)
            except ValidationError as exc:
                errors.update(exc.message_dict)
            checked.append([row_number, cleaned, who, errors, shown])
        found = people_by_id_number(
            (item[2]["name"], item[2]["id_number"]) for item in checked if not item[3]
        )
        wanted = {found[k].pk for k in found}
        on_record = set(
            ExamResult.objects.filter(person_id__in=wanted).values_list(
                "person_id", "year", "level", "subject"
            )
        )
        out = []
        for row_number, cleaned, who, errors, shown in checked:
            if not errors:
                person = found.get((who["name"], who["id_number"]))
                if person is None:
                    errors["id_number"] = [_("No person on file matches this name and ID number.")]
                else:
                    key = (person.pk, cleaned["year"], cleaned["level"], cleaned["subject"])
                    if key in self.seen:
                        errors["subject"] = [
                            _("The same paper of this person is earlier in the file.")
                        ]
                    elif key in on_record:
                        errors["subject"] = [_clash_message()]
                    else:
                        self.seen.add(key)
            if errors:
                flat = [(field, m) for field, messages in errors.items() for m in messages]
                out.append((row_number, None, flat, shown))
                continue
            score = cleaned["score"]
            out.append(
                (
                    row_number,
                    [
                        row_number,
                        person.pk,
                        cleaned["year"],
                        cleaned["level"],
                        cleaned["subject"],
                        None if score is None else str(score),
                        cleaned["passed"],
                    ],
                    None,
                    None,
                )
            )
        return out

    def insert(self, staged: list[list]) -> int:
        if not staged:
            return 0
        rows = [
            {
                "person_id": person_id,
                "year": year,
                "level": level,
                "subject": subject,
                "score": score,
                "passed": passed,
            }
            for _row, person_id, year, level, subject, score, passed in staged
        ]
        try:
            return len(results_bulk_create(actor=self.actor, rows=rows))
        except ValidationError as exc:
            first = min(int(key.split(".")[0]) for key in exc.message_dict)
            raise RowsChanged(staged[first][0]) from exc
