"""The case-work API as its users live it: bearer tokens, the same services and scope as the
pages, masked personal data, JSON errors with nothing written."""

import datetime
from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from openpyxl import load_workbook

from shegong.accounts.models import RoleAssignment, User
from shegong.cases.choices import CaseStatus
from shegong.cases.models import (
    Case,
    ClientFile,
    HouseholdMember,
    NoteAttachment,
    Referral,
    Review,
    ServiceNote,
    ServicePlan,
)
from shegong.cases.tests.factories import ClientFactory, SharingConsentFactory, TaiwanClientFactory
from shegong.core.demo import DEMO_PASSWORD
from shegong.core.models import AccessLog

ADULT = datetime.date(1980, 3, 15)


def today():
    return timezone.localdate()


def days_ago(n):
    return (today() - datetime.timedelta(days=n)).isoformat()


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def api_for(client, world):
    """``api_for("persona")`` → a client sending that persona's bearer token."""

    class Api:
        def __init__(self, token):
            self.headers = {"Authorization": f"Bearer {token}"}

        def get(self, path, params=None):
            return client.get(f"/api/v1{path}", params or {}, headers=self.headers)

        def post(self, path, body=None):
            return client.post(
                f"/api/v1{path}", body or {}, content_type="application/json", headers=self.headers
            )

        def put(self, path, body):
            return client.put(
                f"/api/v1{path}", body, content_type="application/json", headers=self.headers
            )

        def delete(self, path):
            return client.delete(f"/api/v1{path}", headers=self.headers)

        def upload(self, path, files):
            return client.post(f"/api/v1{path}", {"file": files}, headers=self.headers)

    def make(username):
        response = client.post(
            "/api/v1/auth/token",
            {"username": username, "password": DEMO_PASSWORD},
            content_type="application/json",
        )
        assert response.status_code == 201
        return Api(response.json()["token"])

    return make


@pytest.fixture
def worker(api_for):
    return api_for("social_worker")


@pytest.fixture
def supervisor(api_for):
    return api_for("supervisor")


@pytest.fixture
def client_person(world):
    return ClientFactory(name="王小明", birth_date=ADULT, mobile="13912345678")


def open_case(api, person, **overrides):
    body = {
        "client_id": person.pk,
        "source": "walk_in",
        "presenting_problem": "家庭经济困难，子女学业受影响。",
        "risk_level": "medium",
        "intake_date": days_ago(30),
    }
    body.update(overrides)
    response = api.post("/cases", body)
    assert response.status_code == 201, response.json()
    return response.json()


def assess(api, case_id):
    response = api.post(
        f"/cases/{case_id}/assessments",
        {
            "assessed_on": days_ago(29),
            "needs": {"livelihood": {"level": "high", "note": "低保边缘"}},
            "risk_level": "medium",
            "summary": "收入不稳定，需要链接救助资源。",
        },
    )
    assert response.status_code == 201, response.json()
    return response.json()


def plan(api, case_id):
    response = api.post(
        f"/cases/{case_id}/plans",
        {
            "goals": [
                {"description": "申请临时救助", "measure": "救助到账"},
                {"description": "改善亲子沟通"},
            ],
            "tasks": [{"description": "陪同递交申请材料", "due_date": days_ago(1), "goal": 0}],
            "summary": "三个月服务计划",
        },
    )
    assert response.status_code == 201, response.json()
    return response.json()


def note(api, case_id, participants=1, **overrides):
    body = {
        "contact_date": days_ago(10),
        "duration_minutes": 45,
        "method": "home_visit",
        "content": "入户探访，了解近况。",
        "participants": participants,
    }
    body.update(overrides)
    return api.post(f"/cases/{case_id}/notes", body)


def decide_pending(supervisor, case_id, approve=True, comment=""):
    queue = supervisor.get("/cases/supervision").json()
    review = next(r for r in queue if r["case_id"] == case_id)
    response = supervisor.post(
        f"/cases/reviews/{review['id']}/decide", {"approve": approve, "comment": comment}
    )
    assert response.status_code == 200, response.json()
    return response.json()


def case_in_intervention(worker, supervisor, person):
    case = open_case(worker, person)
    assess(worker, case["id"])
    new_plan = plan(worker, case["id"])
    assert worker.post(f"/cases/{case['id']}/plans/{new_plan['id']}/submit").status_code == 200
    decide_pending(supervisor, case["id"])
    return case["id"], new_plan


