"""The people import as a user lives it: upload, check, choose, import."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from shegong.core.models import AccessLog
from shegong.imports.choices import ImportStatus
from shegong.imports.models import ImportJob
from shegong.imports.tests.sheets import people_rows, synthetic_id, xlsx_bytes
from shegong.people.models import Person

NEW = reverse("imports:people_new")
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 200


def upload(client, content: bytes, name: str = "people.xlsx", **data):
    data.setdefault("community", "")
    return client.post(NEW, {"file": SimpleUploadedFile(name, content), **data})


def home_rows(world, count, start=0):
    return people_rows(count, community=world.home_community.name, start=start)


@pytest.fixture
def staff(client_for):
    return client_for("community_staff")


def test_a_png_renamed_xlsx_is_refused_and_nothing_is_written(world, staff):
    response = upload(staff, PNG)
    assert response.status_code == 200
    assert (
        "不是 Excel" in response.content.decode()
        or "not an Excel workbook" in response.content.decode()
    )
    assert ImportJob.objects.count() == 0
    assert Person.objects.count() == 0


def test_missing_columns_are_named_and_nothing_is_written(world, staff):
    content = xlsx_bytes([["张三", "13800000001"]], header=["姓名", "手机号码"])
    response = upload(staff, content)
    body = response.content.decode()
    assert "证件号码" in body
    assert "姓名、" not in body  # only the missing column is named
    assert ImportJob.objects.count() == 0
    assert Person.objects.count() == 0


def test_other_file_types_and_empty_sheets_are_refused(world, staff):
    assert "xlsx" in upload(staff, b"a,b", name="people.txt").content.decode()
    response = upload(staff, xlsx_bytes([]))
    assert response.status_code == 200
    assert ImportJob.objects.count() == 0


def test_a_file_over_the_size_limit_is_refused(world, staff, settings):
    settings.SHEGONG_IMPORT_MAX_BYTES = 1000
    response = upload(staff, xlsx_bytes(home_rows(world, 200)))
    assert response.status_code == 200
    assert ImportJob.objects.count() == 0


def test_bad_rows_block_the_import_until_the_user_chooses(world, staff):
    rows = home_rows(world, 10_000)
    rows[99][2] = rows[99][2][:-1] + ("0" if rows[99][2][-1] != "0" else "1")  # checksum
    rows[4999][3] = "1234"  # mobile
    rows[9998][0] = ""  # name
    response = upload(staff, xlsx_bytes(rows))
    job = ImportJob.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("imports:detail", args=[job.pk])
    assert job.status == ImportStatus.VALIDATED
    assert (job.total_rows, job.valid_rows, job.error_rows) == (10_000, 9_997, 3)
    assert Person.objects.count() == 0

    page = staff.get(response["Location"]).content.decode()
    errors = list(job.row_errors.values_list("row_number", "column", flat=False))
    assert errors == [(101, "id_number"), (5001, "mobile"), (10000, "name")]
    for row_number in ("101", "5001", "10000"):
        assert f"<td>{row_number}</td>" in page
    assert 'data-testid="import-valid-rows"' in page
    assert "9,997" in page or "9997" in page
    assert rows[99][2] not in page  # never the plaintext ID

    staff.post(reverse("imports:confirm", args=[job.pk]))
    job.refresh_from_db()
    assert job.status == ImportStatus.DONE
    assert job.imported_rows == 9_997
    assert Person.objects.count() == 9_997
    assert not job.file  # the plaintext upload is gone once done
    person = Person.objects.get(
        id_number_index=Person._meta.get_field("id_number_index").index_of(rows[0][2])
    )
    assert person.community == world.home_community
    assert person.created_by == world.users["community_staff"]


def test_the_error_report_lists_the_bad_rows_without_id_numbers(world, staff):
    rows = home_rows(world, 50)
    rows[9][2] = rows[9][2][:-1] + ("0" if rows[9][2][-1] != "0" else "1")
    rows[19][3] = "999"
    rows[29][2] = rows[28][2]  # duplicate inside the file
    upload(staff, xlsx_bytes(rows))
    job = ImportJob.objects.get()
    response = staff.get(reverse("imports:report", args=[job.pk]))
    assert response.status_code == 200
    content = b"".join(response.streaming_content)
    sheet = load_workbook(io.BytesIO(content), read_only=True).active
    lines = list(sheet.iter_rows(values_only=True))
    assert [line[0] for line in lines[1:]] == [11, 21, 31]
    text = repr(lines)
    for row in rows:
        assert row[2] not in text
        assert row[3] not in text
    assert AccessLog.objects.filter(
        user=world.users["community_staff"], action=AccessLog.Action.EXPORT
    ).exists()


def test_duplicates_in_the_file_and_in_the_database_are_reported(world, staff):
    from shegong.people.services import person_create

    rows = home_rows(world, 5)
    person_create(
        actor=world.users["community_staff"],
        name="已登记",
        id_type="resident_id",
        id_number=rows[1][2],
        community=world.home_community,
    )
    rows.append(list(rows[3]))
    upload(staff, xlsx_bytes(rows))
    job = ImportJob.objects.get()
    messages = dict(job.row_errors.values_list("row_number", "message"))
    assert set(messages) == {3, 7}
    assert "P" in messages[3] and rows[1][2] not in messages[3]
    assert "5" in messages[7]  # points at row 5, the first occurrence
    assert Person.objects.count() == 1


def test_a_clean_file_is_imported_at_once(world, staff):
    response = upload(staff, xlsx_bytes(home_rows(world, 30)))
    job = ImportJob.objects.get()
    assert job.status == ImportStatus.DONE
    assert Person.objects.count() == 30
    page = staff.get(response["Location"]).content.decode()
    assert 'data-testid="import-finished"' in page
    assert 'data-status="done"' in page
    assert reverse("imports:progress", args=[job.pk]) not in page  # polling stops


def test_cancel_imports_nothing(world, staff):
    rows = home_rows(world, 5)
    rows[0][3] = "1"
    upload(staff, xlsx_bytes(rows))
    job = ImportJob.objects.get()
    staff.post(reverse("imports:cancel", args=[job.pk]))
    job.refresh_from_db()
    assert job.status == ImportStatus.CANCELLED
    assert Person.objects.count() == 0
    assert not job.file
    staff.post(reverse("imports:confirm", args=[job.pk]))
    assert Person.objects.count() == 0


def test_another_users_job_is_404(world, staff, client_for):
    rows = home_rows(world, 3)
    rows[0][3] = "1"
    upload(staff, xlsx_bytes(rows))
    job = ImportJob.objects.get()
    other = client_for("street_admin")
    for name in ("detail", "progress", "report"):
        assert other.get(reverse(f"imports:{name}", args=[job.pk])).status_code == 404
    for name in ("confirm", "cancel"):
        assert other.post(reverse(f"imports:{name}", args=[job.pk])).status_code == 404
    assert Person.objects.count() == 0


def test_a_row_outside_the_users_scope_is_an_error(world, staff):
    rows = home_rows(world, 2)
    rows[1][4] = "高林社区"  # in 金山街道, not the staff member's community
    upload(staff, xlsx_bytes(rows))
    job = ImportJob.objects.get()
    assert list(job.row_errors.values_list("row_number", "column")) == [(3, "community")]


def test_roles_that_cannot_register_people_cannot_import(world, client_for):
    # Forbidden answers like missing (DESIGN §4.2).
    assert client_for("auditor").get(NEW).status_code == 404
    assert client_for("volunteer").post(NEW, {}).status_code == 404
    assert ImportJob.objects.count() == 0


def test_an_agency_worker_imports_people_kept_by_their_agency(world, client_for):
    client = client_for("social_worker")
    rows = people_rows(3, community="兴隆社区")
    rows[2][4] = ""  # no community: kept by the agency anyway
    upload(client, xlsx_bytes(rows))
    job = ImportJob.objects.get()
    assert job.status == ImportStatus.DONE
    assert set(Person.objects.values_list("owner_agency", flat=True)) == {world.agency_a.pk}


def test_english_headers_and_id_type_labels_are_accepted(world, staff):
    rows = [["李四", "护照", "E12345678", "", ""], ["王五", "", synthetic_id(7), "", ""]]
    content = xlsx_bytes(rows, header=["Name", "ID type", "ID number", "Mobile", "Community"])
    upload(staff, content, community=world.home_community.pk)
    job = ImportJob.objects.get()
    assert job.status == ImportStatus.DONE, list(job.row_errors.values_list("message", flat=True))
    assert sorted(Person.objects.values_list("id_type", flat=True)) == ["passport", "resident_id"]
