"""Django's SQLite backend, whose write transactions queue on a lock file beside the database.

SQLite has one writer at a time. Every transaction here starts with ``BEGIN IMMEDIATE``
(settings.SQLITE_OPTIONS), and a connection that finds the write lock taken waits through
SQLite's busy handler, which polls: it sleeps 1, 2, 5, 10 … up to 100 ms between tries. When
a crowd writes at once (300 residents scanning one check-in code), a waiting worker sleeps on
long after the lock is free, and the two gunicorn workers take turns idling: the write of a few
milliseconds costs tens.

So before ``BEGIN IMMEDIATE`` a connection takes an exclusive ``flock`` on ``<database>.lock``,
and releases it when the transaction commits or rolls back (or the connection closes). The
kernel wakes the next waiter the moment the lock is released, and releases it when a process
dies. A waiter waits as long as the transaction ahead of it lasts, with no timeout of its own:
transactions are kept short, and a request is bounded by gunicorn's worker timeout. The busy
timeout stays as it was for whatever writes without the file lock (a statement in autocommit
mode, another program on the file); those wait for SQLite's lock as before.

The lock file is never the database file itself: closing any other descriptor of the database
file would drop SQLite's own POSIX locks on it.
"""

import contextlib
import fcntl
import logging
import os

from django.db.backends.sqlite3 import base, creation

logger = logging.getLogger(__name__)


def lock_path(database) -> str:
    return f"{database}.lock"


def _open_lock(database) -> int | None:
    """The lock file's descriptor, made as SQLite makes its ``-wal`` and ``-shm`` files: with
    the database's permissions and, when run as root (a ``migrate`` by hand), its owner, so the
    app's own user can still open it. None when it cannot be opened (a read-only directory):
    the writers then queue on SQLite's busy timeout alone, as Django's backend does."""
    try:
        database_stat = os.stat(database)
        fd = os.open(
            lock_path(database),
            os.O_RDWR | os.O_CREAT | os.O_CLOEXEC,
            database_stat.st_mode & 0o666,
        )
    except OSError as exc:
        logger.warning("SQLite writers queue without their lock file: %s", exc)
        return None
    if os.geteuid() == 0:
        with contextlib.suppress(OSError):  # a file system without owners: the mode still holds
            os.fchown(fd, database_stat.st_uid, database_stat.st_gid)
    return fd


class DatabaseCreation(creation.DatabaseCreation):
    def _destroy_test_db(self, test_database_name, verbosity):
        super()._destroy_test_db(test_database_name, verbosity)
        if test_database_name and not self.is_in_memory_db(test_database_name):
            with contextlib.suppress(FileNotFoundError):
                os.remove(lock_path(test_database_name))


class DatabaseWrapper(base.DatabaseWrapper):
    creation_class = DatabaseCreation

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._write_lock_fd = None  # the lock file, open while the connection is
        self._write_locked = False

    def get_new_connection(self, conn_params):
        connection = super().get_new_connection(conn_params)
        if not self.is_in_memory_db():
            self._write_lock_fd = _open_lock(conn_params["database"])
        return connection

    def _start_transaction_under_autocommit(self):
        self._take_write_lock()
        try:
            super()._start_transaction_under_autocommit()
        except BaseException:
            self._release_write_lock()
            raise

    def _commit(self):
        result = super()._commit()
        # Only once committed: a failed COMMIT leaves the transaction open until its rollback.
        self._release_write_lock()
        return result

    def _rollback(self):
        try:
            return super()._rollback()
        finally:
            self._release_write_lock()

    def _close(self):
        try:
            return super()._close()
        finally:
            self._release_write_lock()
            if self._write_lock_fd is not None:
                os.close(self._write_lock_fd)
                self._write_lock_fd = None

    def _take_write_lock(self):
        if self._write_lock_fd is not None and not self._write_locked:
            fcntl.flock(self._write_lock_fd, fcntl.LOCK_EX)
            self._write_locked = True

    def _release_write_lock(self):
        if self._write_locked:
            self._write_locked = False
            fcntl.flock(self._write_lock_fd, fcntl.LOCK_UN)
