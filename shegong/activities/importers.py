"""Import attendance from a spreadsheet: the activities half of an import job.

The imports app runs the job (upload, tasks, progress, error report); this module reads the
cells, checks each row with the same ``clean_*`` functions as the services, finds the session
(the activity's session on the row's day) and the person (by the blind index of the ID number,
else of the mobile with the name; chunk by chunk, one query each, never decrypting), reports
repeats in the file and on record, and inserts the valid rows through
``services.attendance_bulk_create``.

Written for speed (a street's sheet of a year runs to a million rows): the per-row work that
needs no database (cleaning, hashing) runs on other cores (``imports.parallel``), everything that
repeats (days, activity names, sessions) is cached, and the parent keeps one small entry per
valid row to find repeats.
"""

from __future__ import annotations

import datetime
import json
from collections.abc import Iterable, Iterator
from operator import itemgetter

from django.core.exceptions import ValidationError
from django.db import connection
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from shegong.activities.choices import RegistrationStatus
from shegong.activities.import_columns import COLUMN_LABELS, COLUMNS, IDENTIFYING
from shegong.activities.models import Activity, ActivitySession, Attendance, Registration
from shegong.activities.services import (
    _ids_subquery,
    attendance_bulk_create,
    clean_attendance_date,
    clean_attendee,
)
from shegong.core.masks import mask_id_number, mask_mobile
from shegong.core.scope import CHANGE
from shegong.imports.columns import RowsChanged, normalise
from shegong.imports.columns import map_header as map_columns
from shegong.imports.parallel import parallel_map
from shegong.imports.readers import cell_text, open_table

CHUNK_ROWS = 2000  # rows looked up per query, and inserted per batch
KEYS = ("date", "activity", "name", "id_number", "mobile")
SESSION_SHIFT = 32  # (session, person) as one int: session << 32 | person
CACHE_LIMIT = 200_000  # entries of a cache before it starts over (memory stays flat)


def map_header(header: list[str]) -> dict[str, int]:
    positions = map_columns(COLUMNS, header)
    if not any(key in positions for key in IDENTIFYING):
        raise ValidationError(
            _("The file needs a column 证件号码 or 手机号码 to find each person."), code="columns"
        )
    return positions


def _activity_lookup(actor) -> dict[str, int | str]:
    """What a row may write in 活动 -> the activity's id, for the activities the actor may
    change: the number, or the title when only one of them has it (else the message)."""
    lookup: dict[str, int | str] = {}
    titles: dict[str, list[int]] = {}
    for pk, title in Activity.objects.for_user(actor, CHANGE).values_list("pk", "title"):
        lookup[str(pk)] = pk
        titles.setdefault(normalise(title), []).append(pk)
    ambiguous = _("Several of your activities have this title: write the activity's number.")
    for title, pks in titles.items():
        lookup.setdefault(title, pks[0] if len(pks) == 1 else ambiguous)
    return lookup


