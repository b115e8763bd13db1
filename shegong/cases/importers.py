"""Import a legacy case register: one .xlsx with three sheets, run by the imports app's job
(upload, background check, progress, per-row error report, "import only the valid rows").

- 服务对象 (clients): checked by the people rules (``PeopleImporter.check_cells``). A client
  already on record in the importer's scope is linked, not registered again.
- 个案 (cases): each names its client by ID number, its worker by username, and whether it
  is still open or was closed (with reason and date).
- 服务记录 (service notes): each names its case by the legacy number; its participants add to
  the case's person-times (DESIGN §4.4).

Each row is checked by the rules its service applies: clients by the people rules, cases by
``clean_case_fields`` (``case_open``'s), notes by ``clean_note_fields`` (``note_add``'s), so a
row gets the message the page would give. What is the register's own is checked here: how
cells are read, the legacy numbers, and the references between the sheets. A row that refers
to something missing or broken (an unknown client, worker or case, or a client row with
errors) is itself an error, so the valid rows always fit together. The rows are written by
``people_bulk_create`` and ``cases_bulk_create``, which check them again. Registers
are small (thousands of rows), so the whole workbook is checked in memory. What is staged
between the check and the import is only which rows passed (sheet and row number), never
their content: the import checks the still-kept upload again and inserts those rows, all or
nothing, so no personal data waits on disk outside the upload itself.

Imported cases enter the state machine at intake (open) or closed: the register has no
assessment or approved plan to put them further along, and the worker continues from there.
Their number is ``L<agency>-<legacy number>``, which keeps the legacy number findable and
makes a second import of the same register fail on those rows instead of duplicating cases.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from dataclasses import dataclass, field

from auditlog.context import disable_auditlog
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from shegong.cases.choices import CaseSource, ClosureReason, ContactMethod, RiskLevel
from shegong.cases.models import Case, CaseEvent, ClientFile, TargetGroup
from shegong.cases.register_layout import (
    CASES,
    CLIENTS,
    CLOSED_WORDS,
    COLUMN_LABELS,
    COLUMNS,
    GROUP_SPLIT,
    LEGACY_MAX,
    NOTES,
    OPEN_WORDS,
    SHEET_LABELS,
    SHEETS,
    choices_lookup,
    map_header,
    norm,
    parse_date,
    whole_number,
)

# The layout is imported from here too (runner, templates, tests): one name for the import.
from shegong.cases.selectors import agency_workers
from shegong.cases.services import cases_bulk_create, clean_case_fields, clean_note_fields
from shegong.core.masks import mask_id_number
from shegong.core.scope import VIEW
from shegong.imports.columns import RowsChanged
from shegong.people.models import Person
from shegong.people.services import people_bulk_create

__all__ = ["COLUMNS", "COLUMN_LABELS", "SHEET_LABELS", "CaseRegisterImporter"]


# The case services' field names as the register's columns (the others are named alike).
CASE_COLUMNS = {"client": "client_id_number"}
NOTE_COLUMNS: dict[str, str] = {}


@dataclass
class Row:
    sheet: str
    number: int
    cells: dict
    errors: list = field(default_factory=list)
    data: dict = field(default_factory=dict)

    def error(self, column: str, message: str) -> None:
        self.errors.append((column, message))


def may_import_cases(user) -> bool:
    """Agency directors and supervisors import their agency's legacy register."""
    from shegong.cases.selectors import lead_agency_ids

    return bool(lead_agency_ids(user))


