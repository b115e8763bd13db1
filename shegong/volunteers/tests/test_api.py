import pytest

from shegong.accounts.services import token_issue
from shegong.volunteers.models import PointsEntry, ShiftSignup, VolunteerProfile
from shegong.volunteers.tests.factories import make_person, make_shift, make_team, make_volunteer

pytestmark = pytest.mark.django_db


@pytest.fixture
def api_for(world):
    from django.test import Client

    def make(persona):
        _token, raw = token_issue(user=world.users[persona])
        return Client(headers={"Authorization": f"Bearer {raw}"})

    return make


def test_staff_register_with_field_errors_in_chinese(world, api_for):
    api = api_for("community_staff")
    team = make_team(world)
    person = make_person(world)
    bad = api.post(
        "/api/v1/volunteers",
        {"person_id": person.pk, "team_id": 999999},
        content_type="application/json",
    )
    assert bad.status_code == 400 and bad.json()["errors"]["team"] == ["请选择您管理的队伍。"]
    assert not VolunteerProfile.objects.exists()
    made = api.post(
        "/api/v1/volunteers",
        {"person_id": person.pk, "team_id": team.pk, "skills": ["care"]},
        content_type="application/json",
    )
    assert made.status_code == 201 and made.json()["number"].startswith("HL")
    assert "id_number" not in made.json() and "mobile" not in made.json()


def test_volunteer_signs_up_cancels_and_reads_own_records(world, api_for):
    own = make_volunteer(world, user=world.users["volunteer"])
    other = make_volunteer(world, team=own.team, name="李四")
    shift = make_shift(world, capacity=1)
    api = api_for("volunteer")
    assert api.get("/api/v1/volunteers/me").json()["id"] == own.pk
    assert shift.pk in [s["id"] for s in api.get("/api/v1/volunteers/shifts").json()]
    signed = api.post(f"/api/v1/volunteers/shifts/{shift.pk}/sign-up")
    assert signed.status_code == 201
    twice = api.post(f"/api/v1/volunteers/shifts/{shift.pk}/sign-up")
    assert twice.status_code == 400 and "volunteer" in twice.json()["errors"]
    cancelled = api.post(f"/api/v1/volunteers/signups/{signed.json()['id']}/cancel")
    assert cancelled.json()["status"] == "cancelled"
    assert api.get(f"/api/v1/volunteers/{own.pk}/hours").status_code == 200
    assert api.get(f"/api/v1/volunteers/{other.pk}/hours").status_code == 404
    assert api.get("/api/v1/volunteers").status_code == 404
    assert ShiftSignup.objects.get().status == "cancelled"


def test_hours_approval_and_exchange_through_the_api(world, api_for):
    volunteer = make_volunteer(world)
    activity = make_shift(world).session.activity
    staff = api_for("community_staff")
    entered = staff.post(
        f"/api/v1/volunteers/{volunteer.pk}/hours",
        {
            "activity_id": activity.pk,
            "served_on": str(activity.starts_on),
            "hours": "3",
            "reason": "补录",
        },
        content_type="application/json",
    )
    assert entered.status_code == 201, entered.json()
    hours_id = entered.json()["id"]
    assert [h["id"] for h in staff.get("/api/v1/volunteers/hours/pending").json()["items"]] == [
        hours_id
    ]
    # The street looks on: not theirs to decide.
    street = api_for("street_admin")
    decision = {"to": "approved"}
    assert (
        street.post(
            f"/api/v1/volunteers/hours/{hours_id}/decision",
            decision,
            content_type="application/json",
        ).status_code
        == 404
    )
    approved = staff.post(
        f"/api/v1/volunteers/hours/{hours_id}/decision", decision, content_type="application/json"
    )
    assert approved.json()["status"] == "approved"
    too_much = staff.post(
        f"/api/v1/volunteers/{volunteer.pk}/exchanges",
        {"item": "雨伞", "points": 31},
        content_type="application/json",
    )
    assert too_much.status_code == 400 and too_much.json()["errors"]["points"]
    spent = staff.post(
        f"/api/v1/volunteers/{volunteer.pk}/exchanges",
        {"item": "雨伞", "points": 30},
        content_type="application/json",
    )
    assert spent.status_code == 201 and spent.json()["balance_after"] == 0
    assert PointsEntry.objects.count() == 2


def test_staff_suspend_a_volunteer_who_then_cannot_sign_up(world, api_for):
    volunteer = make_volunteer(world, user=world.users["volunteer"])
    shift = make_shift(world)
    staff = api_for("community_staff")
    bad = staff.patch(
        f"/api/v1/volunteers/{volunteer.pk}", {"team_id": 0}, content_type="application/json"
    )
    assert bad.status_code == 400 and bad.json()["errors"]["team"] == ["请选择您管理的队伍。"]
    done = staff.patch(
        f"/api/v1/volunteers/{volunteer.pk}",
        {"status": "suspended"},
        content_type="application/json",
    )
    assert done.json()["status"] == "suspended"
    refused = api_for("volunteer").post(f"/api/v1/volunteers/shifts/{shift.pk}/sign-up")
    assert refused.status_code == 400 and refused.json()["errors"]["volunteer"]
    assert not ShiftSignup.objects.exists()
    assert (
        api_for("street_admin")
        .patch(
            f"/api/v1/volunteers/{volunteer.pk}",
            {"status": "active"},
            content_type="application/json",
        )
        .status_code
        == 404
    )


def test_teams_are_added_and_searched_with_the_pages_choices_and_filter(world, api_for):
    from shegong.volunteers.models import VolunteerTeam
    from shegong.volunteers.tests.factories import elsewhere

    staff = api_for("community_staff")
    refused = [
        (
            {"name": "外街队", "community_id": elsewhere(world).pk},
            "community",
            "请选择队伍所在社区。",
        ),
        (
            {
                "name": "兴隆队",
                "community_id": world.home_community.pk,
                "agency_id": world.agency_b.pk,
            },
            "agency",
            "请选择您负责的机构。",
        ),
    ]
    for body, field, message in refused:
        answer = staff.post("/api/v1/volunteers/teams", body, content_type="application/json")
        assert answer.status_code == 400 and answer.json()["errors"][field] == [message], body
    assert not VolunteerTeam.objects.exists()
    made = staff.post(
        "/api/v1/volunteers/teams",
        {"name": "兴隆邻里队", "community_id": world.home_community.pk},
        content_type="application/json",
    )
    assert made.status_code == 201 and made.json()["agency_id"] is None
    make_team(world, name="兴隆助老队")
    names = [t["name"] for t in staff.get("/api/v1/volunteers/teams", {"q": "助老"}).json()]
    assert names == ["兴隆助老队"]
    assert staff.get("/api/v1/volunteers/teams", {"sort": "nonsense"}).status_code == 400