class AttendanceImporter:
    """Check and insert attendance rows for one importing user."""

    columns = COLUMNS
    column_labels = COLUMN_LABELS
    report_headers = (gettext_lazy("Name"), gettext_lazy("ID number or mobile (masked)"))

    def __init__(self, actor, *, today: datetime.date | None = None):
        self.actor = actor
        self.today = today or timezone.localdate()
        self.activities = _activity_lookup(actor)
        # Parent-side state, filled while checking (empty when the workers receive a copy).
        self.sessions: dict[int, dict[datetime.date, list[int]]] = {}
        self.capacity: dict[int, int] = {}
        self.taken: dict[int, int] = {}
        self.future: set[int] = set()
        self.attended: set[int] = set()  # sessions with attendances at the check's start
        # session << 32 | person of every valid row so far: a set of ints, not a dict naming the
        # first row, as a year's sheet holds a million of them (the message names no row).
        self.seen: set[int] = set()
        # Caches of what repeats (see _check_chunk and _match_people), bounded.
        self._days: dict[object, object] = {}
        self._activity_cells: dict[object, int | str] = {}
        self._attendees: dict[tuple[str, str, str], tuple] = {}
        self._by_index: dict[str, list[tuple[int, str]]] = {}
        self._visible: dict[int, bool] = {}

    @classmethod
    def for_job(cls, job) -> AttendanceImporter:
        return cls(job.created_by)

    # --- checking ------------------------------------------------------------------------
    def check_file(self, path, file_format: str) -> Iterator[list]:
        table = open_table(path, file_format)
        try:
            positions = map_header(table.header)
            yield from self.check(table.rows, positions)
        finally:
            table.close()

    def check(self, rows: Iterable[tuple[int, list]], positions: dict[str, int]) -> Iterator[list]:
        """Check every row; yield lists of checked rows, one list per chunk. Empty rows are
        skipped (spreadsheets often end with a few)."""
        getter = _cells_getter([positions.get(key) for key in KEYS])

        def cell_chunks():
            # Raw cells, not text: each distinct value is made text once, on a cache miss.
            chunk: list[tuple[int, tuple]] = []
            for row_number, cells in rows:
                values = getter(cells)
                if not any(values):
                    continue
                chunk.append((row_number, values))
                if len(chunk) >= CHUNK_ROWS:
                    yield chunk
                    chunk = []
            if chunk:
                yield chunk

        for checked in parallel_map(self._check_chunk, cell_chunks()):
            yield self._resolve(checked)

    def _check_chunk(self, chunk: list[tuple[int, tuple]]) -> list[list]:
        """Clean and hash a chunk of rows: the part that needs no database (on a worker).

        Each item: [row, day, activity id, name, ID index, mobile index, errors, shown]. A
        sheet names the same days, activities and people again and again (a year's sheet:
        each person a few dozen times), so each distinct cell value is cleaned (and a person
        hashed) once per worker and remembered."""
        days, activities, people = self._days, self._activity_cells, self._attendees
        if len(people) > CACHE_LIMIT:
            people.clear()
        checked = []
        for row_number, (day_cell, activity_cell, name, id_cell, mobile_cell) in chunk:
            day = days.get(day_cell)
            if day is None:
                day = days[day_cell] = self._clean_day(day_cell)
            activity = activities.get(activity_cell)
            if activity is None:
                activity = activities[activity_cell] = self._find_activity(activity_cell)
            key = (name, id_cell, mobile_cell)
            attendee = people.get(key)
            if attendee is None:
                attendee = people[key] = self._clean_attendee(name, id_cell, mobile_cell)
            name, id_index, mobile_idx, attendee_errors, shown = attendee
            if day.__class__ is str or activity.__class__ is str or attendee_errors:
                errors = list(attendee_errors)
                if day.__class__ is str:
                    errors.insert(0, ("date", day))
                    day = None
                if activity.__class__ is str:
                    errors.insert(0, ("activity", activity))
                    activity = None
            else:
                errors = []
            checked.append([row_number, day, activity, name, id_index, mobile_idx, errors, shown])
        return checked

    def _find_activity(self, cell) -> int | str:
        """An activity's id, or why the cell names none."""
        text = cell_text(cell)
        if not text:
            return _("Enter the activity's title or number.")
        found = self.activities.get(text)
        if found is None:
            found = self.activities.get(normalise(text))
        if found is None:
            return _("Unknown activity, or one whose attendance you may not change.")
        return found

    def _clean_day(self, cell):
        if not isinstance(cell, datetime.date):
            cell = cell_text(cell)
        try:
            return clean_attendance_date(cell, today=self.today)
        except ValidationError as exc:
            return exc.messages[0]

    def _clean_attendee(self, name, id_cell, mobile_cell) -> tuple:
        """(name, ID index, mobile index, errors, what the report shows of the row)."""
        from shegong.people.services import id_number_index, mobile_index

        name, id_text, mobile_text = cell_text(name), cell_text(id_cell), cell_text(mobile_cell)
        shown = mask_id_number(id_text) if id_text else mask_mobile(mobile_text)
        try:
            cleaned = clean_attendee(
                {"name": name, "id_number": id_text, "mobile": mobile_text}, today=self.today
            )
        except ValidationError as exc:
            errors = tuple(
                (field, message)
                for field, messages in exc.message_dict.items()
                for message in messages
            )
            return name, None, None, errors, shown
        return (
            cleaned["name"],
            id_number_index(cleaned["id_number"]) if cleaned["id_number"] else None,
            mobile_index(cleaned["mobile"]) if cleaned["mobile"] else None,
            (),
            shown,
        )

    def _sessions_of(self, activity_id: int) -> dict[datetime.date, list[int]]:
        """The activity's sessions by local day, with their capacity and attendances so far:
        loaded once per activity."""
        sessions = self.sessions.get(activity_id)
        if sessions is None:
            sessions = {}
            now = timezone.now()
            rows = ActivitySession.objects.filter(activity_id=activity_id).values_list(
                "pk", "starts_at", "capacity"
            )
            for pk, starts_at, capacity in rows:
                sessions.setdefault(timezone.localdate(starts_at), []).append(pk)
                self.capacity[pk] = capacity
                self.taken[pk] = 0
                if starts_at > now:
                    self.future.add(pk)
            for session_id, count in _attendance_counts(activity_id):
                self.taken[session_id] = count
                self.attended.add(session_id)
            self.sessions[activity_id] = sessions
        return sessions

    def _resolve(self, chunk: list[list]) -> list[tuple]:
        """Find each row's session and person, then repeats and capacity: the database part,
        in the parent, in file order."""
        for item in chunk:
            day, activity, errors = item[1], item[2], item[6]
            if day is None or activity is None:
                item[2] = None
                continue
            found = self._sessions_of(activity).get(day, ())
            if not found:
                errors.append(("date", _("The activity has no session on this day.")))
                item[2] = None
            elif len(found) > 1:
                errors.append(
                    (
                        "date",
                        _(
                            "The activity has %(n)s sessions on this day: mark these "
                            "attendances on the session's page."
                        )
                        % {"n": len(found)},
                    )
                )
                item[2] = None
            elif found[0] in self.future:
                errors.append(("date", _("This session has not taken place yet.")))
                item[2] = None
            else:
                item[2] = found[0]  # from here on: the session
        people = self._match_people(chunk)
        pairs = []
        for item in chunk:
            if item[2] is None or item[6]:
                continue  # a row without its session has its error already
            person = people[item[0]]
            if isinstance(person, str):
                item[6].append(("name", person))
            else:
                item[4] = person  # the ID index is done with: the slot holds the person now
                pairs.append((item[2], person, item))
        self._check_pairs(pairs)
        return [
            (item[0], None, item[6], (item[3], item[7]))
            if item[6]
            else (item[0], [item[0], item[2], item[4]], None, None)
            for item in chunk
        ]

    def _match_people(self, chunk: list[list]) -> dict[int, int | str]:
        """Row -> the person's id, or the message why none (rows with errors are left out).

        By ID number first; a row without one, or whose number is not on file, by mobile and
        name. Only people the importer sees, or signed up for that session, match; anyone
        else reads as not on file."""
        wanted = [item for item in chunk if item[2] is not None and not item[6]]
        if not wanted:
            return {}
        by_id = self._lookup("id_number_index", {i[4] for i in wanted if i[4]})
        by_mobile = self._lookup(
            "mobile_index", {i[5] for i in wanted if i[5] and not by_id.get(i[4])}
        )
        candidates: dict[int, tuple[int, str]] = {}
        for item in wanted:
            hits = by_id.get(item[4]) if item[4] else None
            if hits:
                candidates[item[0]] = hits[0]
                continue
            name = item[3]
            for pk, on_file in by_mobile.get(item[5], ()) if item[5] else ():
                if on_file == name:
                    candidates[item[0]] = (pk, on_file)
                    break
        allowed = self._in_scope(
            {pk for pk, _name in candidates.values()},
            {(i[2], candidates[i[0]][0]) for i in wanted if i[0] in candidates},
        )
        unknown = _("No person on file matches this name and ID number or mobile.")
        differs = _("The name differs from the one on file for this ID number.")
        result: dict[int, int | str] = {}
        for item in wanted:
            candidate = candidates.get(item[0])
            if candidate is None or not allowed(item[2], candidate[0]):
                result[item[0]] = unknown
            elif candidate[1] != item[3]:
                result[item[0]] = differs
            else:
                result[item[0]] = candidate[0]
        return result

    def _lookup(self, column: str, indexes: set[str]) -> dict[str, list[tuple[int, str]]]:
        """Blind index -> [(person, name)], asking the database only for indexes not seen yet
        (a sheet names the same people again and again)."""
        cache = self._by_index
        if len(cache) > CACHE_LIMIT:
            cache.clear()
        missing = {index for index in indexes if index not in cache}
        if missing:
            found = _people_by_index(column, missing)
            for index in missing:
                cache[index] = found.get(index, [])
        return {index: cache[index] for index in indexes}

    def _in_scope(self, people: set[int], pairs: set[tuple[int, int]]):
        """(session, person) -> may the actor record it: a person the actor sees (remembered),
        or one signed up for that session (the rule of ``attendance_mark``)."""
        visible = self._visible
        if len(visible) > CACHE_LIMIT:
            visible.clear()
        unknown = {pk for pk in people if pk not in visible}
        if unknown:
            seen = _people_visible(self.actor, unknown)
            for pk in unknown:
                visible[pk] = pk in seen
        others = {(s, p) for s, p in pairs if not visible[p]}
        registered = _registered_pairs(others) if others else set()
        return lambda session, person: visible.get(person) or (session, person) in registered

    def _check_pairs(self, pairs: list[tuple[int, int, list]]) -> None:
        """A person once per session: not earlier in the file, not on record; and the session's
        capacity."""
        if not pairs:
            return
        # Only sessions that had attendances when their activity was loaded can hold one of
        # these (one recorded since is caught at insert, by the service).
        asked = [(s, p) for s, p, _i in pairs if s in self.attended]
        on_record = set()
        if asked:
            on_record = set(
                Attendance.objects.filter(
                    session_id__in=_ids_subquery({s for s, _p in asked}),
                    person_id__in=_ids_subquery({p for _s, p in asked}),
                ).values_list("session_id", "person_id")
            )
        seen, taken, capacity = self.seen, self.taken, self.capacity
        for session, person, item in pairs:
            key = session << SESSION_SHIFT | person
            if key in seen:
                item[6].append(
                    (
                        "name",
                        _("This person is already listed for this session on an earlier row."),
                    )
                )
                continue
            seen.add(key)
            if (session, person) in on_record:
                item[6].append(
                    ("name", _("This person's attendance at this session is on record already."))
                )
                continue
            taken[session] += 1
            if taken[session] > capacity[session]:
                item[6].append(
                    ("date", _("This session is full (%(n)s places).") % {"n": capacity[session]})
                )

    # --- inserting -----------------------------------------------------------------------
    def insert(self, staged: list[list]) -> int:
        """Insert staged rows (row, session, person) through the service, inside the caller's
        transaction; a row that no longer passes (someone recorded the same attendance
        meanwhile) raises ``RowsChanged``."""
        if not staged:
            return 0
        try:
            return attendance_bulk_create(
                actor=self.actor, rows=[(session, person) for _row, session, person in staged]
            )
        except ValidationError as exc:
            first = min(int(key.split(".")[0]) for key in exc.message_dict)
            raise RowsChanged(staged[first][0]) from exc


