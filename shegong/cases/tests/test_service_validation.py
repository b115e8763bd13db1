"""Every case-work write runs the model's text and date rules, whichever way it arrives: a
comment, a plan, a reopening reason, a review comment or a file name with a control character,
a bidi override or a pasted file is refused on its field, through the API and on the page, and
nothing is written."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from shegong.accounts.services import token_issue
from shegong.cases import services
from shegong.cases.choices import CaseStatus, ClosureReason, ReviewKind
from shegong.cases.models import (
    CaseEvent,
    Evaluation,
    NoteAttachment,
    NoteComment,
    PlanGoal,
    PlanTask,
    Review,
    ServicePlan,
)
from shegong.cases.tests.factories import CaseFactory, ServiceNoteFactory, pending_review
from shegong.core.validators import LONG_TEXT_MAX_LENGTH

pytestmark = pytest.mark.django_db

BAD_TEXT = ["x\x00y", "x\x07y", "x\u202ey", "x" * (LONG_TEXT_MAX_LENGTH + 1)]
BAD_IDS = ["nul", "bel", "rlo", "too-long"]


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def api(world):
    _token, raw = token_issue(user=world.users["social_worker"])
    return Client(headers={"Authorization": f"Bearer {raw}"})


def post(client, path, body):
    return client.post(f"/api/v1{path}", body, content_type="application/json")


def assert_refused(response, field):
    assert response.status_code == 400, response.content[:300]
    assert field in response.json()["errors"]


@pytest.mark.parametrize("text", BAD_TEXT, ids=BAD_IDS)
def test_a_note_comment_with_bad_text_is_refused(api, text):
    note = ServiceNoteFactory()
    response = post(api, f"/cases/{note.case_id}/notes/{note.pk}/comments", {"text": text})
    assert_refused(response, "text")
    assert NoteComment.objects.count() == 0


def test_the_comment_page_shows_the_error_on_the_field(client_for, world):
    note = ServiceNoteFactory()
    response = client_for("social_worker").post(
        f"/cases/{note.case_id}/notes/{note.pk}/comment/", {"text": "记录\x07"}
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-field-error="text">请删除文本中的控制字符或不可见的格式字符。' in html
    assert NoteComment.objects.count() == 0


def plan_body(**overrides):
    body = {
        "summary": "三个月计划",
        "goals": [{"description": "申请临时救助", "measure": "救助到账"}],
        "tasks": [{"description": "递交材料", "due_date": datetime.date.today().isoformat()}],
    }
    body.update(overrides)
    return body


def assert_no_plan_written(case):
    assert not ServicePlan.objects.filter(case=case).exists()
    assert PlanGoal.objects.count() == PlanTask.objects.count() == 0


@pytest.mark.parametrize("text", BAD_TEXT, ids=BAD_IDS)
def test_a_plan_summary_with_bad_text_is_refused(api, text):
    case = CaseFactory(stage=CaseStatus.ASSESSMENT)
    assert_refused(post(api, f"/cases/{case.pk}/plans", plan_body(summary=text)), "summary")
    assert_no_plan_written(case)


@pytest.mark.parametrize("text", ["x\x00y", "x\x07y", "x\u202ey", "x" * 4_000_000])
def test_a_goal_or_task_with_bad_text_is_refused(api, text):
    case = CaseFactory(stage=CaseStatus.ASSESSMENT)
    goals = [{"description": text}]
    assert_refused(post(api, f"/cases/{case.pk}/plans", plan_body(goals=goals)), "goals")
    tasks = [{"description": text, "due_date": datetime.date.today().isoformat()}]
    assert_refused(post(api, f"/cases/{case.pk}/plans", plan_body(tasks=tasks)), "tasks")
    assert_no_plan_written(case)


def test_a_task_due_in_year_9999_is_refused(api):
    case = CaseFactory(stage=CaseStatus.ASSESSMENT)
    tasks = [{"description": "递交材料", "due_date": "9999-12-31"}]
    assert_refused(post(api, f"/cases/{case.pk}/plans", plan_body(tasks=tasks)), "tasks")
    assert_no_plan_written(case)


@pytest.mark.parametrize("reason", ["x\x00y", "x\x07y", "x\u202ey", "x" * 501])
def test_a_reopening_reason_with_bad_text_is_refused(api, reason):
    case = CaseFactory(stage=CaseStatus.CLOSED)
    events = CaseEvent.objects.filter(case=case).count()
    assert_refused(post(api, f"/cases/{case.pk}/reopen", {"reason": reason}), "reason")
    case.refresh_from_db()
    assert case.status == CaseStatus.CLOSED
    assert CaseEvent.objects.filter(case=case).count() == events


def test_a_reopening_reason_on_several_lines_is_kept_on_one_line_of_history(api):
    case = CaseFactory(stage=CaseStatus.CLOSED)
    response = post(api, f"/cases/{case.pk}/reopen", {"reason": "孩子再次辍学\n家长求助"})
    assert response.status_code == 200
    assert case.events.order_by("-pk").first().note == "孩子再次辍学 家长求助"


def test_an_evaluation_summary_with_a_control_character_is_refused(world):
    case = CaseFactory(stage=CaseStatus.INTERVENTION)
    goals = case.plans.get(status="approved").goals.all()
    with pytest.raises(ValidationError) as refused:
        services.evaluation_record(
            actor=case.worker,
            case=case,
            evaluated_on=case.intake_date,
            attainment={str(goal.pk): "achieved" for goal in goals},
            summary="达成\x00",
        )
    assert "summary" in refused.value.message_dict
    assert not Evaluation.objects.filter(case=case).exists()


def test_a_closure_note_with_a_control_character_is_refused(world):
    case = CaseFactory(stage=CaseStatus.EVALUATION)
    with pytest.raises(ValidationError) as refused:
        services.closure_request(
            actor=case.worker, case=case, reason=ClosureReason.OTHER, note="搬家\x07"
        )
    assert "note" in refused.value.message_dict
    case.refresh_from_db()
    assert case.status == CaseStatus.EVALUATION and case.closure_note == ""
    assert not Review.objects.filter(case=case, kind=ReviewKind.CLOSURE).exists()


def test_a_review_comment_with_a_control_character_is_refused(world):
    case = CaseFactory(stage=CaseStatus.PLANNING)
    review = pending_review(case, ReviewKind.PLAN)
    with pytest.raises(ValidationError) as refused:
        services.review_decide(
            actor=world.users["supervisor"], review=review, approve=False, comment="补充\u202e"
        )
    assert "comment" in refused.value.message_dict
    review.refresh_from_db()
    assert review.status == "pending" and review.comment == ""


def test_an_attachment_named_with_a_bidi_override_is_refused(world):
    note = ServiceNoteFactory()
    upload = SimpleUploadedFile("abc\u202etxt.pdf", b"%PDF-1.4\n%%EOF\n", "application/pdf")
    with pytest.raises(ValidationError) as refused:
        services.note_attach(actor=note.case.worker, note=note, uploads=[upload])
    assert "file" in refused.value.message_dict
    assert not NoteAttachment.objects.exists()
