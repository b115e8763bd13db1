"""A worker killed mid-check or mid-import: the job is shown as interrupted, to retry or cancel.

The kill is a BaseException raised inside the task, which (like SIGKILL) escapes the task's
own error handling and leaves the job as the dead worker left it.
"""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from shegong.imports import runner
from shegong.imports.choices import ImportStatus
from shegong.imports.models import ImportJob
from shegong.imports.tests.test_runner import create
from shegong.people.importers import PeopleImporter
from shegong.people.models import Person


class Killed(BaseException):
    """The worker process dies here."""


@pytest.fixture
def staff(world):
    return world.users["community_staff"]


@pytest.fixture
def queue(settings):
    """Tasks wait in the database queue, as with ``manage.py db_worker``; rows are checked
    in-process (a killed worker's children die with it)."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    settings.SHEGONG_IMPORT_PARALLEL_MIN_CHUNKS = 1000


def kill_on_call(monkeypatch, name, call):
    """PeopleImporter.<name> dies on its ``call``-th call (1-based)."""
    original = getattr(PeopleImporter, name)
    calls = []

    def dying(self, *args, **kwargs):
        calls.append(1)
        if len(calls) == call:
            raise Killed
        return original(self, *args, **kwargs)

    monkeypatch.setattr(PeopleImporter, name, dying)


def claim(job):
    """The worker takes the job's task from the queue."""
    job.refresh_from_db()
    DBTaskResult.objects.filter(id=job.task_id).update(status=TaskResultStatus.RUNNING)


def run_and_die(step, job):
    claim(job)
    with pytest.raises(Killed):
        runner.run_safely(step, job.pk)
    job.refresh_from_db()


def age(job, minutes=10):
    ImportJob.objects.filter(pk=job.pk).update(
        heartbeat_at=timezone.now() - datetime.timedelta(minutes=minutes)
    )
    job.refresh_from_db()


def detail(client, job) -> str:
    return client.get(reverse("imports:detail", args=[job.pk])).content.decode()


def home_rows(world, count):
    from shegong.imports.tests.sheets import people_rows

    return people_rows(count, community=world.home_community.name)


def test_killed_mid_check_the_job_is_interrupted_and_a_retry_checks_it_again(
    world, staff, queue, client_for, monkeypatch
):
    rows = home_rows(world, 5000)
    rows[4000][2] = "35020619990230001X"  # one bad row
    job = create(world, staff, rows)
    kill_on_call(monkeypatch, "_dedupe", 2)  # after the first 2,000 rows
    run_and_die(runner.validate_job, job)
    monkeypatch.undo()
    assert (job.status, job.processed_rows) == (ImportStatus.VALIDATING, 2000)

    client = client_for("community_staff")
    page = detail(client, job)
    assert 'data-testid="import-interrupted"' not in page  # a heartbeat a moment ago
    polling = reverse("imports:progress", args=[job.pk])
    assert polling in page
    age(job)
    page = detail(client, job)
    assert 'data-testid="import-interrupted"' in page
    assert "已中断" in page and "重试" in page and "取消导入" in page
    assert polling not in page  # no more polling of a job that will not move

    dead_task = job.task_id
    response = client.post(reverse("imports:retry", args=[job.pk]))
    assert response.status_code == 302
    assert DBTaskResult.objects.get(id=dead_task).status == TaskResultStatus.FAILED
    job.refresh_from_db()
    assert (job.status, job.attempt) == (ImportStatus.UPLOADED, 1)
    assert job.task_id != dead_task
    runner.run_safely(runner.validate_job, job.pk)
    job.refresh_from_db()
    assert (job.status, job.valid_rows, job.error_rows) == (ImportStatus.VALIDATED, 4999, 1)
    assert job.row_errors.count() == 1


def test_killed_mid_import_nothing_is_kept_and_a_retry_imports_every_row_once(
    world, staff, queue, client_for, monkeypatch
):
    job = create(world, staff, home_rows(world, 5000))
    upload = job.file.path
    kill_on_call(monkeypatch, "insert", 2)  # after the first 2,000 rows are inserted
    run_and_die(runner.validate_job, job)
    monkeypatch.undo()
    assert job.status == ImportStatus.IMPORTING
    assert Person.objects.count() == 0
    age(job)
    assert runner.is_interrupted(job)

    client_for("community_staff").post(reverse("imports:retry", args=[job.pk]))
    job.refresh_from_db()
    assert job.status == ImportStatus.IMPORTING
    runner.run_safely(runner.import_job, job.pk)
    job.refresh_from_db()
    assert (job.status, job.imported_rows) == (ImportStatus.DONE, 5000)
    assert Person.objects.count() == 5000
    assert not job.file
    from pathlib import Path

    assert not Path(upload).exists()


def test_cancelling_an_interrupted_job_deletes_its_upload(
    world, staff, queue, client_for, monkeypatch
):
    job = create(world, staff, home_rows(world, 5000))
    upload = job.file.path
    kill_on_call(monkeypatch, "_dedupe", 2)
    run_and_die(runner.validate_job, job)
    monkeypatch.undo()
    age(job)

    client_for("community_staff").post(reverse("imports:cancel", args=[job.pk]))
    job.refresh_from_db()
    assert job.status == ImportStatus.CANCELLED
    from pathlib import Path

    assert not Path(upload).exists()
    assert not runner.staging_file(job).exists()
    assert DBTaskResult.objects.get(id=job.task_id).status == TaskResultStatus.FAILED


def test_a_working_job_cannot_be_retried_or_cancelled(world, staff, queue, client_for):
    job = create(world, staff, home_rows(world, 3))
    ImportJob.objects.filter(pk=job.pk).update(
        status=ImportStatus.VALIDATING, heartbeat_at=timezone.now()
    )
    client = client_for("community_staff")
    for name in ("retry", "cancel"):
        response = client.post(reverse(f"imports:{name}", args=[job.pk]), follow=True)
        assert response.status_code == 200
    job.refresh_from_db()
    assert (job.status, job.attempt) == (ImportStatus.VALIDATING, 0)
    assert job.file


def test_a_task_of_an_older_attempt_stops_without_writing(world, staff, queue, client_for):
    job = create(world, staff, home_rows(world, 3))
    ImportJob.objects.filter(pk=job.pk).update(status=ImportStatus.VALIDATING)
    job.refresh_from_db()
    age(job)
    stale_copy = ImportJob.objects.get(pk=job.pk)
    client_for("community_staff").post(reverse("imports:retry", args=[job.pk]))
    with pytest.raises(runner.Superseded):
        runner.Progress(stale_copy, side_file=False).report(2, force=True)
    with pytest.raises(runner.Superseded):
        runner.set_status(stale_copy, ImportStatus.FAILED, message="old")
    job.refresh_from_db()
    assert (job.status, job.message) == (ImportStatus.UPLOADED, "")
