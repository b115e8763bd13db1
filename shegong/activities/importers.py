"""Import attendance from a spreadsheet: the activities half of an import job.

The imports app runs the job (upload, tasks, progress, error report); this module reads the
cells, checks each row with the same ``clean_*`` functions as the services, finds the session
(the activity's session on the row's day) and the person (by the blind index of the ID number,
else of the mobile with the name; chunk by chunk, one query each, never decrypting), reports
repeats in the file and on record, and inserts the valid rows through
``services.attendance_bulk_create``.

Written for speed (a street's sheet of a year runs to a million rows): a sheet names the same
days, activities and people again and again, so each distinct value is cleaned (a person's
cells hashed and looked up) once and remembered, bounded; what is left per row is a few
dictionary look-ups, in the task's own process (shipping a million rows to worker processes
and back cost more than the cleaning the caches leave). One small entry per valid row finds
repeats.
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
from shegong.imports.readers import cell_text, open_table

CHUNK_ROWS = 10_000  # rows looked up per query, and inserted per batch
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
        # What the check learns of the activities' sessions, loaded as rows name them.
        self.sessions: dict[int, dict[datetime.date, list[int]]] = {}
        self.capacity: dict[int, int] = {}
        self.taken: dict[int, int] = {}
        self.future: set[int] = set()
        self.attended: set[int] = set()  # sessions with attendances at the check's start
        # session << 32 | person of every valid row so far: a set of ints, not a dict naming the
        # first row, as a year's sheet holds a million of them (the message names no row).
        self.seen: set[int] = set()
        # Caches of what repeats (see _check_chunk and _find_people), bounded.
        self._days: dict[object, object] = {}
        self._activity_cells: dict[object, int | str] = {}
        self._session_of: dict[tuple[int, datetime.date], int | str] = {}
        self._attendees: dict[tuple, tuple] = {}
        self._by_index: dict[str, list[tuple[int, str]]] = {}
        self._visible: dict[int, bool] = {}
        # Messages of every other row, translated once (the task runs in the job's language).
        self._unknown = _("No person on file matches this name and ID number or mobile.")
        self._differs = _("The name differs from the one on file for this ID number.")
        self._earlier = _("This person is already listed for this session on an earlier row.")
        self._on_record = _("This person's attendance at this session is on record already.")

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
        # Raw cells, not text: each distinct value is made text once, on a cache miss.
        chunk: list[tuple[int, tuple]] = []
        for row_number, cells in rows:
            values = getter(cells)
            if not any(values):
                continue
            chunk.append((row_number, values))
            if len(chunk) >= CHUNK_ROWS:
                yield self._check_chunk(chunk)
                chunk = []
        if chunk:
            yield self._check_chunk(chunk)

    def _check_chunk(self, chunk: list[tuple[int, tuple]]) -> list[tuple]:
        """Check a chunk of rows in file order: (row, staged row or None, errors or None,
        report cells) each.

        A sheet names the same days, activities and people again and again (a year's sheet:
        each person a few dozen times), so each distinct value is cleaned once and remembered:
        a day, an activity, an (activity, day)'s session, and a person's cells with the
        person they match (the chunk's new people are cleaned, hashed and looked up together,
        one query per blind index). What is left per row is a few dictionary look-ups. Done
        in this process: shipping a million rows to worker processes and back cost more than
        the cleaning it spread (which a cache hit skips)."""
        attendees = self._attendees
        if len(attendees) > CACHE_LIMIT:
            attendees.clear()
        people = [values[2:] for _row, values in chunk]  # each row's (name, ID, mobile) cells
        # Not ``set - attendees.keys()``: that walks the whole cache for every chunk.
        new = {key for key in people if key not in attendees}
        if new:
            self._find_people(new)
        days, activities, sessions = self._days, self._activity_cells, self._session_of
        checked: list = []
        pairs: list[tuple[int, int, int]] = []  # (position in checked, session, person)
        # (position, session, options): rows whose first match is someone the actor does not see
        hidden: list[tuple[int, int, tuple]] = []
        for (row_number, values), person_cells in zip(chunk, people, strict=True):
            day_cell, activity_cell = values[0], values[1]
            day = days.get(day_cell)
            if day is None:
                day = days[day_cell] = self._clean_day(day_cell)
            activity = activities.get(activity_cell)
            if activity is None:
                activity = activities[activity_cell] = self._find_activity(activity_cell)
            name, shown, errors, verdict, options = attendees[person_cells]
            if day.__class__ is str or activity.__class__ is str:
                errors = list(errors)
                if day.__class__ is str:
                    errors.insert(0, ("date", day))
                if activity.__class__ is str:
                    errors.insert(0, ("activity", activity))
                checked.append((row_number, None, errors, (name, shown)))
                continue
            session = sessions.get((activity, day))
            if session is None:
                session = sessions[(activity, day)] = self._session_on(activity, day)
            if session.__class__ is str:
                checked.append((row_number, None, [*errors, ("date", session)], (name, shown)))
            elif errors:
                checked.append((row_number, None, list(errors), (name, shown)))
            elif options is not None:
                hidden.append((len(checked), session, options))
                checked.append((row_number, None, None, (name, shown)))
            elif verdict.__class__ is str:
                checked.append((row_number, None, [("name", verdict)], (name, shown)))
            else:
                pairs.append((len(checked), session, verdict))
                checked.append((row_number, verdict, None, (name, shown)))
        if hidden:
            # Someone the actor does not see matches only when signed up for that session;
            # otherwise they are as good as not on file, and the row's next way to find its
            # person is tried (its mobile and name after its ID number), as for a number that
            # is on file nowhere: the outcome never tells whether they exist.
            registered = _registered_pairs(
                {(s, pk) for _i, s, options in hidden for pk, _v, seen in options if not seen}
            )
            for position, session, options in hidden:
                row_number, _none, _errors, report = checked[position]
                verdict = next(
                    (v for pk, v, seen in options if seen or (session, pk) in registered),
                    self._unknown,
                )
                if verdict.__class__ is str:
                    checked[position] = (row_number, None, [("name", verdict)], report)
                else:
                    pairs.append((position, session, verdict))
            pairs.sort()
        self._check_pairs(checked, pairs)
        return checked

    def _find_people(self, keys: set[tuple]) -> None:
        """Clean, hash and look up the (name, ID number, mobile) cells not seen yet; remember
        for each: (name, what the report shows, cleaning errors, verdict, options).

        A row's person is found by its ID number first, else by its mobile and name. Each way
        gives an option: (person, verdict, whether the importer sees them), the verdict being
        the person's id or the message why not them (a name that differs from the one on file
        for the number). When the first option is someone the importer sees, its verdict is
        the row's and ``options`` is None. Otherwise ``options`` lists them all, in order, for
        the row's session to decide: someone the importer does not see counts only if signed
        up for it (see ``_check_chunk``). No option at all: not on file."""
        cleaned = {key: self._clean_attendee(*key) for key in keys}
        valid = [value for value in cleaned.values() if not value[3]]
        by_id = self._lookup("id_number_index", {v[1] for v in valid if v[1]})
        id_hits = {key: by_id[v[1]][0] for key, v in cleaned.items() if v[1] and by_id.get(v[1])}
        seen_by_id = self._visibility({pk for pk, _name in id_hits.values()})

        def found_seen(key) -> bool:
            hit = id_hits.get(key)
            return hit is not None and seen_by_id[hit[0]]

        # By mobile too where the number found nobody the importer sees.
        wanted = {v[2] for key, v in cleaned.items() if v[2] and not v[3] and not found_seen(key)}
        by_mobile = self._lookup("mobile_index", wanted)
        mobile_hits: dict[tuple, int] = {}
        for key, (name, _id, mobile_idx, errors, _shown) in cleaned.items():
            if errors or not mobile_idx or found_seen(key):
                continue
            for pk, on_file in by_mobile.get(mobile_idx, ()):
                if on_file == name:
                    mobile_hits[key] = pk
                    break
        visible = {**seen_by_id, **self._visibility(set(mobile_hits.values()))}
        attendees = self._attendees
        for key, (name, _id, _mobile, errors, shown) in cleaned.items():
            options = []
            if not errors and key in id_hits:
                pk, on_file = id_hits[key]
                options.append((pk, pk if on_file == name else self._differs, visible[pk]))
            if key in mobile_hits:
                pk = mobile_hits[key]
                options.append((pk, pk, visible[pk]))
            if not options:
                attendees[key] = (name, shown, errors, self._unknown, None)
            elif options[0][2]:
                attendees[key] = (name, shown, errors, options[0][1], None)
            else:
                attendees[key] = (name, shown, errors, None, tuple(options))

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

    def _session_on(self, activity: int, day: datetime.date) -> int | str:
        """The activity's one session on the day, or why the row names none."""
        found = self._sessions_of(activity).get(day, ())
        if not found:
            return _("The activity has no session on this day.")
        if len(found) > 1:
            return _(
                "The activity has %(n)s sessions on this day: mark these attendances on the "
                "session's page."
            ) % {"n": len(found)}
        if found[0] in self.future:
            return _("This session has not taken place yet.")
        return found[0]

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

    def _visibility(self, people: set[int]) -> dict[int, bool]:
        """Person -> whether the actor sees them (remembered)."""
        visible = self._visible
        if len(visible) > CACHE_LIMIT:
            visible.clear()
        unknown = {pk for pk in people if pk not in visible}
        if unknown:
            seen = _people_visible(self.actor, unknown)
            for pk in unknown:
                visible[pk] = pk in seen
        return {pk: visible[pk] for pk in people}

    def _check_pairs(self, checked: list, pairs: list[tuple[int, int, int]]) -> None:
        """A person once per session: not earlier in the file, not on record; and the session's
        capacity. ``pairs`` are (position in ``checked``, session, person) in file order; each
        position becomes a staged row or a row with its error."""
        if not pairs:
            return
        # Only sessions that had attendances when their activity was loaded can hold one of
        # these (one recorded since is caught at insert, by the service).
        attended = self.attended
        asked = [(s, p) for _i, s, p in pairs if s in attended]
        on_record = set()
        if asked:
            on_record = set(
                Attendance.objects.filter(
                    session_id__in=_ids_subquery({s for s, _p in asked}),
                    person_id__in=_ids_subquery({p for _s, p in asked}),
                ).values_list("session_id", "person_id")
            )
        seen, taken, capacity = self.seen, self.taken, self.capacity
        for position, session, person in pairs:
            row_number, _person, _none, report = checked[position]
            key = session << SESSION_SHIFT | person
            if key in seen:
                message = ("name", self._earlier)
            else:
                seen.add(key)
                if on_record and (session, person) in on_record:
                    message = ("name", self._on_record)
                else:
                    taken[session] += 1
                    if taken[session] <= capacity[session]:
                        checked[position] = (row_number, [row_number, session, person], None, None)
                        continue
                    message = (
                        "date",
                        _("This session is full (%(n)s places).") % {"n": capacity[session]},
                    )
            checked[position] = (row_number, None, [message], report)

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
    file lacks or a short row (a sheet leaves a row's empty cells at its end out: nine rows in
    ten of a street's sheet have no mobile)."""
    present = [(slot, index) for slot, index in enumerate(indexes) if index is not None]
    slots = [slot for slot, _index in present]
    fetch = itemgetter(*[index for _slot, index in present])
    width = max(index for _slot, index in present) + 1
    padding = (None,) * width

    def whole(cells):
        return cells if len(cells) >= width else (*cells, *padding[len(cells) :])

    if len(present) == len(indexes):

        def getter(cells):
            return fetch(whole(cells))

        return getter

    def getter(cells):
        values = [None] * len(indexes)
        for slot, value in zip(slots, fetch(whole(cells)), strict=True):
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
    # No ORDER BY: SQLite would sort every hit in a temporary tree (a quarter of the query);
    # the few people sharing an index are put in order here.
    sql = f"SELECT {pk}, {index}, {name} FROM {table} WHERE {where}"  # noqa: S608
    found: dict[str, list[tuple[int, str]]] = {}
    with connection.cursor() as cursor:
        cursor.execute(sql, [parameter])
        for person, value, person_name in cursor.fetchall():
            found.setdefault(value, []).append((person, person_name))
    for hits in found.values():
        if len(hits) > 1:
            hits.sort()
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
