"""Long case list exports run in the background: a progress page, then one download for the
user who asked, masked, in their scope, logged, and the file deleted afterwards."""

import datetime
from io import BytesIO
from pathlib import Path

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from shegong.cases import export_jobs
from shegong.cases.choices import RiskLevel
from shegong.cases.models import CaseExport
from shegong.cases.tests.factories import CaseFactory, ClientFactory
from shegong.core.models import AccessLog

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _exports(settings, tmp_path):
    """Above one row an export goes to the background; tasks wait until a test runs them."""
    settings.SHEGONG_EXPORT_INLINE_MAX_ROWS = 1
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def cases(world):
    return [
        CaseFactory(client=ClientFactory(name=f"居民{n}"), risk_level=RiskLevel.HIGH)
        for n in range(3)
    ] + [CaseFactory(client=ClientFactory(name="低风险"), risk_level=RiskLevel.LOW)]


def _start(client, **params) -> CaseExport:
    response = client.get("/cases/export.xlsx", params)
    assert response.status_code == 302
    export = CaseExport.objects.get()
    assert response.url == f"/cases/exports/{export.pk}/"
    return export


def test_a_short_list_still_downloads_at_once(client_for, world, cases, settings):
    settings.SHEGONG_EXPORT_INLINE_MAX_ROWS = 10
    response = client_for("supervisor").get("/cases/export.xlsx")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert not CaseExport.objects.exists()


def test_a_long_list_is_written_in_the_background_then_downloaded_once(
    client_for, world, cases, settings
):
    client = client_for("supervisor")
    export = _start(client, risk_level=RiskLevel.HIGH)
    assert export.total == 3  # the filter applied when asked

    page = client.get(f"/cases/exports/{export.pk}/").content.decode()
    assert 'data-status="queued"' in page and 'hx-trigger="every 1s"' in page
    assert "等待中" in page and "export-download" not in page

    export_jobs.case_export_run(export.pk)
    partial = client.get(f"/cases/exports/{export.pk}/", headers={"HX-Request": "true"})
    html = partial.content.decode()
    assert "<html" not in html and "hx-trigger" not in html  # polling stops
    assert 'data-testid="export-download"' in html

    response = client.get(f"/cases/exports/{export.pk}/download/")
    assert response.status_code == 200
    table = list(load_workbook(BytesIO(response.content)).active.iter_rows(values_only=True))
    flat = " ".join(str(cell) for row in table for cell in row if cell is not None)
    for case in cases[:3]:
        assert case.number in flat
        assert case.client.id_number_masked in flat
        assert case.client.id_number not in flat
    assert cases[3].number not in flat
    logs = AccessLog.objects.filter(
        user=world.users["supervisor"], action=AccessLog.Action.EXPORT
    ).values_list("detail", flat=True)
    assert any("risk_level=high" in detail for detail in logs)  # written, with the filter
    assert any("download" in detail for detail in logs)  # and fetched

    export.refresh_from_db()
    assert export.status == CaseExport.Status.DOWNLOADED and not export.file
    assert not any(Path(settings.MEDIA_ROOT).rglob("*.xlsx"))
    assert client.get(f"/cases/exports/{export.pk}/download/").status_code == 404
    assert "已下载" in client.get(f"/cases/exports/{export.pk}/").content.decode()


def test_only_the_owner_sees_or_downloads_it(client_for, world, cases):
    export = _start(client_for("supervisor"))
    export_jobs.case_export_run(export.pk)
    for persona in ("agency_admin", "social_worker", "district_admin"):
        other = client_for(persona)
        assert other.get(f"/cases/exports/{export.pk}/").status_code == 404
        assert other.get(f"/cases/exports/{export.pk}/download/").status_code == 404
    export.refresh_from_db()
    assert export.status == CaseExport.Status.DONE


def test_the_owners_scope_decides_the_rows(client_for, world, cases):
    theirs = CaseFactory(
        worker=world.users["social_worker_b"],
        client=ClientFactory(owner_agency=world.agency_b),
    )
    export = _start(client_for("street_admin"))  # a place role: no client columns
    export_jobs.case_export_run(export.pk)
    response = client_for("street_admin").get(f"/cases/exports/{export.pk}/download/")
    table = list(load_workbook(BytesIO(response.content)).active.iter_rows(values_only=True))
    assert len(table[0]) == 8
    flat = " ".join(str(cell) for row in table for cell in row if cell is not None)
    assert all(case.client.name not in flat for case in cases)

    # Another agency's case is not in the worker's export.
    mine = _start_again(client_for("social_worker"))
    assert theirs.pk not in mine.case_ids
    assert {case.pk for case in cases} <= set(mine.case_ids)


def _start_again(client) -> CaseExport:
    response = client.get("/cases/export.xlsx")
    assert response.status_code == 302
    return CaseExport.objects.order_by("-pk").first()


def test_files_nobody_fetched_are_deleted_after_the_retention_time(client_for, world, cases):
    export = _start(client_for("supervisor"))
    export_jobs.case_export_run(export.pk)
    export.refresh_from_db()
    path = export.file.path
    assert export_jobs.case_exports_purge(timezone.now()) == 0
    later = timezone.now() + datetime.timedelta(hours=25)
    assert export_jobs.case_exports_purge(later) == 1
    export.refresh_from_db()
    assert export.status == CaseExport.Status.EXPIRED and export.case_ids == []
    assert not Path(path).exists()
    client = client_for("supervisor")
    assert client.get(f"/cases/exports/{export.pk}/download/").status_code == 404


def test_with_an_inline_task_runner_the_file_is_ready_on_arrival(
    client_for, world, cases, settings
):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    client = client_for("supervisor")
    response = client.get("/cases/export.xlsx", follow=True)
    assert 'data-testid="export-download"' in response.content.decode()


def test_the_purge_command_deletes_expired_files(client_for, world, cases, settings):
    from django.core.management import call_command

    export = _start(client_for("supervisor"))
    export_jobs.case_export_run(export.pk)
    settings.SHEGONG_EXPORT_RETENTION_HOURS = 0
    call_command("purge_case_exports")
    export.refresh_from_db()
    assert export.status == CaseExport.Status.EXPIRED and not export.file
