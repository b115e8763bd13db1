"""The attendance import: a street's sheet (date, activity, name, ID number or mobile) through
the import job, matched to people by blind index."""

import datetime

import pytest
from auditlog.models import LogEntry
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from shegong.activities import services
from shegong.activities.choices import AttendanceSource
from shegong.activities.import_columns import HEADERS
from shegong.activities.models import Attendance
from shegong.activities.tests.factories import make_activity, make_session
from shegong.imports.choices import ImportStatus
from shegong.imports.models import ImportJob, ImportRowError
from shegong.imports.services import import_job_confirm, import_job_create
from shegong.imports.tests.sheets import xlsx_bytes
from shegong.people.tests.factories import PersonFactory, mobile, resident_id

NEW = reverse("imports:attendance_new")


@pytest.fixture(autouse=True)
def _imports_inline(settings, tmp_path):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def setting(world):
    """An activity of 兴隆社区 with sessions three and two days ago, and three residents."""
    activity = make_activity(world, title="长者健康讲座")
    days = {}
    for ago in (3, 2):
        session = make_session(world, activity, starts_in=-datetime.timedelta(days=ago))
        days[ago] = (timezone.localdate(session.starts_at), session)
    people = [
        PersonFactory(
            n=900 + i,
            name=f"居民{i}",
            id_number=resident_id(900 + i),
            mobile=mobile(900 + i),
            community=world.home_community,
        )
        for i in range(3)
    ]
    return activity, days, people


def _upload(world, rows, *, persona="community_staff", header=HEADERS):
    from io import BytesIO

    content = xlsx_bytes(rows, header=list(header))
    upload = SimpleUploadedFile("签到.xlsx", BytesIO(content).read())
    job = import_job_create(actor=world.users[persona], upload=upload, kind="attendance")
    job.refresh_from_db()
    return job


def _errors(job):
    return sorted(job.row_errors.values_list("row_number", "column", "message"))


def test_a_clean_sheet_is_imported_by_id_number_or_mobile_and_name(world, setting):
    activity, days, people = setting
    day3, session3 = days[3]
    day2, session2 = days[2]
    rows = [
        [day3, "长者健康讲座", "居民0", resident_id(900), ""],
        [day3.isoformat(), str(activity.pk), "居民1", "", mobile(901)],
        [f"{day2:%Y/%m/%d}", "长者健康讲座", "居民0", resident_id(900), ""],
        [f"{day2:%Y年%m月%d日}", "长者健康讲座 ", "居民2", resident_id(902).lower(), ""],
        [None, None, None, None, None],  # an empty row at the end is skipped
    ]
    job = _upload(world, rows)
    assert job.status == ImportStatus.DONE, (job.message, _errors(job))
    assert job.imported_rows == 4
    got = set(Attendance.objects.values_list("session_id", "person__name", "source"))
    assert got == {
        (session3.pk, "居民0", AttendanceSource.IMPORT),
        (session3.pk, "居民1", AttendanceSource.IMPORT),
        (session2.pk, "居民0", AttendanceSource.IMPORT),
        (session2.pk, "居民2", AttendanceSource.IMPORT),
    }
    assert set(Attendance.objects.values_list("walk_in", flat=True)) == {True}
    # One change-history entry for the job, none per attendance.
    entries = LogEntry.objects.get_for_object(job)
    assert any("imported_rows" in (entry.changes_dict or {}) for entry in entries)
    assert not LogEntry.objects.get_for_model(Attendance).exists()


def test_english_header_aliases_are_understood(world, setting):
    _activity, days, _people = setting
    day3, _session = days[3]
    header = ["Date", "activity title", "Name", "mobile"]
    job = _upload(world, [[day3, "长者健康讲座", "居民1", mobile(901)]], header=header)
    assert job.status == ImportStatus.DONE
    assert Attendance.objects.count() == 1


