"""The "register a volunteer" page: choose a person in view, then a team the user manages."""

import pytest

from shegong.volunteers.models import VolunteerProfile
from shegong.volunteers.tests.factories import (
    elsewhere,
    make_person,
    make_person_elsewhere,
    make_team,
    make_volunteer,
)

pytestmark = pytest.mark.django_db

URL = "/volunteers/new/"


def test_staff_register_a_person_from_the_list(world, client_for):
    team = make_team(world)
    person = make_person(world, name="周向阳")
    client = client_for("community_staff")
    assert f'href="{URL}"' in client.get("/volunteers/").content.decode()
    found = client.get(URL, {"q": "周向阳"}).content.decode()
    assert f'href="?person={person.pk}"' in found and person.id_number not in found
    form = client.get(URL, {"person": person.pk}).content.decode()
    assert 'data-testid="volunteer-register-form"' in form and team.name in form
    done = client.post(URL, {"person": person.pk, "team": team.pk, "skills": ["care", "legal"]})
    profile = VolunteerProfile.objects.get(person=person)
    assert done.url == f"/volunteers/{profile.pk}/"
    assert profile.team == team and profile.skills == ["care", "legal"]
    assert profile.number.startswith("HL")
    page = client.get(done.url).content.decode()
    assert "周向阳" in page and profile.number in page


def test_only_people_in_view_and_not_yet_volunteers_are_offered(world, client_for):
    make_team(world)
    outside = make_person_elsewhere(world, name="赵外街")
    already = make_volunteer(world, name="钱已在")
    client = client_for("community_staff")
    for person, name in ((outside, "赵外街"), (already.person, "钱已在")):
        found = client.get(URL, {"q": name}).content.decode()
        assert f"?person={person.pk}" not in found
        assert 'data-testid="volunteer-person-none"' in found
    recent = client.get(URL).content.decode()
    assert "赵外街" not in recent and "钱已在" not in recent
    # Not in view: the same as missing.
    assert client.get(URL, {"person": outside.pk}).status_code == 404
    assert client.get(URL, {"person": 999999}).status_code == 404
    assert VolunteerProfile.objects.count() == 1 and already.pk


def test_each_refusal_shows_its_message_keeps_the_input_and_writes_nothing(world, client_for):
    team = make_team(world)
    person = make_person(world, name="孙待定")
    # A team of agency A in another street: not one 兴隆社区's staff manage.
    other_team = make_team(
        world, persona="agency_admin", name="外街志愿队", community=elsewhere(world)
    )
    outside = make_person_elsewhere(world)
    already = make_volunteer(world, team=team, name="钱已在")
    client = client_for("community_staff")
    cases = [
        ({"person": person.pk, "skills": ["care"]}, "team", "这个字段是必填项。"),
        ({"person": person.pk, "team": other_team.pk}, "team", "选择一个有效的选项"),
        ({"person": outside.pk, "team": team.pk}, "person", "选择一个有效的选项"),
        ({"person": already.person.pk, "team": team.pk}, "person", "此人已是志愿者。"),
        (
            {"person": person.pk, "team": team.pk, "skills": ["flying"]},
            "skills",
            "选择一个有效的选项",
        ),
    ]
    for data, field, message in cases:
        page = client.post(URL, data)
        body = page.content.decode()
        assert page.status_code == 200, data
        assert f'data-field-error="{field}"' in body and message in body, data
    assert VolunteerProfile.objects.count() == 1
    # What was typed stays: the chosen person and the ticked skills.
    kept = client.post(URL, {"person": person.pk, "skills": ["care"]}).content.decode()
    assert 'value="care" class="form-check-input" id="id_skills_0" checked' in kept
    assert 'value="legal" class="form-check-input" id="id_skills_3" checked' not in kept
    assert "孙待定" in kept


def test_who_may_not_register_gets_404(world, client_for):
    make_team(world)
    person = make_person(world)
    for persona in ("street_admin", "social_worker", "volunteer"):
        client = client_for(persona)
        assert client.get(URL).status_code == 404, persona
        assert client.post(URL, {"person": person.pk}).status_code == 404, persona
    assert (
        'data-testid="volunteer-register"'
        not in client_for("street_admin").get("/volunteers/").content.decode()
    )
    assert not VolunteerProfile.objects.exists()
