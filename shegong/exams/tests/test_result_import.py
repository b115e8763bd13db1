"""The national results import: people found by name and ID number, per-row errors, nothing
written on error, the bulk service's own checks."""

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook

from shegong.core.models import AccessLog
from shegong.exams.import_columns import RESULT_HEADERS
from shegong.exams.models import ExamResult
from shegong.exams.services import results_bulk_create
from shegong.exams.tests.factories import make_person, make_result
from shegong.imports.choices import ImportStatus
from shegong.imports.services import import_job_confirm, import_job_create
from shegong.imports.tests.sheets import xlsx_bytes
from shegong.people.tests.factories import resident_id


@pytest.fixture(autouse=True)
def _imports_inline(settings, tmp_path):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    settings.MEDIA_ROOT = tmp_path / "media"


def _upload(world, rows):
    upload = SimpleUploadedFile("成绩.xlsx", xlsx_bytes(rows, header=list(RESULT_HEADERS)))
    job = import_job_create(actor=world.users["training_admin"], upload=upload, kind="exam_results")
    job.refresh_from_db()
    return job


def test_results_are_imported_and_each_bad_row_reported(world):
    a = make_person(world, 50, "孙甲")
    b = make_person(world, 51, "孙乙")
    make_result(world, b, year=2024, level="junior", subject="practice")
    rows = [
        ["孙甲", a.id_number, "2025", "初级", "综合能力", "71", "是"],  # 2: fine
        ["孙甲", a.id_number, 2025, "初级", "实务", "", "否"],  # 3: fine, no score
        ["孙甲", a.id_number, "2025", "初级", "综合能力", "71", "是"],  # 4: repeats row 2
        ["孙乙", b.id_number, "2024", "初级", "实务", "66", "是"],  # 5: on record
        ["孙丙", b.id_number, "2025", "初级", "实务", "66", "是"],  # 6: name differs
        ["孙丁", resident_id(59), "2025", "初级", "实务", "66", "是"],  # 7: not on file
        ["孙甲", a.id_number, "1999", "初级", "实务", "66", "是"],  # 8: year
        ["孙甲", a.id_number, "2023", "初级", "法规与政策", "66", "是"],  # 9: not a junior paper
        ["孙甲", a.id_number, "2023", "中级", "实务", "120", "也许"],  # 10: score and passed
    ]
    job = _upload(world, rows)
    assert job.status == ImportStatus.VALIDATED
    assert (job.total_rows, job.valid_rows, job.error_rows) == (9, 2, 7)
    errors = {}
    for row, column, _message in job.row_errors.values_list("row_number", "column", "message"):
        errors.setdefault(row, set()).add(column)
    assert errors == {
        4: {"subject"},
        5: {"subject"},
        6: {"id_number"},
        7: {"id_number"},
        8: {"year"},
        9: {"subject"},
        10: {"score", "passed"},
    }
    # The error report names rows and reasons, never a full ID number.
    report = load_workbook(job.error_report.path, read_only=True).active
    text = " ".join(str(cell) for row in report.iter_rows(values_only=True) for cell in row)
    assert a.id_number not in text and b.id_number not in text and a.id_number_masked in text
    assert ExamResult.objects.count() == 1  # nothing imported yet
    import_job_confirm(actor=world.users["training_admin"], job=job)
    job.refresh_from_db()
    assert job.status == ImportStatus.DONE and job.imported_rows == 2
    imported = ExamResult.objects.filter(person=a).order_by("subject")
    assert [(r.subject, r.score, r.passed) for r in imported] == [
        ("comprehensive", 71, True),
        ("practice", None, False),
    ]


def test_the_bulk_service_writes_nothing_on_any_error(world):
    a = make_person(world, 52, "周甲")
    admin = world.users["training_admin"]
    row = {
        "name": "周甲",
        "id_number": a.id_number,
        "year": 2025,
        "level": "junior",
        "subject": "comprehensive",
        "passed": True,
    }
    with translation.override("en"), pytest.raises(ValidationError) as caught:
        results_bulk_create(actor=admin, rows=[row, {**row, "name": "别人"}, row])
    assert caught.value.message_dict == {
        "1.id_number": ["No person on file matches this name and ID number."],
        "2.subject": ["The same paper of this person is earlier in the list."],
    }
    assert ExamResult.objects.count() == 0
    assert not AccessLog.objects.filter(detail="exam result").exists()
    assert len(results_bulk_create(actor=admin, rows=[row])) == 1
    assert AccessLog.objects.filter(detail="exam result", object_id=str(a.pk)).count() == 1


def test_only_the_training_admin_may_import_results(world, client_for):
    assert client_for("social_worker").get(reverse("imports:exam_results_new")).status_code == 404
    assert client_for("training_admin").get(reverse("imports:exam_results_new")).status_code == 200
