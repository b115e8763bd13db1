"""The legacy case-register import as a director lives it: upload the three-sheet workbook, see
each bad row (sheet, row, column, reason) with nothing written, choose, and find the clients,
cases and service notes with the right person-times."""

import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from openpyxl import Workbook, load_workbook

from shegong.cases.choices import CaseStatus
from shegong.cases.importers import COLUMNS, SHEET_LABELS
from shegong.cases.models import Case, CaseEvent, ClientFile, ServiceNote
from shegong.cases.tests.factories import ClientFactory
from shegong.core.models import AccessLog
from shegong.core.validators import LONG_TEXT_MAX_LENGTH
from shegong.imports.choices import ImportStatus
from shegong.imports.models import ImportJob
from shegong.people.models import Person
from shegong.people.tests.factories import resident_id

NEW = reverse("imports:cases_new")


@pytest.fixture(autouse=True)
def _imports_inline(settings, tmp_path):
    """Run import tasks inline and keep uploads in a per-test directory."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    settings.MEDIA_ROOT = tmp_path / "media"


def today():
    return timezone.localdate()


def ago(days):
    return (today() - datetime.timedelta(days=days)).isoformat()


def workbook(clients, cases, notes) -> bytes:
    book = Workbook(write_only=True)
    for sheet, rows in (("clients", clients), ("cases", cases), ("notes", notes)):
        worksheet = book.create_sheet(SHEET_LABELS[sheet])
        worksheet.append([column.header for column in COLUMNS[sheet]])
        for row in rows:
            worksheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


ID_1 = resident_id(7001, birth_date=datetime.date(1962, 4, 1))
ID_2 = resident_id(7002, birth_date=datetime.date(1975, 8, 9))


def clean_sheets(world, on_record):
    community = world.home_community.name
    clients = [
        ["陈阿婆", "居民身份证", ID_1, "13911112222", community, "低保、独居老人"],
        ["林大伟", "", ID_2, "", community, ""],
    ]
    cases = [
        # legacy number, client ID, worker, source, problem, risk, intake, status, reason, closed
        [
            "GX-2019-001",
            ID_1,
            "social_worker",
            "主动求助",
            "独居，行动不便",
            "中",
            ago(300),
            "结案",
            "目标已达成",
            ago(100),
        ],  # noqa: E501
        [
            "GX-2020-007",
            ID_2,
            "social_worker",
            "outreach",
            "失业，家庭矛盾",
            "high",
            ago(200),
            "开案",
            "",
            "",
        ],  # noqa: E501
        [
            "GX-2021-003",
            on_record.id_number,
            "supervisor",
            "community",
            "子女就学困难",
            "",
            ago(90),
            "",
            "",
            "",
        ],  # noqa: E501
    ]
    notes = [
        # legacy number, date, minutes, method, content, participants
        ["GX-2019-001", ago(290), 60, "家访", "首次家访，评估居家安全。", 1],
        ["GX-2019-001", ago(150), 45, "phone", "电话回访。", ""],
        ["GX-2020-007", ago(180), 90, "office", "家庭会谈，夫妻二人参加。", 2],
        ["GX-2020-007", ago(20), 30, "home_visit", "跟进求职进展，全家参加。", 3],
        ["GX-2021-003", ago(60), 40, "accompany", "陪同办理入学手续。", 2],
    ]
    return clients, cases, notes


def upload(client, content: bytes, name="register.xlsx"):
    return client.post(NEW, {"file": SimpleUploadedFile(name, content)})


@pytest.fixture
def director(client_for):
    return client_for("agency_admin")


@pytest.fixture
def on_record(world):
    return ClientFactory(name="黄晓东", birth_date=datetime.date(1988, 1, 20))


def counts():
    return (Person.objects.count(), Case.objects.count(), ServiceNote.objects.count())


def test_a_clean_register_imports_clients_cases_and_notes_with_person_times(
    world, director, on_record
):
    people_before = Person.objects.count()
    response = upload(director, workbook(*clean_sheets(world, on_record)))
    job = ImportJob.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("imports:detail", args=[job.pk])
    assert (job.kind, job.status, job.error_rows) == ("cases", ImportStatus.DONE, 0)
    assert job.imported_rows == 2 + 3 + 5
    assert not job.file  # the upload with personal data is gone

    # Two new clients (the third was on record and is linked), owned by the director's agency.
    assert Person.objects.count() == people_before + 2
    chen = Person.objects.get(name="陈阿婆")
    assert (chen.owner_agency, chen.community) == (world.agency_a, world.home_community)
    assert sorted(
        ClientFile.objects.get(person=chen).target_groups.values_list("name", flat=True)
    ) == [  # noqa: E501
        "低保",
        "独居老人",
    ]

    closed = Case.objects.get(number=f"L{world.agency_a.pk:03d}-GX-2019-001")
    assert (closed.status, closed.closure_reason, closed.closed_on.isoformat()) == (
        CaseStatus.CLOSED,
        "goals_achieved",
        ago(100),
    )
    assert (closed.source, closed.risk_level, closed.person_times) == ("walk_in", "medium", 2)
    open_case = Case.objects.get(client__name="林大伟")
    assert (open_case.status, open_case.person_times) == (CaseStatus.INTAKE, 5)
    assert open_case.last_contact_date.isoformat() == ago(20)
    linked = Case.objects.get(client=on_record)
    assert (linked.worker, linked.person_times, linked.risk_level) == (
        world.users["supervisor"],
        2,
        "low",
    )
    assert linked.community == on_record.community
    assert sum(Case.objects.values_list("person_times", flat=True)) == 9
    assert sum(ServiceNote.objects.values_list("participants", flat=True)) == 9
    assert CaseEvent.objects.filter(kind="opened", note__contains="GX-2020-007").exists()

    # The worker finds the imported case in their list and works on from intake.
    page = director.get(reverse("imports:detail", args=[job.pk])).content.decode()
    assert reverse("cases:list") in page


def test_bad_rows_are_reported_by_sheet_row_and_column_and_nothing_is_written(
    world, director, on_record
):
    clients, cases, notes = clean_sheets(world, on_record)
    clients[1][2] = ID_2[:-1] + ("0" if ID_2[-1] != "0" else "1")  # bad check digit
    cases.append(
        [
            "GX-2022-010",
            resident_id(7999),
            "social_worker",
            "walk_in",
            "无档案的服务对象",
            "",
            ago(50),
            "",
            "",
            "",
        ]  # noqa: E501
    )
    notes[0][1] = ago(400)  # before the intake of GX-2019-001
    notes[4][1] = (today() + datetime.timedelta(days=3)).isoformat()  # in the future
    before = counts()

    upload(director, workbook(clients, cases, notes))
    job = ImportJob.objects.get()
    assert job.status == ImportStatus.VALIDATED
    errors = {(e.sheet, e.row_number, e.column): e.message for e in job.row_errors.all()}
    assert ("服务对象", 3, "id_number") in errors  # the bad ID number
    assert "校验位" in errors[("服务对象", 3, "id_number")]
    assert "服务对象" in errors[("个案", 3, "client_id_number")]  # its case follows it
    assert ("个案", 5, "client_id_number") in errors  # unknown client
    assert ("服务记录", 2, "contact_date") in errors  # before intake
    assert ("服务记录", 4, "note_case") in errors and ("服务记录", 5, "note_case") in errors
    assert ("服务记录", 6, "contact_date") in errors  # in the future
    assert counts() == before  # nothing written until the choice
    assert (job.valid_rows, job.error_rows) == (4, 7)

    page = director.get(reverse("imports:detail", args=[job.pk])).content.decode()
    assert "服务记录" in page and "import-valid-rows" in page
    report = director.get(reverse("imports:report", args=[job.pk]))
    sheet = load_workbook(io.BytesIO(b"".join(report.streaming_content))).active
    lines = list(sheet.iter_rows(values_only=True))
    assert len(lines) == 1 + 7
    assert {line[0] for line in lines[1:]} == {"服务对象", "个案", "服务记录"}
    assert ID_2 not in str(lines)  # the report shows masked numbers only

    # Import only the valid rows: 陈阿婆, her case with the one good note, the linked case.
    director.post(reverse("imports:confirm", args=[job.pk]))
    job.refresh_from_db()
    assert (job.status, job.imported_rows) == (ImportStatus.DONE, 4)
    assert counts() == (before[0] + 1, 2, 1)
    assert Case.objects.get(client__name="陈阿婆").person_times == 1
    assert Case.objects.get(client=on_record).person_times == 0


def test_unknown_workers_and_people_outside_the_scope_are_errors(world, director):
    from shegong.people.tests.factories import PersonFactory
    from shegong.places.models import Community

    community_b = Community.objects.filter(street=world.other_street).order_by("code").first()
    elsewhere = PersonFactory(community=community_b, owner_agency=world.agency_b)
    clients = [["外机构对象", "", elsewhere.id_number, "", world.home_community.name, ""]]
    cases = [
        ["A-1", elsewhere.id_number, "social_worker_b", "walk_in", "问题", "", ago(10), "", "", ""],
        ["A-2", ID_1, "nobody", "walk_in", "问题", "", ago(10), "结案", "", ""],
    ]
    upload(director, workbook(clients, cases, []))
    job = ImportJob.objects.get()
    columns = set(job.row_errors.values_list("sheet", "row_number", "column"))
    assert ("服务对象", 2, "id_number") in columns  # registered by another agency
    assert ("个案", 2, "worker") in columns  # works at agency B
    assert ("个案", 3, "worker") in columns
    assert ("个案", 3, "closure_reason") in columns and ("个案", 3, "closed_on") in columns
    assert job.valid_rows == 0
    assert not Case.objects.exists()
    # The answer "registered by another agency" is a read of the register: on record.
    hits = AccessLog.objects.filter(action=AccessLog.Action.DUPLICATE)
    director_pk = world.users["agency_admin"].pk
    assert list(hits.values_list("user", "object_id")) == [(director_pk, str(elsewhere.pk))]


def test_a_register_without_its_sheets_or_columns_is_refused_at_upload(world, director):
    book = Workbook(write_only=True)
    book.create_sheet("服务对象").append(["姓名", "证件号码"])
    buffer = io.BytesIO()
    book.save(buffer)
    response = upload(director, buffer.getvalue())
    assert "个案" in response.content.decode()
    assert not ImportJob.objects.exists()

    clients, cases, notes = [], [], []
    content = workbook(clients, cases, notes)
    response = upload(director, content)
    assert response.status_code == 200
    assert not ImportJob.objects.exists()


def test_importing_the_same_register_twice_does_not_duplicate_cases(world, director, on_record):
    sheets = clean_sheets(world, on_record)
    upload(director, workbook(*sheets))
    upload(director, workbook(*sheets))
    second = ImportJob.objects.order_by("-pk").first()
    assert second.status == ImportStatus.VALIDATED
    assert second.row_errors.filter(sheet="个案", column="legacy_number").count() == 3
    assert Case.objects.count() == 3


def test_only_agency_leads_see_the_upload_page(world, client_for):
    assert client_for("social_worker").get(NEW).status_code == 404
    assert client_for("supervisor").get(NEW).status_code == 200
    template = client_for("supervisor").get(reverse("imports:cases_template"))
    book = load_workbook(io.BytesIO(template.content))
    assert book.sheetnames == ["服务对象", "个案", "服务记录"]


def test_problems_and_notes_get_the_same_text_rules_as_the_forms(world, director, on_record):
    clients, cases, notes = clean_sheets(world, on_record)
    cases[1][4] = "失业\u202e矛盾家庭"  # a bidi override (an .xlsx cannot hold a NUL)
    notes[0][4] = "x" * (LONG_TEXT_MAX_LENGTH + 1)  # a pasted file
    before = counts()

    upload(director, workbook(clients, cases, notes))
    job = ImportJob.objects.get()
    errors = {(e.sheet, e.row_number, e.column) for e in job.row_errors.all()}
    assert ("个案", 3, "presenting_problem") in errors
    assert ("服务记录", 2, "content") in errors
    assert counts() == before
