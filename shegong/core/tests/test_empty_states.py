"""No dead ends: an empty list says why and offers the next step (clear the filters, register,
open, import, or go where the work is)."""

import re

import pytest

from shegong.people.tests.factories import PersonFactory

pytestmark = pytest.mark.django_db


def _empty_state(html: str) -> dict:
    assert 'data-testid="empty-state"' in html, "no empty state"
    links = dict(
        (testid, href)
        for href, testid in re.findall(
            r'<a class="btn[^"]*" href="([^"]*)" data-testid="(empty-[a-z]+)"', html
        )
    )
    return links


@pytest.mark.parametrize(
    ("persona", "url", "action"),
    [
        ("district_admin", "/agencies/", "/agencies/new/"),
        ("community_staff", "/people/", "/people/new/"),
        ("district_admin", "/accounts/users/", "/accounts/users/new/"),
        ("social_worker", "/cases/", "/cases/new/"),
    ],
)
def test_a_filtered_list_with_no_rows_offers_to_clear_the_filters_and_the_next_step(
    client_for, persona, url, action
):
    html = client_for(persona).get(url, {"q": "查无此项"}).content.decode()
    links = _empty_state(html)
    assert links["empty-clear"] == url
    assert links["empty-action"] == action


def test_the_next_step_is_offered_only_to_who_may_take_it(client_for):
    html = client_for("street_admin").get("/cases/", {"q": "查无此项"}).content.decode()
    links = _empty_state(html)
    assert "empty-action" not in links  # a street admin opens no cases
    assert links["empty-clear"] == "/cases/"


@pytest.mark.parametrize(
    ("persona", "url", "action"),
    [
        ("supervisor", "/cases/supervision/", "/cases/"),
        ("agency_admin", "/cases/referrals/", "/cases/"),
        ("community_staff", "/imports/", "/imports/people/new/"),
        ("auditor", "/notifications/", "/"),
        ("auditor", "/notifications/?unread=1", "/notifications/"),
    ],
)
def test_empty_queues_say_what_appears_there_and_where_to_go(client_for, persona, url, action):
    response = client_for(persona).get(url)
    assert response.status_code == 200
    assert _empty_state(response.content.decode())["empty-action"] == action


def test_opening_a_case_before_searching_lists_recent_people_and_offers_to_register(
    client_for, world
):
    newest = PersonFactory(
        community=world.home_community, owner_agency=world.agency_a, name="最新登记的人"
    )
    html = client_for("social_worker").get("/cases/new/").content.decode()
    recent = html.split('data-testid="client-recent"', 1)[1].split('class="card-footer"', 1)[0]
    assert "最新登记的人" in recent
    assert f'href="?client={newest.pk}"' in recent
    assert 'href="/people/new/" data-testid="person-create"' in html


def test_a_search_that_finds_nobody_says_to_register_first(client_for):
    html = client_for("social_worker").get("/cases/new/", {"q": "查无此人"}).content.decode()
    assert "请先登记该人员" in html
    assert 'href="/people/new/" data-testid="person-create"' in html