def b_lead(world):
    """A supervisor at agency B (the demo world has only a worker there)."""
    user = User.objects.create_user(username="supervisor_b", password=DEMO_PASSWORD)
    RoleAssignment.objects.create(user=user, role="supervisor", agency=world.agency_b)
    return user


# --- the whole lifecycle ----------------------------------------------------------------------


def test_a_case_runs_from_intake_to_closure_and_reopening_through_the_api(
    world, worker, supervisor, client_person
):
    case = open_case(worker, client_person)
    case_id = case["id"]
    assert case["status"] == CaseStatus.INTAKE
    assert case["content"]["presenting_problem"].startswith("家庭经济困难")
    assert case["content"]["client"]["name"] == "王小明"

    assess(worker, case_id)
    new_plan = plan(worker, case_id)
    assert [g["description"] for g in new_plan["goals"]] == ["申请临时救助", "改善亲子沟通"]
    review = worker.post(f"/cases/{case_id}/plans/{new_plan['id']}/submit").json()
    assert (review["kind"], review["status"]) == ("plan", "pending")

    # The worker cannot approve; the supervisor finds it in the queue and approves.
    assert (
        worker.post(f"/cases/reviews/{review['id']}/decide", {"approve": True}).status_code == 404
    )
    decided = decide_pending(supervisor, case_id, comment="同意")
    assert decided["status"] == "approved"
    assert worker.get(f"/cases/{case_id}").json()["status"] == CaseStatus.INTERVENTION

    # Three contacts: 1 + 2 + 3 participants are six person-times.
    notes = [
        note(worker, case_id, participants=n, contact_date=days_ago(10 - n)) for n in (1, 2, 3)
    ]
    assert [r.status_code for r in notes] == [201, 201, 201]
    detail = worker.get(f"/cases/{case_id}").json()
    assert detail["person_times"] == 6
    assert detail["statistics"]["notes"] == 3
    assert detail["last_contact_date"] == days_ago(7)

    first_note = notes[0].json()["id"]
    uploaded = worker.upload(
        f"/cases/{case_id}/notes/{first_note}/attachments",
        [SimpleUploadedFile("探访照片.jpg", b"\xff\xd8\xffphoto")],
    )
    assert uploaded.status_code == 201, uploaded.json()
    attachment = uploaded.json()[0]
    download = supervisor.get(f"/cases/{case_id}/notes/{first_note}/attachments/{attachment['id']}")
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == b"\xff\xd8\xffphoto"

    comment = supervisor.post(
        f"/cases/{case_id}/notes/{first_note}/comments", {"text": "注意记录孩子的情绪变化。"}
    )
    assert comment.status_code == 201
    comments = worker.get(f"/cases/{case_id}/notes/{first_note}/comments").json()
    assert [c["text"] for c in comments] == ["注意记录孩子的情绪变化。"]
    listed = worker.get(f"/cases/{case_id}/notes").json()
    assert listed["count"] == 3
    assert listed["items"][-1]["attachments"][0]["name"] == "探访照片.jpg"

    task_id = new_plan["tasks"][0]["id"]
    done = worker.post(f"/cases/{case_id}/tasks/{task_id}/complete", {"done_on": days_ago(2)})
    assert done.json()["done_on"] == days_ago(2)

    goals = [g["id"] for g in new_plan["goals"]]
    evaluation = worker.post(
        f"/cases/{case_id}/evaluations",
        {
            "evaluated_on": days_ago(1),
            "attainment": {str(goals[0]): "achieved", str(goals[1]): "partly"},
            "summary": "救助已到账，亲子沟通有所改善。",
        },
    )
    assert evaluation.status_code == 201, evaluation.json()

    closure = worker.post(f"/cases/{case_id}/closure", {"reason": "goals_achieved"})
    assert closure.status_code == 201
    assert worker.get(f"/cases/{case_id}").json()["status"] == CaseStatus.CLOSURE_PENDING
    decide_pending(supervisor, case_id)
    closed = worker.get(f"/cases/{case_id}").json()
    assert (closed["status"], closed["closed_on"]) == (CaseStatus.CLOSED, today().isoformat())

    reopened = worker.post(f"/cases/{case_id}/reopen", {"reason": "孩子再次辍学"})
    assert reopened.status_code == 200
    assert reopened.json()["status"] == CaseStatus.ASSESSMENT
    kinds = [e["kind"] for e in reopened.json()["content"]["events"]]
    assert kinds[0] == "opened" and kinds[-1] == "reopened"


