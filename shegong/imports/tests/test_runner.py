"""The import tasks' work: progress, all-or-nothing, history, clean-up."""

import pytest
from auditlog.models import LogEntry
from django.core.files.uploadedfile import SimpleUploadedFile

from shegong.imports import runner
from shegong.imports.choices import ImportStatus
from shegong.imports.services import import_job_confirm, import_job_create
from shegong.imports.tests.sheets import people_rows, xlsx_bytes
from shegong.people.models import Person
from shegong.people.services import person_create


@pytest.fixture
def staff(world):
    return world.users["community_staff"]


def create(world, staff, rows):
    upload = SimpleUploadedFile("people.xlsx", xlsx_bytes(rows))
    return import_job_create(
        actor=staff, upload=upload, kind="people", community=world.home_community
    )


def test_the_job_is_queued_and_checked_by_the_task_backend(world, staff, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    from django_tasks_db.models import DBTaskResult

    job = create(world, staff, people_rows(3))
    assert job.status == ImportStatus.UPLOADED
    task = DBTaskResult.objects.get()
    assert task.task_path == "shegong.imports.tasks.validate_import"
    assert task.args_kwargs["args"] == [job.pk]
    runner.run_safely(runner.validate_job, job.pk)
    job.refresh_from_db()
    assert job.status == ImportStatus.DONE
    assert Person.objects.count() == 3


def test_progress_of_an_uncommitted_import_is_read_from_the_side_file(world, staff):
    rows = people_rows(3)
    rows[0][3] = "1"
    job = create(world, staff, rows)
    job.status = ImportStatus.IMPORTING
    progress = runner.Progress(job, side_file=True)
    progress.report(2, force=True)
    assert runner.live_processed_rows(job) == 2
    progress.clear()
    assert runner.live_processed_rows(job) == job.processed_rows


def test_a_number_registered_after_the_check_fails_the_whole_import(world, staff):
    rows = people_rows(4)
    rows[0][3] = "1"
    job = create(world, staff, rows)
    person_create(
        actor=staff,
        name="抢先",
        id_type="resident_id",
        id_number=rows[3][2],
        community=world.home_community,
    )
    import_job_confirm(actor=staff, job=job)
    job.refresh_from_db()
    assert job.status == ImportStatus.FAILED
    assert "5" in job.message and rows[3][2] not in job.message
    assert Person.objects.count() == 1  # only the one registered by hand
    assert not job.file and not runner.staging_file(job).exists()


def test_an_unexpected_error_marks_the_job_failed(world, staff, monkeypatch):
    rows = people_rows(2)
    rows[0][3] = "1"
    job = create(world, staff, rows)

    def broken(job):
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(runner, "import_job", broken)
    job.status = ImportStatus.IMPORTING
    job.save()
    assert runner.run_safely(runner.import_job, job.pk) == ImportStatus.FAILED
    job.refresh_from_db()
    assert job.message and "disk" not in job.message
    assert Person.objects.count() == 0


def test_history_has_the_job_not_every_person(world, staff):
    job = create(world, staff, people_rows(20))
    assert Person.objects.count() == 20
    from django.contrib.contenttypes.models import ContentType

    person_type = ContentType.objects.get_for_model(Person)
    assert not LogEntry.objects.filter(content_type=person_type).exists()
    entries = LogEntry.objects.get_for_object(job)
    assert entries.exists()
    assert {entry.actor for entry in entries} == {staff}
    assert any("imported_rows" in (entry.changes_dict or {}) for entry in entries)


def test_the_jobs_history_entry_commits_with_its_rows_or_not_at_all(world, staff, monkeypatch):
    # If the entry saying "imported" cannot be written, the rows are not kept either.
    from shegong.imports.models import ImportJob

    log_create = LogEntry.objects.log_create

    def failing(instance, *args, **kwargs):
        if isinstance(instance, ImportJob) and instance.status == ImportStatus.DONE:
            raise RuntimeError("history unavailable")
        return log_create(instance, *args, **kwargs)

    monkeypatch.setattr(LogEntry.objects, "log_create", failing)
    job = create(world, staff, people_rows(20))
    job.refresh_from_db()
    assert job.status == ImportStatus.FAILED
    assert Person.objects.count() == 0
