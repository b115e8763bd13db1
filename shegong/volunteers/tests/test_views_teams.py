"""The teams list (one FilterSet with the API) and the add-team page."""

import pytest

from shegong.accounts.services import token_issue
from shegong.volunteers.models import VolunteerTeam
from shegong.volunteers.tests.factories import elsewhere, make_team, make_volunteer

pytestmark = pytest.mark.django_db

LIST = "/volunteers/teams/"
NEW = "/volunteers/teams/new/"


def test_the_list_shows_the_teams_in_scope_searched_by_name_as_the_api(world, client_for):
    own = make_team(world, name="兴隆邻里队")
    make_team(world, name="兴隆助老队")
    make_volunteer(world, team=own)
    far = make_team(world, persona="agency_admin", name="外街志愿队", community=elsewhere(world))
    client = client_for("community_staff")
    assert f'href="{LIST}"' in client.get("/volunteers/").content.decode()
    page = client.get(LIST).content.decode()
    assert "兴隆邻里队" in page and "兴隆助老队" in page and "外街志愿队" not in page
    assert f'/volunteers/?team={own.pk}"' in page and f"?team={far.pk}" not in page
    searched = client.get(LIST, {"q": "邻里"}).content.decode()
    assert f'/volunteers/?team={own.pk}"' in searched and "兴隆助老队" not in searched
    # The API binds the same FilterSet.
    _token, raw = token_issue(user=world.users["community_staff"])
    api = client_for("community_staff")
    rows = api.get(
        "/api/v1/volunteers/teams", {"q": "邻里"}, HTTP_AUTHORIZATION=f"Bearer {raw}"
    ).json()
    assert [r["name"] for r in rows] == ["兴隆邻里队"]
    bad = client.get(LIST, {"sort": "nonsense"}).content.decode()
    assert "兴隆邻里队" not in bad.split('data-testid="team-table"')[1]
    # Agency A's lead sees the team it runs elsewhere, not the community's own.
    lead = client_for("agency_admin").get(LIST).content.decode()
    assert "外街志愿队" in lead and "兴隆邻里队" not in lead
    assert client_for("volunteer").get(LIST).status_code == 404


def test_community_staff_add_their_community_team(world, client_for):
    client = client_for("community_staff")
    assert f'href="{NEW}"' in client.get(LIST).content.decode()
    form = client.get(NEW).content.decode()
    assert 'name="agency"' not in form  # no agency to choose: the community's own team
    done = client.post(NEW, {"name": "兴隆夕阳红队", "community": world.home_community.pk})
    assert done.url == LIST
    team = VolunteerTeam.objects.get()
    assert team.name == "兴隆夕阳红队" and team.agency is None
    assert "兴隆夕阳红队" in client.get(LIST).content.decode()


def test_an_agency_lead_adds_a_team_of_their_agency(world, client_for):
    client = client_for("agency_admin")
    refused = client.post(NEW, {"name": "致和先锋队", "community": world.home_community.pk})
    body = refused.content.decode()
    assert 'data-field-error="agency"' in body and "这个字段是必填项。" in body
    assert 'value="致和先锋队"' in body and not VolunteerTeam.objects.exists()
    client.post(
        NEW,
        {"name": "致和先锋队", "community": world.home_community.pk, "agency": world.agency_a.pk},
    )
    team = VolunteerTeam.objects.get()
    assert team.agency == world.agency_a and team.community == world.home_community


def test_each_refusal_shows_its_message_and_writes_nothing(world, client_for):
    client = client_for("community_staff")
    cases = [
        ({"community": world.home_community.pk}, "name", "这个字段是必填项。"),
        ({"name": "队\x07", "community": world.home_community.pk}, "name", ""),
        ({"name": "外街队", "community": elsewhere(world).pk}, "community", "选择一个有效的选项"),
        ({"name": "外街队"}, "community", "这个字段是必填项。"),
    ]
    for data, field, message in cases:
        page = client.post(NEW, data)
        body = page.content.decode()
        assert page.status_code == 200, data
        assert f'data-field-error="{field}"' in body and message in body, data
    assert not VolunteerTeam.objects.exists()


def test_who_manages_no_volunteers_cannot_add_a_team(world, client_for):
    for persona in ("street_admin", "district_admin", "social_worker", "volunteer"):
        client = client_for(persona)
        assert client.get(NEW).status_code == 404, persona
        data = {"name": "x", "community": world.home_community.pk}
        assert client.post(NEW, data).status_code == 404, persona
    assert (
        'href="/volunteers/teams/new/"' not in client_for("street_admin").get(LIST).content.decode()
    )
    assert not VolunteerTeam.objects.exists()