def test_each_row_error_is_reported_in_chinese_and_nothing_is_written(world, setting):
    activity, days, people = setting
    day3, _session = days[3]
    future = timezone.localdate() + datetime.timedelta(days=2)
    make_session(world, activity, starts_in=datetime.timedelta(days=5))
    rows = [
        [day3, "长者健康讲座", "居民0", resident_id(900), ""],  # 2: fine
        ["下周三", "长者健康讲座", "居民0", resident_id(900), ""],  # 3: date
        [future, "长者健康讲座", "居民0", resident_id(900), ""],  # 4: future
        [day3 - datetime.timedelta(days=1), "长者健康讲座", "居民0", resident_id(900), ""],  # 5
        [day3, "不存在的活动", "居民0", resident_id(900), ""],  # 6: activity
        [day3, "长者健康讲座", "", resident_id(900), ""],  # 7: name
        [day3, "长者健康讲座", "居民1", resident_id(901)[:-1] + "0", ""],  # 8: checksum
        [day3, "长者健康讲座", "居民1", "", ""],  # 9: neither number
        [day3, "长者健康讲座", "居民1", "", "1234"],  # 10: mobile
        [day3, "长者健康讲座", "居民9", resident_id(909), ""],  # 11: nobody on file
        [day3, "长者健康讲座", "居民9", resident_id(901), ""],  # 12: another name on file
        [day3, "长者健康讲座", "居民2", "", mobile(901)],  # 13: mobile of someone else
        [day3, "长者健康讲座", "居民0", resident_id(900), ""],  # 14: repeats row 2
    ]
    with_zh = world.users["community_staff"]
    job = _upload(world, rows, persona=with_zh.username)
    assert job.status == ImportStatus.VALIDATED
    assert (job.total_rows, job.valid_rows, job.error_rows) == (13, 1, 12)
    errors = {row: (column, message) for row, column, message in _errors(job)}
    assert set(errors) == set(range(3, 15))
    assert errors[3][0] == "date"
    assert errors[4][0] == "date"
    assert errors[5][0] == "date"
    assert errors[6][0] == "activity"
    assert errors[7][0] == "name"
    assert errors[8][0] == "id_number"
    assert errors[9][0] == "id_number"
    assert errors[10][0] == "mobile"
    assert errors[11] == errors[13]  # not on file, whichever number was given
    assert errors[12][0] == "name"
    assert errors[14][0] == "name"  # repeats row 2
    # The report speaks Chinese (the job's language) and never shows a full ID number.
    for _column, message in errors.values():
        assert any("\u4e00" <= char <= "\u9fff" for char in message), message
    report = load_workbook(job.error_report.path, read_only=True).active
    text = " ".join(str(cell) for row in report.iter_rows(values_only=True) for cell in row)
    assert resident_id(900) not in text
    assert Attendance.objects.count() == 0
    # The user chooses the valid rows: only row 2 goes in.
    import_job_confirm(actor=with_zh, job=job)
    job.refresh_from_db()
    assert job.status == ImportStatus.DONE
    assert Attendance.objects.count() == 1


def test_a_day_with_several_sessions_is_an_error_of_its_rows(world, setting):
    activity, days, _people = setting
    day3, session3 = days[3]
    # A second session the same local day, whatever the time of day the test runs at: in the
    # morning when the first starts in the afternoon, else in the evening.
    hour = 8 if timezone.localtime(session3.starts_at).hour >= 12 else 20
    starts = timezone.make_aware(datetime.datetime.combine(day3, datetime.time(hour)))
    services.session_create(
        actor=world.users["community_staff"],
        activity=activity,
        starts_at=starts,
        ends_at=starts + datetime.timedelta(hours=1),
        place="活动室",
        capacity=5,
    )
    job = _upload(world, [[day3, "长者健康讲座", "居民0", resident_id(900), ""]])
    assert job.status == ImportStatus.VALIDATED
    assert "2 场" in _errors(job)[0][2] or "2 sessions" in _errors(job)[0][2]


def test_the_capacity_of_a_session_is_respected(world, setting):
    activity, _days, _people = setting
    small = make_session(world, activity, capacity=2, starts_in=-datetime.timedelta(days=5))
    day = timezone.localdate(small.starts_at)
    rows = [[day, "长者健康讲座", f"居民{i}", resident_id(900 + i), ""] for i in range(3)]
    job = _upload(world, rows)
    assert job.error_rows == 1
    assert _errors(job)[0][:2] == (4, "date")


