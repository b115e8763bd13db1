"""The menu marks the one entry the page belongs to, and sub-pages say where they sit
(breadcrumbs linking back to the pages above them)."""

import re

import pytest

from shegong.cases.choices import CaseStatus
from shegong.cases.tests.factories import CaseFactory
from shegong.people.tests.factories import PersonFactory

pytestmark = pytest.mark.django_db


def _active_entries(html: str) -> list[str]:
    menu = html.split('data-testid="main-menu"', 1)[1].split("</ul>", 1)[0]
    return re.findall(
        r'<li class="nav-item active">\s*<a[^>]*><span class="nav-link-title">(.*?)</span>', menu
    )


def _crumbs(html: str) -> list[tuple[str, str]]:
    trail = re.search(r'<ol class="breadcrumb[^"]*"[^>]*>(.*?)</ol>', html, re.S).group(1)
    return re.findall(r'<li class="breadcrumb-item"><a href="([^"]+)">(.*?)</a></li>', trail)


@pytest.mark.parametrize(
    ("url", "entry"),
    [
        ("/cases/supervision/", "督导"),
        ("/cases/my/", "我的工作"),
        ("/cases/", "个案"),
        ("/", "首页"),
    ],
)
def test_one_menu_entry_is_active(client_for, url, entry):
    html = client_for("supervisor").get(url).content.decode()
    assert _active_entries(html) == [entry]


def test_a_case_step_names_the_case_list_and_the_case(client_for, world):
    case = CaseFactory(stage=CaseStatus.INTERVENTION)
    html = client_for("social_worker").get(f"/cases/{case.pk}/notes/new/").content.decode()
    assert _crumbs(html) == [("/cases/", "个案"), (f"/cases/{case.pk}/", case.number)]


@pytest.mark.parametrize(
    ("persona", "url", "crumbs"),
    [
        ("district_admin", "/agencies/new/", [("/agencies/", "机构")]),
        ("community_staff", "/people/new/", [("/people/", "人员")]),
        ("district_admin", "/accounts/users/new/", [("/accounts/users/", "用户")]),
        ("social_worker", "/cases/new/", [("/cases/", "个案")]),
        ("community_staff", "/imports/people/new/", [("/imports/", "我的导入")]),
    ],
)
def test_sub_pages_have_breadcrumbs(client_for, persona, url, crumbs):
    response = client_for(persona).get(url)
    assert response.status_code == 200
    assert _crumbs(response.content.decode()) == crumbs


def test_an_agency_page_links_back_to_the_list(client_for, world):
    html = client_for("district_admin").get(f"/agencies/{world.agency_a.pk}/").content.decode()
    assert _crumbs(html) == [("/agencies/", "机构")]


def test_top_level_pages_have_none(client_for):
    html = client_for("district_admin").get("/agencies/").content.decode()
    assert _crumbs(html) == []


def test_a_crumb_to_a_list_the_user_may_not_open_is_left_out(client_for, world):
    volunteer = world.users["volunteer"]
    person = PersonFactory(community=world.home_community)
    volunteer.person = person  # a volunteer reads their own record but has no people list
    volunteer.save(update_fields=["person"])
    response = client_for("volunteer").get(f"/people/{person.pk}/")
    assert response.status_code == 200
    assert _crumbs(response.content.decode()) == []


def test_the_menu_costs_no_query_beyond_the_users_roles(world, django_assert_num_queries):
    """Every page draws the menu: an entry's check that looks something up (a profile, a count)
    would cost every page of every user a query. Checks read the roles the request has loaded."""
    from shegong.core.navigation import nav_for
    from shegong.core.scope import user_assignments

    for user in world.users.values():
        user_assignments(user)  # loaded once per request by whatever needs them first
        with django_assert_num_queries(0):
            nav_for(user, "/")
