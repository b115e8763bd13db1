"""Drop-down lists in plain words: "全部" in a list's filters, "请选择" in a form, never Django's
"---------"; and communities grouped under their streets wherever one is chosen."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from shegong.cases.tests.factories import CaseFactory
from shegong.places.models import Community, Street

pytestmark = pytest.mark.django_db

DASHES = "---------"


def _select(html: str, name: str) -> str:
    match = re.search(rf'<select name="{name}"[^>]*>.*?</select>', html, re.S)
    assert match, f"no select named {name}"
    return match.group(0)


def _first_option(select: str) -> str:
    return re.search(r"<option[^>]*>(.*?)</option>", select, re.S).group(1)


@pytest.mark.parametrize(
    ("persona", "url", "fields"),
    [
        ("district_admin", "/agencies/", ["kind", "street", "community", "active"]),
        ("district_admin", "/cases/", ["status", "open", "community", "worker"]),
        ("district_admin", "/people/", ["community", "gender", "id_type"]),
        ("auditor", "/core/audit/", ["object_type", "action"]),
    ],
)
def test_an_open_filter_says_any(client_for, persona, url, fields):
    html = client_for(persona).get(url).content.decode()
    assert DASHES not in html
    for name in fields:
        assert _first_option(_select(html, name)) == "全部", name


@pytest.mark.parametrize(
    ("persona", "url", "field"),
    [
        ("district_admin", "/agencies/new/", "community"),
        ("community_staff", "/people/new/", "community"),
    ],
)
def test_an_empty_choice_in_a_form_says_please_choose(client_for, persona, url, field):
    html = client_for(persona).get(url).content.decode()
    assert DASHES not in html
    assert _first_option(_select(html, field)) == "请选择…"


def test_open_or_closed_is_one_clear_question(client_for):
    html = client_for("district_admin").get("/cases/").content.decode()
    assert "仅显示未结案个案" not in html
    assert "是否结案" in html
    options = re.findall(r"<option[^>]*>(.*?)</option>", _select(html, "open"))
    assert options == ["全部", "未结案", "已结案"]


@pytest.mark.parametrize(
    ("persona", "url"),
    [
        ("district_admin", "/agencies/"),
        ("district_admin", "/agencies/new/"),
        ("district_admin", "/people/new/"),
        ("district_admin", "/people/"),
    ],
)
def test_communities_are_grouped_by_street(client_for, persona, url):
    html = client_for(persona).get(url).content.decode()
    select = _select(html, "community")
    groups = re.findall(r'<optgroup label="([^"]+)">(.*?)</optgroup>', select, re.S)
    assert len(groups) == Street.objects.count()
    for street_name, options in groups:
        street = Street.objects.get(name=street_name)
        names = re.findall(r"<option[^>]*>(.*?)</option>", options)
        assert names == list(street.communities.order_by("code").values_list("name", flat=True))


def test_grouped_communities_cost_one_query(client_for):
    client = client_for("district_admin")
    client.get("/agencies/new/")  # warm caches (session, content types)
    with CaptureQueriesContext(connection) as queries:
        client.get("/agencies/new/")
    community_queries = [q for q in queries if 'FROM "places_community"' in q["sql"]]
    assert len(community_queries) == 1
    assert Community.objects.count() > 50


def test_role_grant_lists_communities_under_their_streets(client_for, world):
    url = f"/accounts/users/{world.users['volunteer'].pk}/"
    html = client_for("district_admin").get(url).content.decode()
    select = _select(html, "node")
    assert DASHES not in select
    for street in Street.objects.all():
        group = re.search(rf'<optgroup label="社区 · {street.name}">(.*?)</optgroup>', select, re.S)
        assert group, street.name
        names = re.findall(r"<option[^>]*>(.*?)</option>", group.group(1))
        assert sorted(names) == sorted(street.communities.values_list("name", flat=True))


def test_the_case_filter_and_the_import_group_their_communities_too(client_for, world):
    CaseFactory()
    html = client_for("district_admin").get("/cases/").content.decode()
    select = _select(html, "community")
    street = world.home_community.street.name
    assert re.search(
        rf'<optgroup label="{street}">\s*<option value="{world.home_community.pk}"', select
    )
    html = client_for("community_staff").get("/imports/people/new/").content.decode()
    assert f'<optgroup label="{street}">' in _select(html, "community")