def test_my_cases_lists_own_open_cases_with_overdue_tasks(world, worker, supervisor, client_person):
    case_id, _plan = case_in_intervention(worker, supervisor, client_person)
    mine = worker.get("/cases/mine").json()
    row = next(r for r in mine["items"] if r["id"] == case_id)
    assert row["overdue_tasks"] == 1  # the plan's task was due yesterday
    assert row["no_contact"] is False  # intake 30 days ago, the default limit is 30 days
    assert [r["id"] for r in worker.get("/cases/mine", {"no_contact_days": 5}).json()["items"]]
    stale = worker.get("/cases/mine", {"no_contact_days": 5, "no_contact_only": True}).json()
    assert case_id in [r["id"] for r in stale["items"]]
    assert supervisor.get("/cases/mine").json()["count"] == 0


def export_text(response) -> str:
    sheet = load_workbook(BytesIO(response.content)).active
    return " ".join(str(c) for row in sheet.iter_rows(values_only=True) for c in row if c)


def test_the_case_list_exports_to_excel_filtered_masked_and_logged(
    world, api_for, worker, supervisor, client_person
):
    case_id = open_case(worker, client_person, risk_level="high")["id"]
    other = open_case(worker, ClientFactory(), risk_level="low")["number"]
    number = Case.objects.get(pk=case_id).number
    response = supervisor.get("/cases/export.xlsx", {"risk_level": "high"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    text = export_text(response)
    assert number in text and other not in text
    assert client_person.name in text
    assert client_person.id_number not in text and client_person.id_number_masked in text
    log = AccessLog.objects.get(user=world.users["supervisor"], action=AccessLog.Action.EXPORT)
    assert "risk_level=high" in log.detail
    # Place roles get the existence columns only.
    text = export_text(api_for("community_staff").get("/cases/export.xlsx"))
    assert number in text and client_person.name not in text


def test_my_cases_export_to_excel_like_the_list(world, worker, supervisor, client_person):
    case_id, _plan = case_in_intervention(worker, supervisor, client_person)
    number = Case.objects.get(pk=case_id).number
    response = worker.get("/cases/mine/export.xlsx", {"overdue_only": True})
    assert response.status_code == 200
    text = export_text(response)
    assert number in text and client_person.name in text
    assert client_person.id_number not in text
    log = AccessLog.objects.get(user=world.users["social_worker"], action=AccessLog.Action.EXPORT)
    assert "overdue_only=True" in log.detail
    assert number not in export_text(supervisor.get("/cases/mine/export.xlsx"))


def test_a_bad_export_filter_is_a_400_naming_the_field(world, supervisor):
    response = supervisor.get(
        "/cases/export.xlsx", {"intake_from": "2026-02-01", "intake_to": "2026-01-01"}
    )
    assert response.status_code == 400
    assert "intake_to" in response.json()["errors"]
    assert not AccessLog.objects.filter(action=AccessLog.Action.EXPORT).exists()


def test_reassignment_referral_and_acceptance(world, api_for, worker, supervisor, client_person):
    case_id, _plan = case_in_intervention(worker, supervisor, client_person)
    admin = world.users["agency_admin"]
    moved = supervisor.post(f"/cases/{case_id}/reassign", {"worker_id": admin.pk})
    assert moved.status_code == 200
    assert moved.json()["content"]["worker_id"] == admin.pk
    assert worker.get(f"/cases/{case_id}").status_code == 404  # no longer the worker's case

    director = api_for("agency_admin")
    consent = SharingConsentFactory(person=client_person)
    sent = director.post(
        f"/cases/{case_id}/referrals",
        {
            "to_agency_id": world.agency_b.pk,
            "reason": "需要就业支持",
            "summary_for_receiver": "求职意愿强，需要技能培训。",
            "consent_id": consent.pk,
        },
    )
    assert sent.status_code == 201, sent.json()
    referral_id = sent.json()["id"]

    b_lead(world)
    lead_b = api_for("supervisor_b")
    inbox = lead_b.get("/cases/referrals/inbox").json()
    assert [r["id"] for r in inbox] == [referral_id]
    assert "summary_for_receiver" in inbox[0]
    # The receiver sees the referral, never the sending agency's case file.
    assert lead_b.get(f"/cases/{case_id}").status_code == 404
    accepted = lead_b.post(f"/cases/referrals/{referral_id}/decide", {"accept": True})
    assert accepted.status_code == 200, accepted.json()
    new_case = Case.objects.get(pk=accepted.json()["new_case_id"])
    assert (new_case.agency, new_case.referred_from_id) == (world.agency_b, case_id)


# --- access -----------------------------------------------------------------------------------


def every_case_operation(case_id, plan_id, task_id, note_id, attachment_id, review_id, person_id):
    c = f"/cases/{case_id}"
    n = f"{c}/notes/{note_id}"
    return [
        ("get", c, None),
        ("post", f"{c}/reassign", {"worker_id": 1}),
        (
            "post",
            f"{c}/assessments",
            {"assessed_on": days_ago(1), "needs": {}, "risk_level": "low", "summary": "x"},
        ),  # noqa: E501
        ("post", f"{c}/plans", {"goals": [{"description": "x"}]}),
        ("post", f"{c}/plans/{plan_id}/submit", {}),
        ("post", f"{c}/tasks/{task_id}/complete", {"done_on": days_ago(1)}),
        ("get", f"{c}/notes", None),
        (
            "post",
            f"{c}/notes",
            {
                "contact_date": days_ago(1),
                "duration_minutes": 30,
                "method": "phone",
                "content": "x",
            },
        ),  # noqa: E501
        ("upload", f"{n}/attachments", None),
        ("get", f"{n}/attachments/{attachment_id}", None),
        ("get", f"{n}/comments", None),
        ("post", f"{n}/comments", {"text": "x"}),
        (
            "post",
            f"{c}/evaluations",
            {"evaluated_on": days_ago(1), "attainment": {}, "summary": "x"},
        ),  # noqa: E501
        ("post", f"{c}/closure", {"reason": "other", "note": "x"}),
        ("post", f"{c}/reopen", {"reason": "x"}),
        (
            "post",
            f"{c}/referrals",
            {"to_service": "社区食堂", "reason": "x", "summary_for_receiver": "x"},
        ),  # noqa: E501
        ("post", f"/cases/reviews/{review_id}/decide", {"approve": True}),
        ("get", f"/cases/clients/{person_id}/file", None),
        ("put", f"/cases/clients/{person_id}/file", {"address": "x"}),
        ("post", f"/cases/clients/{person_id}/household", {"name": "x", "relation": "父亲"}),
        ("get", f"/cases/clients/{person_id}/taiwan", None),
        ("put", f"/cases/clients/{person_id}/taiwan/documents", {"status": "done"}),
    ]


def call(api, method, path, body):
    if method == "get":
        return api.get(path)
    if method == "put":
        return api.put(path, body)
    if method == "upload":
        return api.upload(path, [SimpleUploadedFile("x.txt", b"x")])
    return api.post(path, body)


def test_social_worker_b_gets_404_on_every_operation_of_agency_a_cases(
    world, api_for, worker, supervisor, client_person
):
    case_id, new_plan = case_in_intervention(worker, supervisor, client_person)
    note_id = note(worker, case_id).json()["id"]
    attachment = worker.upload(
        f"/cases/{case_id}/notes/{note_id}/attachments", [SimpleUploadedFile("a.txt", b"a")]
    ).json()[0]
    worker.post(f"/cases/{case_id}/plans", {"goals": [{"description": "第二版目标"}]})
    second = ServicePlan.objects.get(case_id=case_id, version=2)
    review = worker.post(f"/cases/{case_id}/plans/{second.pk}/submit").json()
    before = (
        ServiceNote.objects.count(),
        NoteAttachment.objects.count(),
        Review.objects.count(),
        Referral.objects.count(),
        ClientFile.objects.count(),
        Case.objects.get(pk=case_id).status,
    )

    other = api_for("social_worker_b")
    operations = every_case_operation(
        case_id,
        second.pk,
        new_plan["tasks"][0]["id"],
        note_id,
        attachment["id"],
        review["id"],
        client_person.pk,
    )
    answers = {path: call(other, method, path, body) for method, path, body in operations}
    assert {path: r.status_code for path, r in answers.items() if r.status_code != 404} == {}
    assert all(r.json()["detail"] for r in answers.values() if r["Content-Type"].endswith("json"))
    assert case_id not in [c["id"] for c in other.get("/cases").json()["items"]]
    after = (
        ServiceNote.objects.count(),
        NoteAttachment.objects.count(),
        Review.objects.count(),
        Referral.objects.count(),
        ClientFile.objects.count(),
        Case.objects.get(pk=case_id).status,
    )
    assert after == before


def test_community_staff_sees_that_the_case_exists_but_nothing_inside(
    world, api_for, worker, supervisor, client_person
):
    case_id, _plan = case_in_intervention(worker, supervisor, client_person)
    note_id = note(worker, case_id, participants=2).json()["id"]
    staff = api_for("community_staff")

    listed = staff.get("/cases").json()
    row = next(r for r in listed["items"] if r["id"] == case_id)
    assert row["content_visible"] is False
    assert row["client_name"] is None and row["worker_id"] is None

    response = staff.get(f"/cases/{case_id}")
    assert response.status_code == 200
    body = response.json()
    assert (body["person_times"], body["statistics"]["notes"]) == (2, 1)
    assert body["content"] is None
    text = response.content.decode()
    assert "家庭经济困难" not in text and "王小明" not in text and "入户探访" not in text
    assert staff.get(f"/cases/{case_id}/notes").status_code == 404
    assert staff.get(f"/cases/{case_id}/notes/{note_id}/comments").status_code == 404
    assert (
        staff.post(f"/cases/{case_id}/closure", {"reason": "other", "note": "x"}).status_code == 404
    )
    assert AccessLog.objects.filter(
        user=world.users["community_staff"],
        action=AccessLog.Action.OPEN,
        object_type="cases.Case",
        object_id=str(case_id),
    ).exists()


def test_the_last_contact_is_content_in_the_api_as_on_the_pages(
    world, api_for, worker, supervisor, client_person
):
    # The case list, the case file and the Excel export show it only to whom reads inside.
    case_id, _plan = case_in_intervention(worker, supervisor, client_person)
    note(worker, case_id)
    assert worker.get(f"/cases/{case_id}").json()["last_contact_date"] is not None
    staff = api_for("community_staff")
    row = next(r for r in staff.get("/cases").json()["items"] if r["id"] == case_id)
    assert row["last_contact_date"] is None
    assert staff.get(f"/cases/{case_id}").json()["last_contact_date"] is None


def test_case_output_is_masked(world, worker, client_person):
    case = open_case(worker, client_person)
    text = worker.get(f"/cases/{case['id']}").content.decode()
    assert client_person.id_number not in text
    assert "13912345678" not in text
    assert case["content"]["client"]["mobile_masked"] == "139****5678"


# --- bad input: clear errors, nothing written -------------------------------------------------


def test_a_note_before_intake_or_in_the_future_is_refused(world, worker, supervisor, client_person):
    case_id, _plan = case_in_intervention(worker, supervisor, client_person)
    for contact_date in (days_ago(31), (today() + datetime.timedelta(days=1)).isoformat()):
        response = note(worker, case_id, contact_date=contact_date)
        assert response.status_code == 400
        assert response.json()["errors"]["contact_date"]
    case = Case.objects.get(pk=case_id)
    assert (case.person_times, case.notes.count(), case.last_contact_date) == (0, 0, None)


def test_a_plan_without_goals_is_refused(world, worker, client_person):
    case = open_case(worker, client_person)
    assess(worker, case["id"])
    response = worker.post(f"/cases/{case['id']}/plans", {"goals": [{"description": " "}]})
    assert response.status_code == 400
    assert response.json()["errors"]["goals"]
    assert not ServicePlan.objects.filter(case_id=case["id"]).exists()
    assert Case.objects.get(pk=case["id"]).status == CaseStatus.ASSESSMENT


def test_a_closure_without_reason_is_refused(world, worker, supervisor, client_person):
    case_id, _plan = case_in_intervention(worker, supervisor, client_person)
    response = worker.post(f"/cases/{case_id}/closure", {"note": "想结案"})
    assert response.status_code == 400
    assert response.json()["errors"]["reason"]
    assert Case.objects.get(pk=case_id).status == CaseStatus.INTERVENTION
    assert not Review.objects.filter(case_id=case_id, kind="closure").exists()


def test_a_referral_without_consent_is_refused(world, worker, supervisor, client_person):
    case_id, _plan = case_in_intervention(worker, supervisor, client_person)
    body = {
        "to_agency_id": world.agency_b.pk,
        "reason": "需要就业支持",
        "summary_for_receiver": "求职意愿强。",
    }
    response = worker.post(f"/cases/{case_id}/referrals", body)
    assert response.status_code == 400
    assert response.json()["errors"]["consent_id"]
    # A consent to something else than sharing does not do either.
    from shegong.people.tests.factories import ConsentFactory

    other = ConsentFactory(
        person=client_person, scope="personal_data", recorded_by=world.users["social_worker"]
    )
    response = worker.post(f"/cases/{case_id}/referrals", {**body, "consent_id": other.pk})
    assert response.status_code == 400
    assert response.json()["errors"]["consent_id"]
    assert not Referral.objects.exists()


def test_opening_a_case_with_bad_input_names_each_field(world, worker, client_person):
    response = worker.post(
        "/cases",
        {
            "client_id": client_person.pk,
            "source": "walk_in",
            "presenting_problem": " ",
            "intake_date": (today() + datetime.timedelta(days=3)).isoformat(),
            "worker_id": world.users["social_worker_b"].pk,
        },
    )
    assert response.status_code == 400
    assert set(response.json()["errors"]) == {"presenting_problem", "intake_date", "worker_id"}
    assert not Case.objects.exists()


# --- client file ------------------------------------------------------------------------------


def test_client_file_household_and_taiwan_checklist(world, worker, client_person):
    from shegong.cases.models import TargetGroup

    groups = list(TargetGroup.objects.order_by("sort_order")[:2])
    saved = worker.put(
        f"/cases/clients/{client_person.pk}/file",
        {"target_group_ids": [g.pk for g in groups], "address": "兴隆路1号", "notes": "独居"},
    )
    assert saved.status_code == 200
    assert {g["id"] for g in saved.json()["target_groups"]} == {g.pk for g in groups}

    bad = worker.post(
        f"/cases/clients/{client_person.pk}/household",
        {"name": "王大明", "relation": "父亲", "phone": "1234"},
    )
    assert bad.status_code == 400 and bad.json()["errors"]["phone"]
    added = worker.post(
        f"/cases/clients/{client_person.pk}/household",
        {"name": "王大明", "relation": "父亲", "phone": "13712345678", "is_guardian": True},
    )
    assert added.status_code == 201
    assert added.json()["phone_masked"] == "137****5678"
    got = worker.get(f"/cases/clients/{client_person.pk}/file").content.decode()
    assert "13712345678" not in got and "137****5678" in got
    member_id = added.json()["id"]
    assert (
        worker.delete(f"/cases/clients/{client_person.pk}/household/{member_id}").status_code == 204
    )
    assert not HouseholdMember.objects.exists()

    refused = worker.put(f"/cases/clients/{client_person.pk}/taiwan/documents", {"status": "done"})
    assert refused.status_code == 400 and refused.json()["errors"]["item"]
    taiwan = TaiwanClientFactory()
    assert worker.get(f"/cases/clients/{taiwan.pk}/taiwan").json()["applies"] is True
    done = worker.put(
        f"/cases/clients/{taiwan.pk}/taiwan/startup",
        {"status": "in_progress", "note": "创业计划书"},
    )
    items = {i["item"]: i for i in done.json()["items"]}
    assert (items["startup"]["status"], items["startup"]["note"]) == ("in_progress", "创业计划书")
    assert items["documents"]["status"] == "todo"


def test_a_household_member_refused_leaves_no_empty_client_file(world, worker, client_person):
    response = worker.post(
        f"/cases/clients/{client_person.pk}/household", {"name": "x", "relation": ""}
    )
    assert response.status_code == 400
    assert not ClientFile.objects.filter(person=client_person).exists()


def test_a_worker_cannot_open_a_case_for_a_colleague(world, worker, client_person):
    # Before, the case was written and the answer was a 404: the worker may not read a case
    # that is someone else's.
    body = {
        "client_id": client_person.pk,
        "source": "walk_in",
        "presenting_problem": "独居老人需要探访",
        "intake_date": today().isoformat(),
        "worker_id": world.users["supervisor"].pk,
    }
    response = worker.post("/cases", body)
    assert response.status_code == 400
    assert response.json()["errors"]["worker_id"] == [
        "只有机构的督导和负责人可以把个案交给其他社工。"
    ]
    assert not Case.objects.exists()


def test_a_supervisor_opens_a_case_for_a_worker(world, supervisor, client_person):
    response = supervisor.post(
        "/cases",
        {
            "client_id": client_person.pk,
            "source": "walk_in",
            "presenting_problem": "独居老人需要探访",
            "intake_date": today().isoformat(),
            "worker_id": world.users["social_worker"].pk,
        },
    )
    assert response.status_code == 201
    assert Case.objects.get().worker == world.users["social_worker"]