def test_another_agencys_activity_reads_as_unknown(world, setting):
    """The activity is the community's own: agency A's director may not change it."""
    _activity, days, _people = setting
    day3, _session = days[3]
    job = _upload(
        world, [[day3, "长者健康讲座", "居民0", resident_id(900), ""]], persona="agency_admin"
    )
    assert job.status == ImportStatus.VALIDATED
    assert [column for _row, column, _message in _errors(job)] == ["activity"]
    assert Attendance.objects.count() == 0


def test_people_outside_the_importers_scope_read_as_not_on_file(world, setting):
    from shegong.places.models import Community

    _activity, days, _people = setting
    day3, _session = days[3]
    elsewhere = Community.objects.filter(street=world.other_street).first()
    PersonFactory(n=950, name="外街居民", id_number=resident_id(950), community=elsewhere)
    job = _upload(world, [[day3, "长者健康讲座", "外街居民", resident_id(950), ""]])
    assert job.error_rows == 1
    assert "没有" in _errors(job)[0][2] or "No person" in _errors(job)[0][2]


def test_an_id_number_of_someone_outside_scope_finds_the_row_as_one_on_file_nowhere(world, setting):
    """Whether a number belongs to someone the importer does not see must not show: a row
    naming it falls back to its mobile and name exactly as a row whose number is unknown."""
    from shegong.places.models import Community

    _activity, days, _people = setting
    day3, session3 = days[3]
    elsewhere = Community.objects.filter(street=world.other_street).first()
    PersonFactory(n=950, name="外街居民", id_number=resident_id(950), community=elsewhere)
    rows = [
        # 居民1's mobile and name, with a number on file nowhere / of the hidden 外街居民
        [day3, "长者健康讲座", "居民1", resident_id(960), mobile(901)],
        [day3, "长者健康讲座", "居民2", resident_id(950), mobile(902)],
    ]
    job = _upload(world, rows)
    assert job.status == ImportStatus.DONE, _errors(job)
    assert set(Attendance.objects.values_list("session_id", "person__name")) == {
        (session3.pk, "居民1"),
        (session3.pk, "居民2"),
    }


def test_someone_outside_scope_counts_at_a_session_they_signed_up_for_only(world, setting):
    from shegong.activities.models import Registration
    from shegong.places.models import Community

    _activity, days, _people = setting
    (day3, session3), (day2, _session2) = days[3], days[2]
    elsewhere = Community.objects.filter(street=world.other_street).first()
    guest = PersonFactory(n=950, name="外街居民", id_number=resident_id(950), community=elsewhere)
    Registration.objects.create(session=session3, person=guest)
    rows = [
        [day3, "长者健康讲座", "外街居民", resident_id(950), ""],
        [day2, "长者健康讲座", "外街居民", resident_id(950), ""],
    ]
    job = _upload(world, rows)
    assert [(row, column) for row, column, _message in _errors(job)] == [(3, "name")]
    import_job_confirm(actor=world.users["community_staff"], job=job)
    assert list(Attendance.objects.values_list("session_id", "person_id")) == [
        (session3.pk, guest.pk)
    ]


def test_re_importing_the_same_sheet_reports_every_row_as_on_record(world, setting):
    _activity, days, _people = setting
    day3, _session = days[3]
    rows = [[day3, "长者健康讲座", f"居民{i}", resident_id(900 + i), ""] for i in range(3)]
    assert _upload(world, rows).status == ImportStatus.DONE
    again = _upload(world, rows)
    assert again.status == ImportStatus.VALIDATED
    assert again.error_rows == 3 and again.valid_rows == 0
    assert Attendance.objects.count() == 3


def test_a_missing_identifying_column_is_refused_at_upload(world, client_for):
    content = xlsx_bytes([["2025-01-01", "讲座", "张三"]], header=["日期", "活动", "姓名"])
    response = client_for("community_staff").post(
        NEW, {"file": SimpleUploadedFile("a.xlsx", content)}
    )
    assert response.status_code == 200
    assert "证件号码" in response.content.decode()
    assert ImportJob.objects.count() == 0


def test_the_template_has_the_columns(world, client_for):
    response = client_for("community_staff").get(reverse("imports:attendance_template"))
    assert response.status_code == 200
    from io import BytesIO

    sheet = load_workbook(BytesIO(response.content), read_only=True).active
    assert next(sheet.iter_rows(values_only=True)) == HEADERS


