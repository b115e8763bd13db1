"""Per-address request counters for the public and anonymous endpoints.

A rate such as ``20/m`` allows that many requests from one address in each fixed window (a
minute); the window's count is one row of ``RateCounter``, keyed by a hash of the group, the
address (IPv6 per /64, as one household's devices share a prefix) and the window.

Counting is one statement, ``INSERT … ON CONFLICT DO UPDATE … RETURNING``, on the default
database, and checking without counting is one ``SELECT``. django-ratelimit's database-cache
path, used before, took two write transactions per counted request (an ``add``, then a
read-then-write ``incr``), one even to open a form, each preceded by a ``COUNT(*)`` of the
whole cache table. On SQLite every write queues for the one write lock: a crowd scanning one
check-in code at once queued three times per person (``bench/checkin.py``).
"""

import hashlib
import ipaddress
import random
import time

from django.db import connection, transaction

from shegong.core.clientip import client_ip
from shegong.core.models import RateCounter

PERIODS = {"s": 1, "m": 60, "h": 3600, "d": 86400}
CLEAN_EVERY = 1000  # about one counted request in this many deletes the expired rows


def parse_rate(rate: str) -> tuple[int, int]:
    """``"20/m"`` → (20, 60); ``"5/10m"`` → (5, 600). Settings are checked by ``env_rate``."""
    count, _slash, period = rate.partition("/")
    return int(count), int(period[:-1] or "1") * PERIODS[period[-1]]


# gunicorn on a unix socket gives no peer address: those requests share one count.
NO_ADDRESS = "0.0.0.0"  # noqa: S104 - a bucket name, nothing binds to it


def limit_address(request) -> str:
    """The client address counted (``core.clientip``: the real one behind trusted proxies)."""
    return client_ip(request) or NO_ADDRESS


def address_bucket(address: str) -> str:
    """The address counted: IPv4 as it is, IPv6 by its /64 network. An IPv4 client of a
    dual-stack proxy arrives as ``::ffff:a.b.c.d``: its own IPv4 address, not the /64 (``::``)
    every such client would share."""
    try:
        parsed = ipaddress.ip_address(address)
    except ValueError:
        return address
    if parsed.version == 6 and parsed.ipv4_mapped is not None:
        return str(parsed.ipv4_mapped)
    if parsed.version == 6:
        return str(ipaddress.ip_network(f"{parsed}/64", strict=False))
    return str(parsed)


def _key(group: str, address: str, window: int) -> str:
    return hashlib.sha256(f"{group}\0{address_bucket(address)}\0{window}".encode()).hexdigest()


def over_limit(*, group: str, address: str, rate: str, increment: bool, now=None) -> bool:
    """Whether ``address`` is over ``rate`` in ``group``, counting this request if
    ``increment`` (a form opened is not counted, the form sent is)."""
    limit, period = parse_rate(rate)
    now = int(now if now is not None else time.time())
    window = now // period
    key = _key(group, address, window)
    quote = connection.ops.quote_name
    table, k, hits, expires = (
        quote(name) for name in (RateCounter._meta.db_table, "key", "hits", "expires")
    )
    # Names from the model, values as parameters.
    if not increment:
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT {hits} FROM {table} WHERE {k} = %s", [key])  # noqa: S608
            row = cursor.fetchone()
        return row is not None and row[0] > limit
    # A transaction of its own, not a statement in autocommit mode: on SQLite it then queues
    # for the write lock with the other writers (core/sqlite) instead of polling for it.
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} ({k}, {hits}, {expires}) VALUES (%s, 1, %s) "  # noqa: S608
            f"ON CONFLICT ({k}) DO UPDATE SET {hits} = {table}.{hits} + 1 RETURNING {hits}",
            [key, (window + 1) * period],
        )
        count = cursor.fetchone()[0]
        if random.randrange(CLEAN_EVERY) == 0:  # noqa: S311 - spreading work, not a secret
            cursor.execute(f"DELETE FROM {table} WHERE {expires} < %s", [now])  # noqa: S608
    return count > limit
