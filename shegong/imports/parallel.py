"""Run a CPU-bound step of an import on several cores.

Checking a row (validation, encryption, blind indexes, search text) is pure Python and needs no
database, so chunks of rows are checked in forked worker processes while the parent keeps the
database work (duplicate look-ups, staging, errors) to itself. Order is kept, and at most a few
chunks are in flight, so memory stays flat however long the file is.

Fork, not spawn: the workers inherit the loaded Django, the importer and the active language.
They never touch the database connection they inherit (a forked connection must not be used).
Files too small to gain anything are checked in-process.
"""

import itertools
import multiprocessing
import os
from collections import deque
from collections.abc import Callable, Iterable, Iterator

from django.conf import settings

_function: Callable | None = None  # the step, set in the parent before forking


def _call(item):
    return _function(item)


def import_processes() -> int:
    configured = settings.SHEGONG_IMPORT_PROCESSES
    return configured if configured > 0 else min(4, os.cpu_count() or 1)


def parallel_map(
    function: Callable,
    items: Iterable,
    *,
    processes: int | None = None,
    min_items: int | None = None,
) -> Iterator:
    """``map(function, items)`` in order, on ``processes`` forked workers when worth it."""
    global _function
    processes = import_processes() if processes is None else processes
    min_items = settings.SHEGONG_IMPORT_PARALLEL_MIN_CHUNKS if min_items is None else min_items
    items = iter(items)
    head = list(itertools.islice(items, min_items))
    if (
        processes <= 1
        or len(head) < min_items
        or "fork" not in multiprocessing.get_all_start_methods()
    ):
        yield from map(function, itertools.chain(head, items))
        return
    _function = function
    window = processes * 2
    pending: deque = deque()
    with multiprocessing.get_context("fork").Pool(processes) as pool:
        for item in itertools.chain(head, items):
            pending.append(pool.apply_async(_call, (item,)))
            if len(pending) >= window:
                yield pending.popleft().get()
        while pending:
            yield pending.popleft().get()
    _function = None
