"""Activities API: same scope and services as the pages; masked mobiles; field errors."""

import pytest
from django.test import Client

from shegong.accounts.services import token_issue
from shegong.activities.models import ActivitySession, Attendance, Registration
from shegong.activities.tests.factories import make_activity, make_session


@pytest.fixture
def api_for(world):
    def make(persona):
        _token, raw = token_issue(user=world.users[persona], name="test")
        return Client(headers={"Authorization": f"Bearer {raw}"})

    return make


def test_create_list_sessions_and_attendance(api_for, world):
    client = api_for("agency_admin")
    created = client.post(
        "/api/v1/activities",
        {
            "kind": "group",
            "title": "亲子小组",
            "community_id": world.home_community.pk,
            "agency_id": world.agency_a.pk,
            "starts_on": "2026-11-01",
            "ends_on": "2026-12-31",
        },
        content_type="application/json",
    )
    assert created.status_code == 201
    activity_id = created.json()["id"]
    assert created.json()["stage"] == "preparing"
    session = client.post(
        f"/api/v1/activities/{activity_id}/sessions",
        {
            "starts_at": "2026-12-20T09:00",
            "ends_at": "2026-12-20T11:00",
            "place": "室",
            "capacity": 5,
        },
        content_type="application/json",
    )
    assert session.status_code == 201
    session_id = session.json()["id"]
    walk_in = {"name": "小明妈妈", "mobile": "13900002323"}
    first = client.post(
        f"/api/v1/activities/sessions/{session_id}/attendance",
        walk_in,
        content_type="application/json",
    )
    again = client.post(
        f"/api/v1/activities/sessions/{session_id}/attendance",
        walk_in,
        content_type="application/json",
    )
    assert (first.status_code, again.status_code) == (201, 200)
    listed = client.get(f"/api/v1/activities/sessions/{session_id}/attendance").json()
    assert listed[0]["mobile_masked"] == "139****2323"
    assert "13900002323" not in str(listed)
    items = client.get("/api/v1/activities", {"kind": "group"}).json()["items"]
    assert [i["person_times"] for i in items] == [1]
    assert api_for("social_worker_b").get(f"/api/v1/activities/{activity_id}").status_code == 404


def test_bad_session_input_is_400_with_fields_and_writes_nothing(api_for, world):
    activity = make_activity(world)
    response = api_for("community_staff").post(
        f"/api/v1/activities/{activity.pk}/sessions",
        {"starts_at": "nonsense", "ends_at": "2026-12-20T11:00", "place": "室", "capacity": 5},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert "starts_at" in response.json()["errors"]
    assert not ActivitySession.objects.exists()


def test_self_sign_up_needs_a_person_record_and_cancel(api_for, world):
    session = make_session(world, make_activity(world))
    refused = api_for("volunteer").post(f"/api/v1/activities/sessions/{session.pk}/sign-up")
    assert refused.status_code == 400 and "person" in refused.json()["errors"]
    staff = api_for("community_staff")
    registered = staff.post(
        f"/api/v1/activities/sessions/{session.pk}/registrations",
        {"name": "报名居民", "mobile": "13900003434"},
        content_type="application/json",
    )
    assert registered.status_code == 201
    cancel = staff.post(f"/api/v1/activities/registrations/{registered.json()['id']}/cancel")
    assert cancel.json()["status"] == "cancelled"
    assert not Attendance.objects.exists()
    assert Registration.objects.get().status == "cancelled"


def test_stage_refusal_is_a_field_error(api_for, world):
    group = make_activity(world, persona="agency_admin", kind="group")
    response = api_for("agency_admin").post(
        f"/api/v1/activities/{group.pk}/stage", {"to": "mature"}, content_type="application/json"
    )
    assert response.status_code == 400
    assert "stage" in response.json()["errors"]