def _cells_getter(indexes: list[int | None]):
    """cells -> the (date, activity, name, ID number, mobile) cells, None for a column the
    file lacks or a short row."""
    present = [(slot, index) for slot, index in enumerate(indexes) if index is not None]
    slots = [slot for slot, _index in present]
    fetch = itemgetter(*[index for _slot, index in present])
    widest = max(index for _slot, index in present)

    def padded(cells):
        width = len(cells)
        return tuple(
            cells[index] if index is not None and index < width else None for index in indexes
        )

    if len(present) == len(indexes):

        def getter(cells):
            return fetch(cells) if len(cells) > widest else padded(cells)

        return getter

    def getter(cells):
        if len(cells) <= widest:
            return padded(cells)
        values = [None] * len(indexes)
        for slot, value in zip(slots, fetch(cells), strict=True):
            values[slot] = value
        return tuple(values)

    return getter


def _attendance_counts(activity_id: int):
    from django.db.models import Count

    return (
        Attendance.objects.filter(session__activity_id=activity_id)
        .values_list("session_id")
        .annotate(n=Count("id"))
        .values_list("session_id", "n")
    )


def _people_by_index(column: str, indexes: set[str]) -> dict[str, list[tuple[int, str]]]:
    """Blind index -> [(person id, name)], earliest first: one query for a chunk's indexes,
    the list travelling as one parameter. No encrypted column is read."""
    from shegong.people.models import Person

    if not indexes:
        return {}
    meta = Person._meta
    quote = connection.ops.quote_name
    table = quote(meta.db_table)
    pk, name = quote(meta.pk.column), quote(meta.get_field("name").column)
    index = quote(meta.get_field(column).column)
    if connection.vendor == "postgresql":
        where, parameter = f"{index} = ANY(%s)", list(indexes)
    else:
        where = f"{index} IN (SELECT value FROM json_each(%s))"  # noqa: S608
        parameter = json.dumps(list(indexes))
    # Identifiers come from the model's meta, values only through the one parameter.
    sql = f"SELECT {pk}, {index}, {name} FROM {table} WHERE {where} ORDER BY {pk}"  # noqa: S608
    found: dict[str, list[tuple[int, str]]] = {}
    with connection.cursor() as cursor:
        cursor.execute(sql, [parameter])
        for person, value, person_name in cursor.fetchall():
            found.setdefault(value, []).append((person, person_name))
    return found


def _people_visible(actor, people: set[int]) -> set[int]:
    from shegong.people.selectors import people_for

    in_scope = people_for(actor).filter(pk__in=_ids_subquery(people)).order_by()
    return set(in_scope.values_list("pk", flat=True))


def _registered_pairs(pairs: set[tuple[int, int]]) -> set[tuple[int, int]]:
    """Which of these (session, person) are signed up (a superset query, then the pairs)."""
    found = Registration.objects.filter(
        session_id__in=_ids_subquery({s for s, _p in pairs}),
        person_id__in=_ids_subquery({p for _s, p in pairs}),
        status=RegistrationStatus.REGISTERED,
    ).values_list("session_id", "person_id")
    return set(found) & pairs


__all__ = ["AttendanceImporter", "map_header"]
