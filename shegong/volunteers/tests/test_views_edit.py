"""The edit page of a volunteer profile: team, skills and status, as the API's PATCH."""

import pytest

from shegong.volunteers.models import VolunteerProfile
from shegong.volunteers.tests.factories import elsewhere, make_team, make_volunteer

pytestmark = pytest.mark.django_db


def _url(volunteer):
    return f"/volunteers/{volunteer.pk}/edit/"


def test_staff_change_team_skills_and_status_from_the_profile(world, client_for):
    volunteer = make_volunteer(world)
    second = make_team(world, name="兴隆助老队")
    client = client_for("community_staff")
    detail = client.get(f"/volunteers/{volunteer.pk}/").content.decode()
    assert f'href="{_url(volunteer)}"' in detail
    form = client.get(_url(volunteer)).content.decode()
    assert 'value="events" class="form-check-input" id="id_skills_4" checked' in form
    done = client.post(
        _url(volunteer), {"team": second.pk, "skills": ["care", "medical"], "status": "suspended"}
    )
    assert done.url == f"/volunteers/{volunteer.pk}/"
    volunteer.refresh_from_db()
    assert volunteer.team == second
    assert volunteer.skills == ["care", "medical"] and volunteer.status == "suspended"
    page = client.get(done.url).content.decode()
    assert "兴隆助老队" in page and "已暂停" in page


def test_each_refusal_shows_its_message_keeps_the_input_and_writes_nothing(world, client_for):
    volunteer = make_volunteer(world)
    far = make_team(world, persona="agency_admin", name="外街志愿队", community=elsewhere(world))
    client = client_for("community_staff")
    base = {"team": volunteer.team.pk, "skills": ["care"], "status": "active"}
    cases = [
        ({**base, "team": far.pk}, "team", "选择一个有效的选项"),
        ({**base, "team": ""}, "team", "这个字段是必填项。"),
        ({**base, "status": "sleeping"}, "status", "选择一个有效的选项"),
        ({**base, "skills": ["flying"]}, "skills", "选择一个有效的选项"),
    ]
    for data, field, message in cases:
        page = client.post(_url(volunteer), data)
        body = page.content.decode()
        assert page.status_code == 200, data
        assert f'data-field-error="{field}"' in body and message in body, data
    kept = client.post(_url(volunteer), {**base, "status": "sleeping"}).content.decode()
    assert 'value="care" class="form-check-input" id="id_skills_0" checked' in kept
    saved = VolunteerProfile.objects.get(pk=volunteer.pk)
    assert (saved.team_id, saved.skills, saved.status) == (
        volunteer.team_id,
        ["events"],
        "active",
    )


def test_who_may_not_change_the_profile_gets_404(world, client_for):
    volunteer = make_volunteer(world, user=world.users["volunteer"])
    data = {"team": volunteer.team.pk, "status": "suspended"}
    # The street and the district look on; agency A does not see the community's team; the
    # volunteer reads their own profile only.
    for persona in ("street_admin", "district_admin", "agency_admin", "volunteer"):
        client = client_for(persona)
        assert client.get(_url(volunteer)).status_code == 404, persona
        assert client.post(_url(volunteer), data).status_code == 404, persona
    assert (
        f'href="{_url(volunteer)}"'
        not in client_for("street_admin").get(f"/volunteers/{volunteer.pk}/").content.decode()
    )
    assert VolunteerProfile.objects.get(pk=volunteer.pk).status == "active"