class CaseRegisterImporter:
    """Check and insert a legacy case register for one agency, on behalf of ``actor``."""

    column_labels = COLUMN_LABELS
    report_headers = (gettext_lazy("Record"), gettext_lazy("ID number (masked)"))
    several_sheets = True  # rows are reported with their sheet

    def __init__(self, *, actor, agency, path, today: datetime.date | None = None):
        from shegong.people.importers import PeopleImporter, Target

        self.actor = actor
        self.agency = agency
        self.path = path
        self.today = today or timezone.localdate()
        self.people = PeopleImporter(Target.for_actor(actor, agency=agency), today=self.today)
        self.rows: dict[str, list[Row]] = {}

    # --- reading -------------------------------------------------------------------------
    def _read(self) -> None:
        from shegong.imports.readers import open_sheet

        for sheet, names in SHEETS.items():
            table = open_sheet(self.path, names)
            try:
                positions = map_header(sheet, table.header)
                rows = []
                for number, cells in table.rows:
                    values = {
                        key: cells[index] if index < len(cells) else None
                        for key, index in positions.items()
                    }
                    if any(v not in (None, "") for v in values.values()):
                        rows.append(Row(sheet, number, values))
                self.rows[sheet] = rows
            finally:
                table.close()

    @staticmethod
    def _text(row: Row, key: str) -> str:
        from shegong.imports.readers import cell_text

        return cell_text(row.cells.get(key))

    def _checked_text(self, row: Row, key: str, field) -> str:
        """The cell's text, checked by ``field``'s validators (control characters, bidi
        overrides, length) as a form would."""
        value = self._text(row, key)
        if value:
            try:
                field.run_validators(value)
            except ValidationError as error:
                for message in error.messages:
                    row.error(key, message)
        return value

    def _date(self, row: Row, key: str) -> datetime.date | None:
        """The cell as a date, or None when empty; a cell that is no date is this column's
        error (the service's rule then judges the dates it could read)."""
        try:
            return parse_date(row.cells.get(key))
        except ValueError:
            row.error(key, _("Write the date as 2024-03-05."))
            return None

    @staticmethod
    def _report(row: Row, errors: dict, columns: dict) -> None:
        """The service rule's field errors on the sheet's columns. A column the sheet already
        refused (a date it cannot read, a client it cannot find) is not reported twice."""
        refused = {column for column, _message in row.errors}
        for name, messages in errors.items():
            column = columns.get(name, name)
            if column not in refused:
                for message in messages:
                    row.error(column, message)

    # --- checking ------------------------------------------------------------------------
    def check_all(self) -> list[Row]:
        """Read the three sheets and check every row; rows keep their errors and clean data."""
        self._read()
        clients = self._check_clients()
        cases = self._check_cases(clients)
        self._check_notes(cases)
        return [row for sheet in SHEETS for row in self.rows[sheet]]

    def _check_clients(self) -> dict[str, Row]:
        """Client rows by the blind index of their ID number (rows whose number failed the
        check too, so a case naming such a client is told which row to fix)."""
        from shegong.people.services import (
            duplicate_message,
            id_number_index,
            log_duplicate_hits,
        )
        from shegong.people.validators import normalise_id_number

        groups = {}
        for group in TargetGroup.objects.filter(is_active=True):
            groups[norm(group.name)] = group.pk
            groups[norm(group.code)] = group.pk
        by_index: dict[str, Row] = {}
        for row in self.rows[CLIENTS]:
            texts = [
                self._text(row, key)
                for key in ("name", "id_type", "id_number", "mobile", "community")
            ]
            _n, values, errors, index, _name, _id = self.people.check_cells(row.number, texts)
            row.errors.extend(errors)
            row.data = {"values": values, "index": index, "masked": mask_id_number(texts[2])}
            if values is not None and values[6] is None:
                row.error("community", _("Name the client's home community."))
            wanted = [g for g in GROUP_SPLIT.split(self._text(row, "target_groups")) if g]
            unknown = [g for g in wanted if norm(g) not in groups]
            if unknown:
                row.error(
                    "target_groups",
                    _("Unknown target group: %(names)s.") % {"names": "、".join(unknown)},
                )
            row.data["groups"] = sorted({groups[norm(g)] for g in wanted if norm(g) in groups})
            if index is None:
                raw = normalise_id_number(texts[2])
                if raw:
                    by_index.setdefault(id_number_index(raw), row)
                continue
            if index in by_index:
                row.error(
                    "id_number",
                    _("This ID number is already on row %(row)s of this file.")
                    % {"row": by_index[index].number},
                )
                continue
            by_index[index] = row
        # Already on record: linked when the importer may see the person, refused otherwise.
        visible = set(
            Person.objects.for_user(self.actor, VIEW)
            .filter(id_number_index__in=list(by_index))
            .values_list("id_number_index", flat=True)
        )
        hidden = []
        for person in Person.objects.filter(id_number_index__in=list(by_index)):
            row = by_index[person.id_number_index]
            if person.id_number_index in visible:
                row.data["existing"] = person.pk
            else:
                row.error("id_number", duplicate_message(person))
                hidden.append(person)
        log_duplicate_hits(actor=self.actor, people=hidden, detail="import")
        return by_index

    def _check_cases(self, clients: dict[str, Row]) -> dict[str, Row]:
        from shegong.people.services import id_number_index
        from shegong.people.validators import normalise_id_number

        sources, risks, reasons = (
            choices_lookup(CaseSource),
            choices_lookup(RiskLevel),
            choices_lookup(ClosureReason),
        )
        workers = {u.username: u.pk for u in agency_workers(self.agency)}
        rows = self.rows[CASES]
        id_indexes = {}
        for row in rows:
            number = normalise_id_number(self._text(row, "client_id_number"))
            id_indexes[row.number] = id_number_index(number) if number else None
        unmatched = {i for i in id_indexes.values() if i and i not in clients}
        on_record = {
            p.id_number_index: p
            for p in Person.objects.for_user(self.actor, VIEW).filter(
                id_number_index__in=list(unmatched)
            )
        }
        legacy_seen: dict[str, Row] = {}
        for row in rows:
            legacy = self._checked_text(row, "legacy_number", CaseEvent._meta.get_field("note"))
            row.data["masked"] = mask_id_number(self._text(row, "client_id_number"))
            row.data["legacy"] = legacy
            if not legacy:
                row.error("legacy_number", _("Enter the legacy case number."))
            elif len(legacy) > LEGACY_MAX:
                row.error(
                    "legacy_number",
                    _("A legacy case number has at most %(n)s characters.") % {"n": LEGACY_MAX},
                )
            elif legacy in legacy_seen:
                row.error(
                    "legacy_number",
                    _("This case number is already on row %(row)s of this sheet.")
                    % {"row": legacy_seen[legacy].number},
                )
            else:
                legacy_seen[legacy] = row
            row.data["case_number"] = f"L{self.agency.pk:03d}-{legacy}"
            index = id_indexes[row.number]
            client_community = client_id_type = None
            if index is None:
                row.error("client_id_number", _("Enter the client's ID number."))
            elif index in clients:
                client_row = clients[index]
                if client_row.errors:
                    row.error(
                        "client_id_number",
                        _("The client on row %(row)s of sheet 服务对象 has errors.")
                        % {"row": client_row.number},
                    )
                row.data["client_index"] = index
                values = client_row.data.get("values")
                if values is not None:
                    client_community, client_id_type = values[6], values[3]
            elif index in on_record:
                person = on_record[index]
                client_community, client_id_type = person.community_id, person.id_type
                row.data["client_index"] = index
            else:
                row.error(
                    "client_id_number",
                    _(
                        "Unknown client: not in sheet 服务对象 and not on record among the "
                        "people you may see."
                    ),
                )
            username = self._text(row, "worker")
            row.data["worker"] = workers.get(username)
            if row.data["worker"] is None:
                row.error("worker", _("No social worker with this username works at your agency."))
            # Choices as the sheet names them (code or label); an unknown word goes to the
            # service's rule as typed, which refuses it with the service's message.
            source_text = self._text(row, "source")
            risk_text = self._text(row, "risk_level")
            status_text = norm(self._text(row, "status"))
            closed = status_text in CLOSED_WORDS
            if status_text and not closed and status_text not in OPEN_WORDS:
                row.error("status", _("Write 开案 (open) or 结案 (closed)."))
            reason_text = self._text(row, "closure_reason")
            cleaned, errors = clean_case_fields(
                client_community_id=client_community,
                client_id_type=client_id_type,
                source=sources.get(norm(source_text), source_text),
                presenting_problem=self._text(row, "presenting_problem"),
                risk_level=risks.get(norm(risk_text), risk_text) if risk_text else RiskLevel.LOW,
                intake_date=self._date(row, "intake_date"),
                closed=closed,
                closure_reason=reasons.get(norm(reason_text), reason_text) if closed else "",
                closed_on=(
                    self._date(row, "closed_on")
                    if closed
                    else (self._text(row, "closed_on") or None)
                ),
                today=self.today,
            )
            self._report(row, errors, CASE_COLUMNS)
            row.data.update(
                source=cleaned["source"],
                risk=cleaned["risk_level"],
                problem=cleaned["presenting_problem"],
                intake=cleaned["intake_date"],
                closed=closed,
                reason=cleaned["closure_reason"],
                closed_on=cleaned["closed_on"],
            )
        numbers = [r.data["case_number"] for r in rows if r.data.get("legacy")]
        for number in Case.objects.filter(number__in=numbers).values_list("number", flat=True):
            row = next(r for r in rows if r.data["case_number"] == number)
            row.error(
                "legacy_number",
                _("This case was imported before (case number %(number)s).") % {"number": number},
            )
        return legacy_seen

    def _check_notes(self, cases: dict[str, Row]) -> None:
        methods = choices_lookup(ContactMethod)
        for row in self.rows[NOTES]:
            legacy = self._text(row, "note_case")
            row.data["legacy"] = legacy
            case_row = cases.get(legacy)
            if case_row is None:
                row.error("note_case", _("Unknown case: not in sheet 个案."))
            elif case_row.errors:
                row.error(
                    "note_case",
                    _("The case on row %(row)s of sheet 个案 has errors.")
                    % {"row": case_row.number},
                )
            numbers = {}
            for key, default in (("duration_minutes", None), ("participants", 1)):
                try:
                    value = whole_number(row.cells.get(key))
                except ValueError:
                    value = self._text(row, key)  # refused by the rule as not a number
                numbers[key] = default if value is None else value
            method_text = self._text(row, "method")
            intake = case_row.data.get("intake") if case_row else None
            cleaned, errors = clean_note_fields(
                contact_date=self._date(row, "contact_date"),
                method=methods.get(norm(method_text), method_text),
                content=self._text(row, "content"),
                intake_date=intake,
                closed_on=case_row.data.get("closed_on") if case_row else None,
                today=self.today,
                **numbers,
            )
            self._report(row, errors, NOTE_COLUMNS)
            row.data.update(
                date=cleaned["contact_date"],
                duration_minutes=cleaned["duration_minutes"],
                participants=cleaned["participants"],
                method=cleaned["method"],
                content=cleaned["content"],
            )

    # --- the runner's interface ------------------------------------------------------------
    @classmethod
    def for_job(cls, job) -> CaseRegisterImporter:
        return cls(actor=job.created_by, agency=job.agency, path=job.file.path)

    def check_file(self, path=None, file_format: str = "xlsx") -> Iterator[list]:
        """One chunk of checked rows for the runner: (row, staged key or None, errors or None,
        report cells, sheet label). The staged key says which row passed, nothing more."""
        checked = []
        for row in self.check_all():
            record = row.data.get("legacy") or self._text(row, "name")
            report = (record, row.data.get("masked", ""))
            if row.errors:
                checked.append((row.number, None, row.errors, report, SHEET_LABELS[row.sheet]))
            else:
                checked.append((row.number, [row.sheet, row.number], None, None, ""))
        yield checked

    def insert(self, staged: list[list]) -> int:
        """Insert the rows that passed the check, checking the file again first: the staged
        keys must still be exactly the valid rows (the database may have changed since)."""
        wanted = {(sheet, number) for sheet, number in staged}
        rows = self.check_all()
        valid = {(r.sheet, r.number): r for r in rows if not r.errors}
        for key in sorted(wanted - set(valid), key=lambda k: k[1]):
            raise RowsChanged(key[1])
        chosen = {key: row for key, row in valid.items() if key in wanted}
        with disable_auditlog():
            return self._insert(chosen)

    def _insert(self, chosen: dict) -> int:
        clients = [r for (sheet, _n), r in chosen.items() if sheet == CLIENTS]
        cases = [r for (sheet, _n), r in chosen.items() if sheet == CASES]
        notes = [r for (sheet, _n), r in chosen.items() if sheet == NOTES]
        # New clients through the people service (the rules of person_create); their
        # communities were checked against the importer's choices row by row.
        new_people = []
        for row in clients:
            if "existing" in row.data:
                continue
            name, gender, birth_date, id_type, id_number, mobile, community = row.data["values"]
            new_people.append(
                {
                    "name": name,
                    "gender": gender,
                    "birth_date": birth_date,
                    "id_type": id_type,
                    "id_number": id_number,
                    "mobile": mobile,
                    "community_id": community,
                    "owner_agency": self.agency,
                }
            )
        people_bulk_create(actor=self.actor, rows=new_people)
        indexes = {r.data["index"] for r in clients} | {r.data["client_index"] for r in cases}
        people = {
            p.id_number_index: p
            for p in Person.objects.filter(id_number_index__in=list(indexes)).only(
                "pk", "id_number_index", "community_id"
            )
        }
        for row in clients:
            if row.data["groups"]:
                client_file, _created = ClientFile.objects.get_or_create(
                    person=people[row.data["index"]]
                )
                client_file.target_groups.add(*row.data["groups"])

        # Cases and notes through the case services' bulk write (the rules of case_open and
        # note_add, person-times counted as note_add counts them).
        position = {row.data["legacy"]: number for number, row in enumerate(cases)}
        imported = _("Imported from the legacy case register (%(number)s).")
        try:
            cases_bulk_create(
                actor=self.actor,
                agency=self.agency,
                today=self.today,
                cases=[
                    {
                        "number": row.data["case_number"],
                        "client_id": people[row.data["client_index"]].pk,
                        "worker_id": row.data["worker"],
                        "source": row.data["source"],
                        "presenting_problem": row.data["problem"],
                        "risk_level": row.data["risk"],
                        "intake_date": row.data["intake"],
                        "closed": row.data["closed"],
                        "closure_reason": row.data["reason"],
                        "closed_on": row.data["closed_on"],
                        "opened_note": imported % {"number": row.data["legacy"]},
                    }
                    for row in cases
                ],
                notes=[
                    {
                        "case": position[row.data["legacy"]],
                        "contact_date": row.data["date"],
                        "duration_minutes": row.data["duration_minutes"],
                        "method": row.data["method"],
                        "content": row.data["content"],
                        "participants": row.data["participants"],
                    }
                    for row in notes
                ],
            )
        except ValidationError as error:
            # Checked a moment ago: only a change in the database since can land here.
            sheet, index = next(iter(error.message_dict)).split(".")[:2]
            raise RowsChanged((cases if sheet == "cases" else notes)[int(index)].number) from error
        return len(chosen)