def test_the_bulk_service_checks_scope_and_repeats_and_writes_nothing_on_error(world, setting):
    _activity, days, people = setting
    _day, session = days[3]
    staff = world.users["community_staff"]
    with pytest.raises(ValidationError) as caught:
        services.attendance_bulk_create(
            actor=staff,
            rows=[(session.pk, people[0].pk), (session.pk, people[0].pk), (session.pk, 10**9)],
        )
    assert set(caught.value.message_dict) == {"1.person", "2.person"}
    assert Attendance.objects.count() == 0
    with pytest.raises(ValidationError) as caught:
        services.attendance_bulk_create(
            actor=world.users["agency_admin"], rows=[(session.pk, people[0].pk)]
        )
    assert set(caught.value.message_dict) == {"0.session"}
    assert services.attendance_bulk_create(actor=staff, rows=[(session.pk, people[0].pk)]) == 1
    with pytest.raises(ValidationError):
        services.attendance_bulk_create(actor=staff, rows=[(session.pk, people[0].pk)])
    assert Attendance.objects.count() == 1


def test_a_row_recorded_between_check_and_import_fails_the_import(world, setting):
    _activity, days, people = setting
    day3, session = days[3]
    rows = [
        [day3, "长者健康讲座", "居民0", resident_id(900), ""],
        [day3, "长者健康讲座", "居民1", "bad", ""],
    ]
    job = _upload(world, rows)
    assert job.status == ImportStatus.VALIDATED
    staff = world.users["community_staff"]
    services.attendance_mark(actor=staff, session=session, person=people[0])
    import_job_confirm(actor=staff, job=job)
    job.refresh_from_db()
    assert job.status == ImportStatus.FAILED
    assert Attendance.objects.count() == 1
    assert not ImportRowError.objects.filter(job=job, row_number=2).exists()


def test_dates_are_cleaned_alike_from_cells_and_text():
    today = datetime.date(2026, 3, 10)
    clean = services.clean_attendance_date
    assert clean(datetime.datetime(2026, 3, 8, 9, 30), today=today) == datetime.date(2026, 3, 8)
    assert clean("2026-03-08T00:00:00", today=today) == datetime.date(2026, 3, 8)
    assert clean("2026.3.8", today=today) == datetime.date(2026, 3, 8)
    for bad in ("", "2026-02-30", "3/8", "2026-03-11", "1999-12-31"):
        with pytest.raises(ValidationError):
            clean(bad, today=today)


def test_rows_are_neither_lost_nor_doubled_at_chunk_boundaries(world, setting, monkeypatch):
    # Chunks of two rows: a repeat one chunk later, a person first met by mobile then by ID
    # number, a repeat within a chunk; each attendance is written once, each repeat reported.
    from shegong.activities import importers

    monkeypatch.setattr(importers, "CHUNK_ROWS", 2)
    _activity, days, _people = setting
    day3, session3 = days[3]
    day2, session2 = days[2]
    rows = [
        [day3, "长者健康讲座", "居民0", resident_id(900), ""],  # 2
        [day3, "长者健康讲座", "居民1", "", mobile(901)],  # 3
        [day3, "长者健康讲座", "居民0", resident_id(900), ""],  # 4: repeats row 2
        [day2, "长者健康讲座", "居民1", resident_id(901), ""],  # 5
        [day2, "长者健康讲座", "居民2", resident_id(902), ""],  # 6
        [day2, "长者健康讲座", "居民2", resident_id(902), ""],  # 7: repeats row 6
        [day3, "长者健康讲座", "居民1", resident_id(901), ""],  # 8: repeats row 3
        [day3, "长者健康讲座", "居民2", "", mobile(902)],  # 9
    ]
    job = _upload(world, rows)
    assert (job.total_rows, job.valid_rows, job.error_rows) == (8, 5, 3)
    assert [row for row, _column, _message in _errors(job)] == [4, 7, 8]
    import_job_confirm(actor=world.users["community_staff"], job=job)
    job.refresh_from_db()
    assert job.status == ImportStatus.DONE and job.imported_rows == 5
    assert sorted(Attendance.objects.values_list("session_id", "person__name")) == sorted(
        [
            (session3.pk, "居民0"),
            (session3.pk, "居民1"),
            (session2.pk, "居民1"),
            (session2.pk, "居民2"),
            (session3.pk, "居民2"),
        ]
    )
