"""Checking rows on several processes gives exactly what checking them in-process gives."""

import threading

import pytest

from shegong.imports.models import ImportJob
from shegong.imports.parallel import parallel_map
from shegong.imports.tests.sheets import xlsx_bytes
from shegong.imports.tests.test_people_import_flow import home_rows, upload


def square(n):
    return n * n


def test_parallel_map_keeps_order_on_worker_processes():
    assert list(parallel_map(square, range(50), processes=2, min_items=1)) == [
        n * n for n in range(50)
    ]


# Held by a thread of the parent while rows are checked, as a task worker's threads hold the
# locks of logging or a database driver at any moment.
BUSY = threading.Lock()


def lock_is_free(_n):
    if BUSY.acquire(timeout=2):
        BUSY.release()
        return True
    return False


def test_workers_do_not_inherit_locks_held_by_the_callers_other_threads():
    # A worker forked from a threaded process inherits such a lock held forever, and hangs on
    # it; the workers here start from a clean process.
    holding, release = threading.Event(), threading.Event()

    def hold():
        with BUSY:
            holding.set()
            release.wait(30)

    thread = threading.Thread(target=hold)
    thread.start()
    holding.wait(5)
    try:
        assert list(parallel_map(lock_is_free, range(4), processes=2, min_items=1)) == [True] * 4
    finally:
        release.set()
        thread.join()


def test_small_inputs_stay_in_process():
    assert list(parallel_map(square, [3], processes=2, min_items=3)) == [9]


def errors_of_an_import(client, world, rows):
    upload(client, xlsx_bytes(rows))
    job = ImportJob.objects.latest("pk")
    return (
        job.valid_rows,
        job.error_rows,
        sorted(job.row_errors.values_list("row_number", "column", "message")),
    )


@pytest.mark.parametrize("processes", [1, 2])
def test_duplicates_across_chunks_are_found_on_any_number_of_processes(
    processes, settings, world, client_for
):
    settings.SHEGONG_IMPORT_PROCESSES = processes
    settings.SHEGONG_IMPORT_PARALLEL_MIN_CHUNKS = 1
    rows = home_rows(world, 4500)
    rows[4200] = list(rows[10])  # the same person again, two chunks later
    rows[3000][2] = "35020619990230001X"  # impossible date
    valid, bad, errors = errors_of_an_import(client_for("community_staff"), world, rows)
    assert (valid, bad) == (4498, 2)
    assert [(row, column) for row, column, _message in errors] == [
        (3002, "id_number"),
        (4202, "id_number"),
    ]
    assert "12" in errors[1][2]  # names the first row holding the number


def test_an_import_in_a_threaded_worker_checks_rows_on_fork_server_workers(
    settings, world, client_for, monkeypatch
):
    # As in the task worker, another thread runs: the workers come from the fork server.
    from shegong.imports import parallel

    contexts = []
    original = parallel.pool_context

    def recording():
        context = original()
        contexts.append(context.get_start_method())
        return context

    monkeypatch.setattr(parallel, "pool_context", recording)
    settings.SHEGONG_IMPORT_PROCESSES = 2
    settings.SHEGONG_IMPORT_PARALLEL_MIN_CHUNKS = 1
    rows = home_rows(world, 4500)
    rows[4200] = list(rows[10])
    stop = threading.Event()
    thread = threading.Thread(target=stop.wait, args=(60,))
    thread.start()
    try:
        valid, bad, errors = errors_of_an_import(client_for("community_staff"), world, rows)
    finally:
        stop.set()
        thread.join()
    assert contexts and set(contexts) == {"forkserver"}
    assert (valid, bad) == (4499, 1)
    assert [(row, column) for row, column, _message in errors] == [(4202, "id_number")]
