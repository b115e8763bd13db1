"""The question import: an .xlsx through the import job, per-row errors, nothing written on
error, the user's choice of the valid rows, crafted files refused by the readers."""

from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from shegong.exams.import_columns import HEADERS
from shegong.exams.models import Question
from shegong.exams.tests.factories import make_question
from shegong.imports.choices import ImportStatus
from shegong.imports.models import ImportJob
from shegong.imports.services import import_job_confirm, import_job_create
from shegong.imports.tests.sheets import xlsx_bytes

NEW = reverse("imports:exam_questions_new")
GOOD = [
    "综合能力",
    "初级",
    "单选",
    "社会工作的宗旨是：",
    "助人自助",
    "盈利",
    "",
    "",
    "",
    "A",
    "助人自助。",
]


@pytest.fixture(autouse=True)
def _imports_inline(settings, tmp_path):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    settings.MEDIA_ROOT = tmp_path / "media"


def _upload(world, rows, *, persona="training_admin", header=HEADERS):
    upload = SimpleUploadedFile("题库.xlsx", xlsx_bytes(rows, header=list(header)))
    job = import_job_create(actor=world.users[persona], upload=upload, kind="exam_questions")
    job.refresh_from_db()
    return job


def _row(**changes):
    row = dict(zip(HEADERS, GOOD, strict=True))
    row.update(changes)
    return [row[h] for h in HEADERS]


def test_a_clean_file_is_imported_with_chinese_cells(world):
    rows = [
        _row(),
        _row(
            **{
                "科目": "社会工作法规与政策",
                "级别": "中级",
                "题型": "多选",
                "题干": "属于社会救助的有：",
                "选项C": "教育救助",
                "选项D": "彩票",
                "答案": "A,C",
                "选项A": "医疗救助",
                "选项B": "临时救助",
            }
        ),
        [None] * len(HEADERS),  # an empty row at the end is skipped
    ]
    rows[1][HEADERS.index("答案")] = "A、B、C"
    job = _upload(world, rows)
    assert job.status == ImportStatus.DONE, (job.message, list(job.row_errors.values()))
    assert job.imported_rows == 2
    multiple = Question.objects.get(kind="multiple")
    assert (multiple.subject, multiple.level, multiple.answer) == (
        "law_policy",
        "intermediate",
        "ABC",
    )


def test_each_row_error_is_reported_and_nothing_is_written(world):
    existing = make_question(world.users["training_admin"], stem="已在题库的题目")
    rows = [
        _row(),  # 2: fine
        _row(**{"科目": "天文学"}),  # 3: subject
        _row(**{"级别": "初级", "科目": "法规与政策"}),  # 4: not a junior paper
        _row(**{"答案": "AB"}),  # 5: two answers to a single choice
        _row(**{"答案": "C"}),  # 6: no option C
        _row(**{"解析": ""}),  # 7: no explanation
        _row(),  # 8: repeats row 2
        _row(**{"题干": existing.stem, "科目": "综合能力"}),  # 9: in the bank already
        _row(**{"题型": "判断"}),  # 10: kind
    ]
    job = _upload(world, rows)
    assert job.status == ImportStatus.VALIDATED
    assert (job.total_rows, job.valid_rows, job.error_rows) == (9, 1, 8)
    errors = {
        row: (column, message)
        for row, column, message in job.row_errors.values_list("row_number", "column", "message")
    }
    assert {row: column for row, (column, _m) in errors.items()} == {
        3: "subject",
        4: "subject",
        5: "answer",
        6: "answer",
        7: "explanation",
        8: "stem",
        9: "stem",
        10: "kind",
    }
    # The job speaks its user's language (Chinese for the demo logins' default).
    for _column, message in errors.values():
        assert any("\u4e00" <= char <= "\u9fff" for char in message), message
    report = load_workbook(job.error_report.path, read_only=True).active
    assert len(list(report.iter_rows(values_only=True))) > 8
    assert Question.objects.count() == 1  # the one made above: nothing imported
    import_job_confirm(actor=world.users["training_admin"], job=job)
    job.refresh_from_db()
    assert job.status == ImportStatus.DONE and job.imported_rows == 1
    assert Question.objects.count() == 2


def test_only_the_training_admin_may_import_questions(world, client_for):
    assert client_for("social_worker").get(NEW).status_code == 404
    content = xlsx_bytes([_row()], header=list(HEADERS))
    response = client_for("social_worker").post(
        NEW, {"file": SimpleUploadedFile("a.xlsx", content)}
    )
    assert response.status_code == 404
    assert not ImportJob.objects.exists() and not Question.objects.exists()


def test_a_missing_column_is_refused_at_upload(world, client_for):
    content = xlsx_bytes([GOOD[:4]], header=list(HEADERS[:4]))
    response = client_for("training_admin").post(
        NEW, {"file": SimpleUploadedFile("a.xlsx", content)}
    )
    assert response.status_code == 200
    assert "选项A" in response.content.decode()
    assert not ImportJob.objects.exists()


def test_a_crafted_far_cell_is_refused_before_reading(world, client_for, tmp_path):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(list(HEADERS))
    sheet.append(GOOD)
    sheet["XFD1048576"] = "x"
    buffer = BytesIO()
    workbook.save(buffer)
    response = client_for("training_admin").post(
        NEW, {"file": SimpleUploadedFile("题库.xlsx", buffer.getvalue())}
    )
    assert response.status_code == 200
    assert "表格过大" in response.content.decode()
    assert not ImportJob.objects.exists() and not Question.objects.exists()


def test_the_template_has_the_columns(world, client_for):
    response = client_for("training_admin").get(reverse("imports:exam_questions_template"))
    assert response.status_code == 200
    sheet = load_workbook(BytesIO(response.content), read_only=True).active
    assert next(sheet.iter_rows(values_only=True)) == HEADERS
