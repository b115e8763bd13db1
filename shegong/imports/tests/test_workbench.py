"""The imports to-do: the user's checked files awaiting a choice and imports finished lately."""

import datetime

import pytest
from django.utils import timezone

from shegong.core.registry import todos_for
from shegong.imports.choices import ImportStatus
from shegong.imports.models import ImportJob

pytestmark = pytest.mark.django_db


def job(user, status, *, finished_days_ago=None):
    finished = None
    if finished_days_ago is not None:
        finished = timezone.now() - datetime.timedelta(days=finished_days_ago)
    return ImportJob.objects.create(
        kind="people",
        status=status,
        original_filename="people.xlsx",
        file_format="xlsx",
        created_by=user,
        finished_at=finished,
    )


def imports_todo(user):
    return {todo.testid: todo for todo in todos_for(user)}.get("imports")


def test_no_card_for_someone_who_never_imported(world):
    assert imports_todo(world.users["social_worker"]) is None


def test_checked_files_and_recent_imports_wait_for_their_uploader_only(world, client_for):
    worker = world.users["social_worker"]
    job(worker, ImportStatus.VALIDATED)
    job(worker, ImportStatus.DONE, finished_days_ago=1)
    job(worker, ImportStatus.DONE, finished_days_ago=30)  # long done: no longer news
    job(worker, ImportStatus.VALIDATING)  # still working: nothing to do yet
    todo = imports_todo(worker)
    assert todo.count == 2
    assert client_for("social_worker").get(todo.url).status_code == 200
    assert imports_todo(world.users["supervisor"]) is None
