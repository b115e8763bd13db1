"""``manage.py imports_cleanup``: plain-text uploads do not outlive their use."""

import datetime
import io
import os
from pathlib import Path

import pytest
from django.core.management import call_command
from django.utils import timezone

from shegong.imports.choices import ImportStatus
from shegong.imports.models import ImportJob
from shegong.imports.tests.sheets import people_rows
from shegong.imports.tests.test_runner import create


@pytest.fixture
def staff(world):
    return world.users["community_staff"]


def with_bad_row(world, count):
    rows = people_rows(count, community=world.home_community.name)
    rows[0][2] = "35020619990230001X"
    return rows


def days_ago(days):
    return timezone.now() - datetime.timedelta(days=days)


def test_uploads_older_than_the_retention_are_deleted_and_their_jobs_failed(world, staff, settings):
    settings.SHEGONG_IMPORT_RETENTION_DAYS = 7
    waiting = create(world, staff, with_bad_row(world, 3))
    forgotten = create(world, staff, with_bad_row(world, 3))
    waiting.refresh_from_db()
    forgotten.refresh_from_db()
    assert {waiting.status, forgotten.status} == {ImportStatus.VALIDATED}
    ImportJob.objects.filter(pk=forgotten.pk).update(created_at=days_ago(8))
    forgotten_upload = Path(forgotten.file.path)

    # A finished job whose upload survived (the process died between the two steps).
    done = create(world, staff, people_rows(2, start=100))
    done.refresh_from_db()
    assert done.status == ImportStatus.DONE
    leftover = Path(settings.MEDIA_ROOT) / "imports" / "uploads" / "leftover.xlsx"
    leftover.write_bytes(b"PK")
    ImportJob.objects.filter(pk=done.pk).update(file="imports/uploads/leftover.xlsx")

    # Files no job refers to: an old one goes, a fresh one (being saved?) stays.
    orphan = leftover.with_name("orphan.xlsx")
    orphan.write_bytes(b"PK")
    old = days_ago(8).timestamp()
    os.utime(orphan, (old, old))
    fresh = leftover.with_name("fresh.xlsx")
    fresh.write_bytes(b"PK")

    output = io.StringIO()
    call_command("imports_cleanup", stdout=output)
    assert "1 finished, 1 expired" in output.getvalue()

    forgotten.refresh_from_db()
    assert forgotten.status == ImportStatus.FAILED
    assert "7" in forgotten.message
    assert not forgotten.file and not forgotten_upload.exists()
    waiting.refresh_from_db()
    assert waiting.status == ImportStatus.VALIDATED
    assert Path(waiting.file.path).exists()
    done.refresh_from_db()
    assert not done.file and not leftover.exists()
    assert not orphan.exists() and fresh.exists()
