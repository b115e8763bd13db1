"""The audit API: same filters as the page, auditors only, 404 for everyone else."""

import datetime

import pytest
from auditlog.models import LogEntry
from django.test import Client
from django.utils import timezone

from shegong.accounts.services import token_issue
from shegong.core.models import AccessLog
from shegong.core.testing.personas import PERSONAS
from shegong.core.tests.factories import AccessLogFactory
from shegong.people.choices import IdType
from shegong.people.services import person_create, person_update
from shegong.people.tests.factories import resident_id

MOBILE = "13912345678"


@pytest.fixture
def api_for(world):
    def make(persona: str) -> Client:
        _token, raw = token_issue(user=world.users[persona], name="test")
        return Client(headers={"Authorization": f"Bearer {raw}"})

    return make


def _create_person(actor, name, community, n=1):
    return person_create(
        actor=actor,
        name=name,
        id_type=IdType.RESIDENT_ID,
        id_number=resident_id(n),
        mobile=MOBILE,
        community=community,
    )


@pytest.mark.parametrize("url", ["/api/v1/audit/changes", "/api/v1/audit/access"])
@pytest.mark.parametrize("persona", [p for p in PERSONAS if p != "auditor"])
def test_other_roles_get_404(api_for, persona, url):
    response = api_for(persona).get(url)
    assert response.status_code == 404
    assert response.json()["detail"]


@pytest.mark.parametrize("url", ["/api/v1/audit/changes", "/api/v1/audit/access"])
def test_anonymous_gets_401(client, db, url):
    assert client.get(url).status_code == 401


def test_changes_show_actor_object_and_field_names_only(api_for, world):
    staff = world.users["community_staff"]
    person = _create_person(staff, "王小明", world.home_community)
    person_update(actor=staff, person=person, mobile="13787654321")
    response = api_for("auditor").get(
        "/api/v1/audit/changes", {"object_type": "people.person", "object_id": str(person.pk)}
    )
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 2
    update, create = body["items"]
    assert update["action"] == "update"
    assert create["action"] == "create"
    assert update["actor_id"] == staff.pk
    assert update["actor"] == str(staff)
    assert update["object_type"] == "people.person"
    assert update["object_repr"] == "王小明"
    assert "mobile" in update["changed_fields"]
    assert MOBILE not in response.content.decode()
    assert "13787654321" not in response.content.decode()


def test_changes_filter_by_user_and_date(api_for, world):
    staff, admin = world.users["community_staff"], world.users["street_admin"]
    old = _create_person(staff, "去年的", world.home_community, n=1)
    _create_person(staff, "今年的", world.home_community, n=2)
    _create_person(admin, "别人的", world.home_community, n=3)
    LogEntry.objects.get_for_object(old).update(
        timestamp=timezone.make_aware(datetime.datetime(2024, 5, 1, 12, 0))
    )
    client = api_for("auditor")
    mine = client.get("/api/v1/audit/changes", {"user_id": staff.pk}).json()
    assert {item["object_repr"] for item in mine["items"]} == {"去年的", "今年的"}
    last_year = client.get(
        "/api/v1/audit/changes",
        {"user": "community_staff", "date_from": "2024-01-01", "date_to": "2024-12-31"},
    ).json()
    assert [item["object_repr"] for item in last_year["items"]] == ["去年的"]


def test_changes_are_paginated(api_for, world):
    staff = world.users["community_staff"]
    for n in range(1, 4):
        _create_person(staff, f"居民{n}", world.home_community, n=n)
    body = (
        api_for("auditor")
        .get("/api/v1/audit/changes", {"user_id": staff.pk, "page_size": 2})
        .json()
    )
    assert body["count"] == 3
    assert len(body["items"]) == 2


def test_reversed_date_range_is_a_field_error(api_for, world):
    response = api_for("auditor").get(
        "/api/v1/audit/changes", {"date_from": "2025-02-01", "date_to": "2025-01-01"}
    )
    assert response.status_code == 400
    assert "date_to" in response.json()["errors"]


def test_unknown_action_is_a_field_error(api_for, world):
    response = api_for("auditor").get("/api/v1/audit/access", {"action": "peek"})
    assert response.status_code == 400
    assert "action" in response.json()["errors"]


def test_malformed_date_is_rejected(api_for, world):
    response = api_for("auditor").get("/api/v1/audit/changes", {"date_from": "yesterday"})
    assert response.status_code == 422
    assert "date_from" in response.json()["errors"]


def test_access_log_filters_by_user_and_action(api_for, world):
    staff, admin = world.users["community_staff"], world.users["street_admin"]
    keep = AccessLogFactory(user=staff, action=AccessLog.Action.EXPORT, ip_address="10.9.9.9")
    AccessLogFactory(user=staff, action=AccessLog.Action.UNMASK)
    AccessLogFactory(user=admin, action=AccessLog.Action.EXPORT)
    body = (
        api_for("auditor")
        .get("/api/v1/audit/access", {"user_id": staff.pk, "action": "export"})
        .json()
    )
    assert body["count"] == 1
    item = body["items"][0]
    assert item["id"] == keep.pk
    assert item["user"] == str(staff)
    assert item["ip_address"] == "10.9.9.9"
    assert item["object_type"] == "people.Person"
