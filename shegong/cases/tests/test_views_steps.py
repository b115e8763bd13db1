"""The step forms of a case: each writes through its service, and bad input shows the Chinese
error next to the field and writes nothing."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from shegong.cases.choices import (
    Attainment,
    CaseStatus,
    ClosureReason,
    ContactMethod,
    NeedDomain,
    NeedLevel,
    PlanStatus,
    ReviewKind,
    ReviewStatus,
    RiskLevel,
)
from shegong.cases.models import (
    Assessment,
    Case,
    NoteComment,
    Referral,
    Review,
    ServiceNote,
    ServicePlan,
)
from shegong.cases.tests.factories import (
    CaseFactory,
    ClientFactory,
    ServiceNoteFactory,
    SharingConsentFactory,
    demo_user,
    today,
)
from shegong.core.models import AccessLog

pytestmark = pytest.mark.django_db


def field_error(html: str, field: str) -> str:
    """The text of the first error shown next to ``field``."""
    marker = f'data-field-error="{field}">'
    assert marker in html, f"no error next to {field}"
    return html.split(marker, 1)[1].split("<", 1)[0]


def note_data(**overrides) -> dict:
    data = {
        "contact_date": today().isoformat(),
        "duration_minutes": "40",
        "method": ContactMethod.HOME_VISIT,
        "content": "电话跟进就业情况。",
        "participants": "3",
    }
    data.update(overrides)
    return data


# --- open a case ---------------------------------------------------------------------------------


def test_worker_opens_a_case_for_a_client(client_for, world):
    client = ClientFactory()
    form = client_for("social_worker").get(f"/cases/new/?client={client.pk}")
    assert form.status_code == 200
    assert client.name in form.content.decode()
    response = client_for("social_worker").post(
        "/cases/new/",
        {
            "client": client.pk,
            "source": "walk_in",
            "presenting_problem": "失业后生活困难。",
            "risk_level": RiskLevel.MEDIUM,
            "intake_date": today().isoformat(),
        },
    )
    case = Case.objects.get(client=client)
    assert response.status_code == 302
    assert response["Location"] == f"/cases/{case.pk}/"
    assert case.worker == demo_user("social_worker")
    assert case.status == CaseStatus.INTAKE


def test_opening_without_a_problem_shows_the_error_and_keeps_the_input(client_for, world):
    client = ClientFactory()
    response = client_for("social_worker").post(
        "/cases/new/",
        {
            "client": client.pk,
            "source": "outreach",
            "presenting_problem": "  ",
            "risk_level": RiskLevel.HIGH,
            "intake_date": "2020-03-04",
        },
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert field_error(html, "presenting_problem") == "请描述主要问题。"
    assert 'value="2020-03-04"' in html
    assert not Case.objects.filter(client=client).exists()


def test_a_client_outside_scope_cannot_be_chosen(client_for, world):
    client = ClientFactory()  # agency A's client
    assert client_for("social_worker_b").get(f"/cases/new/?client={client.pk}").status_code == 404
    response = client_for("social_worker_b").post(
        "/cases/new/",
        {
            "client": client.pk,
            "source": "walk_in",
            "presenting_problem": "x",
            "risk_level": RiskLevel.LOW,
            "intake_date": today().isoformat(),
        },
    )
    assert response.status_code == 200
    assert not Case.objects.filter(client=client).exists()


def test_place_roles_do_not_open_cases(client_for, world):
    assert client_for("community_staff").get("/cases/new/").status_code == 404


# --- assessment ----------------------------------------------------------------------------------


def test_assessment_with_a_row_per_domain(client_for, world):
    case = CaseFactory()
    html = client_for("social_worker").get(f"/cases/{case.pk}/assessment/new/").content.decode()
    assert html.count('data-testid="need-row"') == len(NeedDomain)
    response = client_for("social_worker").post(
        f"/cases/{case.pk}/assessment/new/",
        {
            "assessed_on": today().isoformat(),
            "risk_level": RiskLevel.HIGH,
            "summary": "经济与照护需求突出。",
            f"need_{NeedDomain.CARE}": NeedLevel.HIGH,
            f"note_{NeedDomain.CARE}": "需要日间照料",
        },
    )
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.status == CaseStatus.ASSESSMENT
    assert case.risk_level == RiskLevel.HIGH
    assessment = case.assessments.get()
    assert assessment.needs[NeedDomain.CARE] == {"level": NeedLevel.HIGH, "note": "需要日间照料"}


def test_assessment_without_any_need_writes_nothing(client_for, world):
    case = CaseFactory()
    response = client_for("social_worker").post(
        f"/cases/{case.pk}/assessment/new/",
        {"assessed_on": today().isoformat(), "risk_level": RiskLevel.LOW, "summary": "无"},
    )
    assert field_error(response.content.decode(), "needs") == "请至少评定一个需求领域。"
    assert not Assessment.objects.filter(case=case).exists()
    case.refresh_from_db()
    assert case.status == CaseStatus.INTAKE


# --- plan ----------------------------------------------------------------------------------------


def plan_data(**rows) -> dict:
    data = {"summary": "三个月计划", "goal_rows": "2", "task_rows": "3"}
    data.update(rows)
    return data


def test_plan_without_goals_is_refused(client_for, world):
    case = CaseFactory(stage=CaseStatus.ASSESSMENT)
    response = client_for("social_worker").post(
        f"/cases/{case.pk}/plans/new/",
        plan_data(**{"task-0-description": "联系社区", "task-0-due_date": today().isoformat()}),
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert field_error(html, "goals") == "服务计划至少需要一个目标。"
    assert 'value="联系社区"' in html
    assert not ServicePlan.objects.filter(case=case).exists()


def test_plan_with_goals_and_tasks_goes_to_the_supervisor(client_for, world):
    case = CaseFactory(stage=CaseStatus.ASSESSMENT)
    due = (today() + datetime.timedelta(days=14)).isoformat()
    response = client_for("social_worker").post(
        f"/cases/{case.pk}/plans/new/",
        plan_data(
            **{
                "goal-0-description": "稳定收入",
                "goal-0-measure": "找到工作",
                "goal-1-description": "",
                "task-0-description": "推荐就业岗位",
                "task-0-due_date": due,
                "task-0-goal": "0",
                "submit": "1",
            }
        ),
    )
    assert response.status_code == 302
    plan = ServicePlan.objects.get(case=case)
    assert plan.status == PlanStatus.SUBMITTED
    assert [g.description for g in plan.goals.all()] == ["稳定收入"]
    assert plan.tasks.get().goal == plan.goals.get()
    assert Review.objects.filter(case=case, kind=ReviewKind.PLAN, status="pending").exists()


def test_adding_a_row_keeps_what_was_typed(client_for, world):
    case = CaseFactory(stage=CaseStatus.ASSESSMENT)
    response = client_for("social_worker").post(
        f"/cases/{case.pk}/plans/new/",
        plan_data(**{"goal-0-description": "改善睡眠", "add": "goal"}),
        HTTP_HX_REQUEST="true",
    )
    html = response.content.decode()
    assert html.count('data-testid="goal-row"') == 3
    assert 'value="改善睡眠"' in html
    assert "<html" not in html  # only the rows were sent back
    assert not ServicePlan.objects.filter(case=case).exists()


def test_draft_plan_is_submitted_from_the_case_file(client_for, world):
    case = CaseFactory(stage=CaseStatus.ASSESSMENT)
    client_for("social_worker").post(
        f"/cases/{case.pk}/plans/new/", plan_data(**{"goal-0-description": "建立支持网络"})
    )
    plan = ServicePlan.objects.get(case=case)
    assert plan.status == PlanStatus.DRAFT
    html = client_for("social_worker").get(f"/cases/{case.pk}/").content.decode()
    assert 'data-testid="action-submit-plan"' in html
    client_for("social_worker").post(f"/cases/{case.pk}/plans/{plan.pk}/submit/")
    plan.refresh_from_db()
    assert plan.status == PlanStatus.SUBMITTED


# --- notes ---------------------------------------------------------------------------------------


@pytest.fixture
def working(world):
    return CaseFactory(stage=CaseStatus.INTERVENTION)


def test_note_adds_its_participants_to_the_person_times(client_for, working):
    before = working.person_times
    upload = SimpleUploadedFile("签到表.txt", b"sign-in sheet", content_type="text/plain")
    response = client_for("social_worker").post(
        f"/cases/{working.pk}/notes/new/", {**note_data(), "attachments": [upload]}
    )
    assert response.status_code == 302
    working.refresh_from_db()
    assert working.person_times == before + 3
    note = ServiceNote.objects.get(case=working)
    attachment = note.attachments.get()
    assert attachment.name == "签到表.txt"
    download = client_for("supervisor").get(f"/cases/{working.pk}/attachments/{attachment.pk}/")
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == b"sign-in sheet"
    for persona in ("social_worker_b", "community_staff"):
        url = f"/cases/{working.pk}/attachments/{attachment.pk}/"
        assert client_for(persona).get(url).status_code == 404


@pytest.mark.parametrize(
    ("when", "message"),
    [
        (lambda case: case.intake_date - datetime.timedelta(days=1), "服务日期不能早于接案日期"),
        (lambda case: today() + datetime.timedelta(days=1), "服务日期不能晚于今天。"),
    ],
    ids=["before-intake", "in-the-future"],
)
def test_note_dated_outside_the_case_is_refused(client_for, working, when, message):
    before = working.person_times
    response = client_for("social_worker").post(
        f"/cases/{working.pk}/notes/new/",
        note_data(contact_date=when(working).isoformat()),
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert field_error(html, "contact_date").startswith(message)
    assert "电话跟进就业情况。" in html  # what was typed is still there
    assert not ServiceNote.objects.filter(case=working).exists()
    working.refresh_from_db()
    assert working.person_times == before


def test_note_without_content_is_refused(client_for, working):
    response = client_for("social_worker").post(
        f"/cases/{working.pk}/notes/new/", note_data(content="")
    )
    assert field_error(response.content.decode(), "content") == "请填写本次服务的内容。"
    assert not ServiceNote.objects.filter(case=working).exists()


def test_supervisor_comments_on_a_note(client_for, working):
    note = ServiceNoteFactory(case=working)
    url = f"/cases/{working.pk}/notes/{note.pk}/comment/"
    empty = client_for("supervisor").post(url, {"text": " "})
    assert field_error(empty.content.decode(), "text") == "请填写意见。"
    assert not NoteComment.objects.filter(note=note).exists()
    client_for("supervisor").post(url, {"text": "注意记录案主的情绪变化。"})
    html = client_for("social_worker").get(f"/cases/{working.pk}/").content.decode()
    assert "注意记录案主的情绪变化。" in html


def test_task_is_marked_done(client_for, working):
    task = working.plans.get().tasks.get()
    client_for("social_worker").post(
        f"/cases/{working.pk}/tasks/{task.pk}/done/", {"done_on": today().isoformat()}
    )
    task.refresh_from_db()
    assert task.done_on == today()


# --- evaluation, closure, reopen -----------------------------------------------------------------


def test_evaluation_rates_each_goal_of_the_approved_plan(client_for, working):
    goals = list(working.plans.get().goals.all())
    url = f"/cases/{working.pk}/evaluation/new/"
    html = client_for("social_worker").get(url).content.decode()
    for goal in goals:
        assert goal.description in html
    partial = client_for("social_worker").post(
        url,
        {
            "evaluated_on": today().isoformat(),
            "summary": "基本达成",
            f"goal_{goals[0].pk}": Attainment.ACHIEVED,
        },
    )
    assert field_error(partial.content.decode(), "attainment") == "请评定已批准计划中的每一个目标。"
    assert not working.evaluations.exists()
    data = {"evaluated_on": today().isoformat(), "summary": "基本达成"}
    data.update({f"goal_{goal.pk}": Attainment.PARTLY for goal in goals})
    client_for("social_worker").post(url, data)
    working.refresh_from_db()
    assert working.status == CaseStatus.EVALUATION


def test_closure_without_a_reason_is_refused(client_for, world):
    case = CaseFactory(stage=CaseStatus.EVALUATION)
    response = client_for("social_worker").post(
        f"/cases/{case.pk}/closure/", {"reason": "", "note": "服务结束"}
    )
    html = response.content.decode()
    assert field_error(html, "reason") == "请填写结案原因。"
    assert "服务结束" in html
    case.refresh_from_db()
    assert case.status == CaseStatus.EVALUATION
    assert not case.reviews.filter(kind=ReviewKind.CLOSURE).exists()


def test_closure_request_goes_to_the_supervisor(client_for, world):
    case = CaseFactory(stage=CaseStatus.EVALUATION)
    client_for("social_worker").post(
        f"/cases/{case.pk}/closure/", {"reason": ClosureReason.GOALS_ACHIEVED}
    )
    case.refresh_from_db()
    assert case.status == CaseStatus.CLOSURE_PENDING
    assert case.reviews.get(kind=ReviewKind.CLOSURE).status == ReviewStatus.PENDING


def test_reopen_needs_a_reason(client_for, world):
    case = CaseFactory(stage=CaseStatus.CLOSED)
    url = f"/cases/{case.pk}/reopen/"
    response = client_for("social_worker").post(url, {"reason": ""})
    assert field_error(response.content.decode(), "reason") == "请填写重新开案的原因。"
    case.refresh_from_db()
    assert case.status == CaseStatus.CLOSED
    client_for("social_worker").post(url, {"reason": "案主再次求助"})
    case.refresh_from_db()
    assert case.status == CaseStatus.ASSESSMENT


def test_a_step_the_state_machine_refuses_explains_why(client_for, world):
    case = CaseFactory()
    response = client_for("social_worker").get(f"/cases/{case.pk}/plans/new/", follow=True)
    assert response.redirect_chain == [(f"/cases/{case.pk}/", 302)]
    assert "请先对服务对象进行预估，再制定服务计划。" in response.content.decode()


# --- reassign, referral --------------------------------------------------------------------------


def test_supervisor_reassigns_within_the_agency(client_for, world):
    case = CaseFactory()
    new_worker = demo_user("agency_admin")
    assert client_for("social_worker").get(f"/cases/{case.pk}/reassign/").status_code == 404
    client_for("supervisor").post(f"/cases/{case.pk}/reassign/", {"worker": new_worker.pk})
    case.refresh_from_db()
    assert case.worker == new_worker


def test_referral_without_consent_is_refused(client_for, working):
    response = client_for("social_worker").post(
        f"/cases/{working.pk}/referrals/new/",
        {
            "to_service": "社区日间照料中心",
            "reason": "需要日间照料",
            "summary_for_receiver": "独居老人",
        },
    )
    html = response.content.decode()
    assert field_error(html, "consent") == "转介前须已登记服务对象同意向合作机构提供信息。"
    assert "社区日间照料中心" in html
    assert not Referral.objects.filter(case=working).exists()


def test_referral_with_the_clients_sharing_consent(client_for, world, working):
    consent = SharingConsentFactory(person=working.client)
    client_for("social_worker").post(
        f"/cases/{working.pk}/referrals/new/",
        {
            "to_agency": world.agency_b.pk,
            "consent": consent.pk,
            "reason": "需要心理咨询",
            "summary_for_receiver": "近期情绪低落",
        },
    )
    referral = Referral.objects.get(case=working)
    assert referral.to_agency == world.agency_b
    assert referral.consent == consent


# --- who may use the steps -----------------------------------------------------------------------

STEP_URLS = [
    "/cases/{pk}/assessment/new/",
    "/cases/{pk}/plans/new/",
    "/cases/{pk}/notes/new/",
    "/cases/{pk}/evaluation/new/",
    "/cases/{pk}/closure/",
    "/cases/{pk}/reopen/",
    "/cases/{pk}/reassign/",
    "/cases/{pk}/referrals/new/",
    "/cases/{pk}/print/",
]


@pytest.mark.parametrize("persona", ["social_worker_b", "community_staff", "street_admin"])
def test_outsiders_get_404_on_every_step(client_for, working, persona):
    client = client_for(persona)
    for url in STEP_URLS:
        assert client.get(url.format(pk=working.pk)).status_code == 404, url
        assert client.post(url.format(pk=working.pk), note_data()).status_code == 404, url
    assert not ServiceNote.objects.filter(case=working).exists()
    assert not AccessLog.objects.filter(user__username=persona, object_id=str(working.pk)).exists()
