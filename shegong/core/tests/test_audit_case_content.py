"""The change history names cases by their number, keeps the writer's address, records sign-ins
as events, and carries nothing of a case's confidential content: the auditor reads it, and the
auditor may not read case content."""

import json

import pytest
from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.test import Client

from shegong.accounts.services import token_issue
from shegong.cases.choices import CaseStatus, ContactMethod, RiskLevel
from shegong.cases.models import Case, NoteComment, PlanGoal, ServiceNote
from shegong.cases.tests.factories import CaseFactory, ClientFactory, ServiceNoteFactory, today
from shegong.core.models import AccessLog

pytestmark = pytest.mark.django_db

NOTE_TEXT = "案主透露与儿子关系紧张，情绪低落。"
COMMENT_TEXT = "请关注案主的自伤风险。"
PROBLEM_TEXT = "失业后生活困难，独居。"
IP = "203.0.113.7"


def _history(model) -> list[LogEntry]:
    return list(LogEntry.objects.filter(content_type=ContentType.objects.get_for_model(model)))


def _auditor_api(world) -> Client:
    _token, raw = token_issue(user=world.users["auditor"], name="test")
    return Client(headers={"Authorization": f"Bearer {raw}"})


@pytest.fixture
def working(world):
    return CaseFactory(stage=CaseStatus.INTERVENTION)


def test_a_new_case_is_recorded_once_under_its_number_with_the_address(client_for, world):
    client = ClientFactory()
    client_for("social_worker").post(
        "/cases/new/",
        {
            "client": client.pk,
            "source": "walk_in",
            "presenting_problem": PROBLEM_TEXT,
            "risk_level": RiskLevel.MEDIUM,
            "intake_date": today().isoformat(),
        },
        REMOTE_ADDR=IP,
    )
    case = Case.objects.get(client=client)
    entries = LogEntry.objects.get_for_object(case)
    created = entries.get(action=LogEntry.Action.CREATE)
    assert created.object_repr == case.number
    assert created.remote_addr == IP
    assert created.actor == world.users["social_worker"]
    assert not entries.filter(object_repr__startswith="tmp-").exists()
    assert "tmp-" not in json.dumps(created.changes)
    # What the client told us is recorded as "set", not as its words.
    assert PROBLEM_TEXT not in json.dumps(created.changes, ensure_ascii=False)
    page = client_for("auditor").get("/core/audit/", {"object_type": "cases.case"}).content.decode()
    assert case.number in page
    assert "tmp-" not in page
    assert IP in page


def test_a_note_is_recorded_with_the_address_and_without_its_content(client_for, working):
    client_for("social_worker").post(
        f"/cases/{working.pk}/notes/new/",
        {
            "contact_date": today().isoformat(),
            "duration_minutes": "40",
            "method": ContactMethod.HOME_VISIT,
            "content": NOTE_TEXT,
            "participants": "1",
        },
        REMOTE_ADDR=IP,
    )
    note = ServiceNote.objects.get(case=working)
    entry = LogEntry.objects.get_for_object(note).get(action=LogEntry.Action.CREATE)
    assert entry.remote_addr == IP
    assert entry.object_repr == f"个案 {working.number} 的服务记录 #{note.pk}"
    assert NOTE_TEXT not in json.dumps(entry.changes, ensure_ascii=False)
    assert "content" in entry.changes  # still says the content was written


def test_the_auditor_reads_no_case_content_in_the_history(client_for, world, working):
    note = ServiceNoteFactory(case=working, content=NOTE_TEXT)
    client_for("supervisor").post(
        f"/cases/{working.pk}/notes/{note.pk}/comment/", {"text": COMMENT_TEXT}
    )
    comment = NoteComment.objects.get(note=note)
    goal = PlanGoal.objects.filter(plan__case=working).first()
    secrets = [NOTE_TEXT, COMMENT_TEXT, goal.description, working.presenting_problem]

    api = _auditor_api(world).get("/api/v1/audit/changes", {"page_size": 200})
    assert api.status_code == 200
    body = api.content.decode()
    for secret in secrets:
        assert secret not in body
    reprs = {row["object_repr"] for row in api.json()["items"]}
    assert f"个案 {working.number} 的意见 #{comment.pk}" in reprs
    assert f"个案 {working.number} 的目标 #{goal.pk}" in reprs

    page = client_for("auditor").get("/core/audit/").content.decode()
    for secret in secrets:
        assert secret not in page
    # Nor does anything content-bearing stay stored in the history.
    stored = json.dumps(
        [[e.object_repr, e.changes] for e in _history(NoteComment) + _history(PlanGoal)],
        ensure_ascii=False,
    )
    for secret in secrets:
        assert secret not in stored


def test_a_sign_in_is_an_event_not_a_change_of_the_user(client, world):
    user = world.users["social_worker"]
    user.set_password("pw-for-test-1")
    user.save()
    before = LogEntry.objects.get_for_object(user).count()
    response = client.post(
        "/accounts/login/",
        {"username": user.username, "password": "pw-for-test-1"},
        REMOTE_ADDR=IP,
    )
    assert response.status_code == 302
    assert LogEntry.objects.get_for_object(user).count() == before  # no "上次登录 changed"
    event = AccessLog.objects.get(user=user, action=AccessLog.Action.SIGN_IN)
    assert event.ip_address == IP
    auditor = Client()
    auditor.force_login(world.users["auditor"])
    page = auditor.get("/core/audit/access/", {"action": "sign_in"}).content.decode()
    assert "登录" in page
    assert IP in page
