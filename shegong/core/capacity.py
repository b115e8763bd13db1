"""A row's capacity and how much of it is taken, read under the row's lock.

For the writes a crowd makes at once (residents checking in to a session, the public enrolling
in a class): they run inside the write transaction every other writer waits for (SQLite has
one), where the ORM's compiling of a lock and a count took longer than the queries, so the
statements are written out here, with table and column names from the models.
"""

from django.db import connection


def capacity_and_taken(row, *, counted, link: str, **equal) -> tuple[int, int] | None:
    """``row``'s ``capacity`` and the number of ``counted`` rows whose ``link`` column is its
    id (and whose columns in ``equal`` have those values), with ``row`` locked until the
    transaction ends (SQLite: the transaction holds the one write lock already). None when the
    row is gone."""
    quote = connection.ops.quote_name
    table, counted_table = quote(row._meta.db_table), quote(counted._meta.db_table)
    conditions = " AND ".join(f"{quote(column)} = %s" for column in (link, *equal))
    with connection.cursor() as cursor:
        if connection.features.has_select_for_update:
            # The lock on its own first: PostgreSQL takes a statement's snapshot before it waits
            # for a lock, so a count in the locking statement would miss what the transaction it
            # waited for has just written, and the row would overfill.
            cursor.execute(f"SELECT id FROM {table} WHERE id = %s FOR UPDATE", [row.pk])  # noqa: S608
        cursor.execute(
            f"SELECT capacity, (SELECT COUNT(*) FROM {counted_table} WHERE {conditions}) "  # noqa: S608
            f"FROM {table} WHERE id = %s",
            [row.pk, *equal.values(), row.pk],
        )
        return cursor.fetchone()
