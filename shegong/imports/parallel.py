"""Run a CPU-bound step of an import on several cores.

Checking a row (validation, encryption, blind indexes, search text) is pure Python and needs no
database, so chunks of rows are checked in worker processes while the parent keeps the
database work (duplicate look-ups, staging, errors) to itself. Order is kept, and at most a few
chunks are in flight, so memory stays flat however long the file is.

No fork while other threads run: a process forked while another thread holds a lock
(logging, the import system, a database driver) inherits that lock held forever, so the row
check could hang for good, and the task worker runs threads. A caller with other threads gets
its workers from a fork server instead, a fresh single-threaded process that loads Django once
(``worker_boot``) and forks each worker; a single-threaded caller forks its workers directly
(faster: they share its loaded modules). Either way each worker receives the step and the
active language once, when it starts. Files too small to gain anything are checked in-process.
"""

import itertools
import multiprocessing
import os
import threading
from collections import deque
from collections.abc import Callable, Iterable, Iterator

from django.conf import settings
from django.utils import translation

START_METHOD = "forkserver"
_function: Callable | None = None  # the step, set in each worker by _start


def _start(function: Callable, language: str | None) -> None:
    global _function
    _function = function
    if language:
        translation.activate(language)


def _call(item):
    return _function(item)


def import_processes() -> int:
    configured = settings.SHEGONG_IMPORT_PROCESSES
    return configured if configured > 0 else min(4, os.cpu_count() or 1)


def pool_context():
    """Fork when this process runs no other thread; else the fork server."""
    if threading.active_count() == 1 and "fork" in multiprocessing.get_all_start_methods():
        return multiprocessing.get_context("fork")
    context = multiprocessing.get_context(START_METHOD)
    # Loaded once in the fork server, so a worker starts in milliseconds with Django ready.
    context.set_forkserver_preload(["shegong.imports.worker_boot"])
    return context


def start_server() -> None:
    """Start the fork server now, if workers will be used, so that it loads Django while the
    caller reads the file (the first worker otherwise waits for it). Once per process."""
    if import_processes() <= 1 or START_METHOD not in multiprocessing.get_all_start_methods():
        return
    if threading.active_count() == 1:
        return  # workers will be forked from this process
    from multiprocessing import forkserver

    pool_context()  # sets the preload
    forkserver.ensure_running()


def parallel_map(
    function: Callable,
    items: Iterable,
    *,
    processes: int | None = None,
    min_items: int | None = None,
) -> Iterator:
    """``map(function, items)`` in order, on ``processes`` workers when worth it.

    ``function`` (a module-level function or a bound method of a picklable object) is sent to
    each worker once; the items one by one.
    """
    processes = import_processes() if processes is None else processes
    min_items = settings.SHEGONG_IMPORT_PARALLEL_MIN_CHUNKS if min_items is None else min_items
    items = iter(items)
    head = list(itertools.islice(items, min_items))
    if (
        processes <= 1
        or len(head) < min_items
        or START_METHOD not in multiprocessing.get_all_start_methods()
    ):
        yield from map(function, itertools.chain(head, items))
        return
    window = processes * 2
    pending: deque = deque()
    with pool_context().Pool(
        processes, initializer=_start, initargs=(function, translation.get_language())
    ) as pool:
        for item in itertools.chain(head, items):
            pending.append(pool.apply_async(_call, (item,)))
            if len(pending) >= window:
                yield pending.popleft().get()
        while pending:
            yield pending.popleft().get()
