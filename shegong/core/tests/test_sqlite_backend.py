"""The SQLite backend (core/sqlite): a writer waits for another's transaction on the lock file
and gets in the moment it ends, however long that takes, instead of polling SQLite's lock and
failing with "database is locked" after the busy timeout.

Each test opens a database file of its own through the backend, whichever database the suite
runs on, so the PostgreSQL suite proves the embedded default too."""

import contextlib
import os
import subprocess
import sys
import threading
import time

import pytest
from django.conf import settings

from shegong.core.sqlite.base import DatabaseWrapper

HOLD = 0.5  # seconds the first writer keeps its transaction open
INSERT = "INSERT INTO counter (key) VALUES (%s)"
# Another process, as the backend writes: the lock file, then a write transaction, held.
KILLED_HOLDER = """
import fcntl, os, sqlite3, sys, time
lock = os.open(sys.argv[1] + ".lock", os.O_RDWR | os.O_CREAT)
fcntl.flock(lock, fcntl.LOCK_EX)
db = sqlite3.connect(sys.argv[1], isolation_level=None)
db.execute("BEGIN IMMEDIATE")
db.execute("INSERT INTO counter (key) VALUES ('gone')")
print("holding", flush=True)
time.sleep(60)
"""


@pytest.fixture(autouse=True)
def _database_access(django_db_blocker):
    # These connections are the tests' own, not the suite's test database.
    with django_db_blocker.unblock():
        yield


def _connection(name) -> DatabaseWrapper:
    """A connection to ``name`` through the backend, with the site's SQLite options but a busy
    timeout (0.05 s) far shorter than ``HOLD``: as another worker process opens the file."""
    return DatabaseWrapper(
        {
            "ENGINE": "shegong.core.sqlite",
            "NAME": str(name),
            "OPTIONS": {**settings.SQLITE_OPTIONS, "timeout": 0.05},
            "ATOMIC_REQUESTS": False,
            "AUTOCOMMIT": True,
            "CONN_MAX_AGE": 0,
            "CONN_HEALTH_CHECKS": False,
            "TIME_ZONE": None,
            "TEST": {},
        }
    )


@pytest.fixture
def database(tmp_path):
    name = tmp_path / "db.sqlite3"
    wrapper = _connection(name)
    with wrapper.cursor() as cursor:
        cursor.execute("CREATE TABLE counter (key text)")
    wrapper.close()
    return name


def _keys(name) -> set:
    wrapper = _connection(name)
    try:
        with wrapper.cursor() as cursor:
            cursor.execute("SELECT key FROM counter")
            return {key for (key,) in cursor.fetchall()}
    finally:
        wrapper.close()


@contextlib.contextmanager
def _transaction(wrapper):
    """What ``transaction.atomic`` does on a connection outside ``connections``."""
    wrapper.set_autocommit(False, force_begin_transaction_with_broken_autocommit=True)
    try:
        yield wrapper.cursor()
    except BaseException:
        wrapper.rollback()
        raise
    else:
        wrapper.commit()
    finally:
        wrapper.set_autocommit(True)


def _write(name, key: str) -> None:
    wrapper = _connection(name)
    try:
        with _transaction(wrapper) as cursor:
            cursor.execute(INSERT, [key])
    finally:
        wrapper.close()


def _hold(name, *, fail: bool):
    """In a thread: open a write transaction, keep it ``HOLD`` seconds, then commit it or
    roll it back. Returns the thread and when the transaction ended."""
    began, ended = threading.Event(), []

    def hold():
        wrapper = _connection(name)
        try:
            with _transaction(wrapper) as cursor:
                cursor.execute(INSERT, ["first"])
                began.set()
                time.sleep(HOLD)
                ended.append(time.monotonic())
                if fail:
                    raise RuntimeError("the first writer's work failed")
        except RuntimeError:
            pass
        finally:
            wrapper.close()

    thread = threading.Thread(target=hold)
    thread.start()
    assert began.wait(5)
    return thread, ended


@pytest.mark.parametrize("fail", [False, True], ids=["commits", "rolls-back"])
def test_a_writer_waits_out_a_long_transaction_past_the_busy_timeout(database, fail):
    thread, ended = _hold(database, fail=fail)
    _write(database, "second")  # SQLite's lock alone: "database is locked" after 0.05 s
    got_in = time.monotonic()
    thread.join()
    assert got_in >= ended[0]
    assert _keys(database) == ({"second"} if fail else {"first", "second"})


def test_the_lock_of_a_killed_process_is_released(database):
    """A worker killed inside its transaction (gunicorn's timeout, the OOM killer) leaves no
    lock behind: the kernel drops it with the process, and SQLite rolls its writes back."""
    holder = subprocess.Popen(  # noqa: S603 - this interpreter, a fixed script
        [sys.executable, "-c", KILLED_HOLDER, str(database)],
        stdout=subprocess.PIPE,
        text=True,
    )
    killer = threading.Timer(HOLD, holder.kill)  # SIGKILL, inside its transaction
    try:
        assert holder.stdout.readline().strip() == "holding"
        killer.start()
        _write(database, "after")
    finally:
        killer.cancel()
        holder.kill()
        holder.wait()
    assert _keys(database) == {"after"}


def test_a_database_whose_lock_file_cannot_be_made_still_takes_writes(tmp_path, caplog):
    """A lock file that cannot be opened (here a directory stands in its way) costs the queue,
    not the database: writes wait on SQLite's busy timeout as with Django's backend."""
    (tmp_path / "other.sqlite3.lock").mkdir()
    wrapper = _connection(tmp_path / "other.sqlite3")
    try:
        with _transaction(wrapper) as cursor:
            cursor.execute("CREATE TABLE t (n integer)")
            cursor.execute("INSERT INTO t VALUES (1)")
        with wrapper.cursor() as cursor:
            cursor.execute("SELECT n FROM t")
            assert cursor.fetchall() == [(1,)]
    finally:
        wrapper.close()
    assert "without their lock file" in caplog.text


def test_the_lock_file_takes_the_databases_permissions(tmp_path):
    database = tmp_path / "other.sqlite3"
    database.touch(mode=0o640)
    database.chmod(0o640)
    wrapper = _connection(database)
    try:
        wrapper.ensure_connection()
    finally:
        wrapper.close()
    assert (tmp_path / "other.sqlite3.lock").stat().st_mode & 0o777 == 0o640 & ~_umask()


def _umask() -> int:
    current = os.umask(0)
    os.umask(current)
    return current
