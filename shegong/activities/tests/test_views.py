"""Activity pages: scoped list with filters and export, create with Chinese field errors,
session page with QR and masked attendance, marking and walk-ins."""

from io import BytesIO

from django.utils import translation
from django.utils.html import escape
from openpyxl import load_workbook

from shegong.activities.models import Activity, Attendance
from shegong.activities.tests.factories import make_activity, make_session


def _titles(response):
    return {a.title for a in response.context["page_obj"].object_list}


def test_list_is_scoped_filtered_and_exported(client_for, world):
    make_activity(world, title="兴隆活动")
    make_activity(world, persona="agency_admin", title="机构小组", kind="group")
    assert _titles(client_for("community_staff").get("/activities/")) == {"兴隆活动", "机构小组"}
    assert _titles(client_for("social_worker").get("/activities/")) == {"机构小组"}
    assert (
        client_for("social_worker_b").get("/activities/").context["page_obj"].paginator.count == 0
    )
    assert client_for("volunteer").get("/activities/").status_code == 404
    staff = client_for("community_staff")
    assert _titles(staff.get("/activities/", {"kind": "group"})) == {"机构小组"}
    assert _titles(staff.get("/activities/", {"q": "兴隆"})) == {"兴隆活动"}
    bad = staff.get("/activities/", {"kind": "nonsense"})
    assert bad.context["page_obj"].paginator.count == 0
    export = staff.get("/activities/export.xlsx", {"q": "兴隆"})
    cells = [c.value for row in load_workbook(BytesIO(export.content)).active for c in row]
    assert "兴隆活动" in cells and "机构小组" not in cells


def test_create_shows_chinese_errors_and_writes_nothing(client_for, world):
    with translation.override("zh-hans"):
        response = client_for("community_staff").post(
            "/activities/new/",
            {
                "kind": "community",
                "title": "茶话会",
                "category": "other",
                "community": world.home_community.pk,
                "starts_on": "2026-05-02",
                "ends_on": "2026-05-01",
            },
        )
    body = response.content.decode()
    assert 'data-field-error="ends_on"' in body
    assert escape("结束日期不能早于开始日期。") in body
    assert 'value="茶话会"' in body
    assert not Activity.objects.exists()


def test_create_and_add_session(client_for, world):
    client = client_for("community_staff")
    response = client.post(
        "/activities/new/",
        {
            "kind": "community",
            "title": "读书会",
            "category": "culture",
            "community": world.home_community.pk,
            "starts_on": "2026-11-01",
            "ends_on": "2026-12-31",
        },
    )
    activity = Activity.objects.get(title="读书会")
    assert response["Location"] == f"/activities/{activity.pk}/"
    created = client.post(
        f"/activities/{activity.pk}/sessions/new/",
        {
            "starts_at": "2026-12-05T09:00",
            "ends_at": "2026-12-05T11:00",
            "place": "图书室",
            "capacity": "30",
        },
    )
    session = activity.sessions.get()
    assert created["Location"] == f"/activities/sessions/{session.pk}/"


def test_session_page_shows_qr_and_masked_mobiles(client_for, world):
    session = make_session(world, make_activity(world))
    client = client_for("community_staff")
    client.post(
        f"/activities/sessions/{session.pk}/walk-in/",
        {"walkin-name": "散客", "walkin-mobile": "13900007777"},
    )
    body = client.get(f"/activities/sessions/{session.pk}/").content.decode()
    assert 'data-testid="session-qr"' in body and "/c/as." in body
    assert "139****7777" in body and "13900007777" not in body
    assert Attendance.objects.filter(session=session, walk_in=True).count() == 1
    # Viewers see the list but no QR code.
    viewer = client_for("street_admin").get(f"/activities/sessions/{session.pk}/").content.decode()
    assert 'data-testid="session-qr"' not in viewer and "散客" in viewer


def test_mark_registrant_present(client_for, world):
    session = make_session(world, make_activity(world))
    client = client_for("community_staff")
    client.post(
        f"/activities/sessions/{session.pk}/register/",
        {"register-name": "报名者", "register-mobile": "13900001212"},
    )
    registration = session.registrations.get()
    client.post(f"/activities/sessions/{session.pk}/mark/", {"person": registration.person_id})
    assert Attendance.objects.get(session=session).walk_in is False


def test_other_agency_gets_404(client_for, world):
    activity = make_activity(world, persona="agency_admin")
    session = make_session(world, activity, persona="agency_admin")
    client = client_for("social_worker_b")
    assert client.get(f"/activities/{activity.pk}/").status_code == 404
    assert client.get(f"/activities/sessions/{session.pk}/").status_code == 404
    assert client.get(f"/activities/sessions/{session.pk}/qr/").status_code == 404
