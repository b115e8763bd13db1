"""The audit page: auditors read change history and the access log; everyone else gets 404."""

import datetime

import pytest
from auditlog.models import LogEntry
from django.utils import timezone

from shegong.core.access import log_access
from shegong.core.models import AccessLog
from shegong.core.testing.personas import PERSONAS
from shegong.core.tests.factories import AccessLogFactory
from shegong.people.choices import IdType
from shegong.people.services import person_create, person_update
from shegong.people.tests.factories import resident_id

NOT_AUDITORS = [p for p in PERSONAS if p != "auditor"]
MOBILE = "13912345678"


def _create_person(actor, name, community, n=1):
    return person_create(
        actor=actor,
        name=name,
        id_type=IdType.RESIDENT_ID,
        id_number=resident_id(n),
        mobile=MOBILE,
        community=community,
    )


def _move_to(entries, day: datetime.date):
    moment = timezone.make_aware(datetime.datetime.combine(day, datetime.time(10, 0)))
    LogEntry.objects.filter(pk__in=[e.pk for e in entries]).update(timestamp=moment)


def _rows(response) -> list:
    return list(response.context["page_obj"])


@pytest.mark.parametrize("url", ["/core/audit/", "/core/audit/access/"])
@pytest.mark.parametrize("persona", NOT_AUDITORS)
def test_other_roles_get_404(client_for, persona, url):
    assert client_for(persona).get(url).status_code == 404


@pytest.mark.parametrize("url", ["/core/audit/", "/core/audit/access/"])
def test_anonymous_is_sent_to_login(client, db, url):
    response = client.get(url)
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_superuser_may_open_it(client, world):
    from shegong.accounts.models import User

    root = User.objects.create_superuser("root", "root@example.org", "x-very-long-pass")
    client.force_login(root)
    assert client.get("/core/audit/").status_code == 200


def test_menu_shows_audit_log_only_to_auditors(client_for):
    assert 'href="/core/audit/"' in client_for("auditor").get("/").content.decode()
    assert 'href="/core/audit/"' not in client_for("district_admin").get("/").content.decode()


def test_change_history_lists_actor_object_and_changed_fields_without_values(client_for, world):
    staff = world.users["community_staff"]
    person = _create_person(staff, "王小明", world.home_community)
    person_update(actor=world.users["street_admin"], person=person, mobile="13787654321")
    response = client_for("auditor").get("/core/audit/", {"object_type": "people.person"})
    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-testid="audit-changes"' in html
    assert "王小明" in html
    assert str(staff) in html
    assert str(world.users["street_admin"]) in html
    assert MOBILE not in html
    assert "13787654321" not in html
    update = next(e for e in _rows(response) if e.action == LogEntry.Action.UPDATE)
    assert "mobile" in update.changes


def test_filter_changes_by_user(client_for, world):
    _create_person(world.users["community_staff"], "甲", world.home_community, n=1)
    _create_person(world.users["street_admin"], "乙", world.home_community, n=2)
    response = client_for("auditor").get("/core/audit/", {"user": "street_admin"})
    rows = _rows(response)
    assert rows
    assert {e.actor for e in rows} == {world.users["street_admin"]}


def test_filter_changes_by_user_id_and_action(client_for, world):
    staff = world.users["community_staff"]
    person = _create_person(staff, "甲", world.home_community)
    person_update(actor=staff, person=person, name="甲乙")
    response = client_for("auditor").get("/core/audit/", {"user_id": staff.pk, "action": "update"})
    rows = _rows(response)
    assert [e.object_repr for e in rows] == ["甲乙"]


def test_filter_changes_by_object(client_for, world):
    staff = world.users["community_staff"]
    first = _create_person(staff, "甲", world.home_community, n=1)
    _create_person(staff, "乙", world.home_community, n=2)
    response = client_for("auditor").get(
        "/core/audit/", {"object_type": "people.person", "object_id": str(first.pk)}
    )
    assert {e.object_repr for e in _rows(response)} == {"甲"}


def test_filter_changes_by_date_range(client_for, world):
    staff = world.users["community_staff"]
    old = _create_person(staff, "去年的", world.home_community, n=1)
    recent = _create_person(staff, "今年的", world.home_community, n=2)
    _move_to(LogEntry.objects.get_for_object(old), datetime.date(2024, 3, 1))
    _move_to(LogEntry.objects.get_for_object(recent), datetime.date(2025, 6, 15))
    client = client_for("auditor")
    response = client.get("/core/audit/", {"date_from": "2024-01-01", "date_to": "2024-12-31"})
    assert {e.object_repr for e in _rows(response)} == {"去年的"}
    # The end date includes the whole day.
    response = client.get("/core/audit/", {"date_from": "2025-06-15", "date_to": "2025-06-15"})
    assert {e.object_repr for e in _rows(response)} == {"今年的"}


def test_reversed_date_range_shows_error_next_to_field_and_no_rows(client_for, world):
    _create_person(world.users["community_staff"], "甲", world.home_community)
    response = client_for("auditor").get(
        "/core/audit/", {"date_from": "2025-02-01", "date_to": "2025-01-01"}
    )
    assert response.status_code == 200
    assert 'data-field-error="date_to"' in response.content.decode()
    assert _rows(response) == []


def test_bad_date_shows_error(client_for, world):
    response = client_for("auditor").get("/core/audit/", {"date_from": "2025-13-45"})
    assert 'data-field-error="date_from"' in response.content.decode()
    assert _rows(response) == []


def test_change_history_is_paginated(client_for, world):
    staff = world.users["community_staff"]
    for n in range(1, 53):
        _create_person(staff, f"居民{n}", world.home_community, n=n)
    client = client_for("auditor")
    first = client.get("/core/audit/", {"user_id": staff.pk})
    assert len(_rows(first)) == 50
    assert 'data-testid="page-next"' in first.content.decode()
    second = client.get("/core/audit/", {"user_id": staff.pk, "page": 2})
    assert len(_rows(second)) == 2


def test_access_log_lists_reads_with_ip(client_for, world):
    staff = world.users["community_staff"]
    log_access(
        user=staff,
        action=AccessLog.Action.EXPORT,
        object_type="people.Person",
        detail="people list export",
    )
    AccessLogFactory(user=staff, ip_address="10.1.2.3", object_label="李四")
    response = client_for("auditor").get("/core/audit/access/")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-testid="audit-access"' in html
    assert "10.1.2.3" in html
    assert "李四" in html
    assert "people list export" in html


def test_access_log_filters_by_user_action_and_date(client_for, world):
    staff, admin = world.users["community_staff"], world.users["street_admin"]
    keep = AccessLogFactory(user=staff, action=AccessLog.Action.UNMASK)
    AccessLogFactory(user=staff, action=AccessLog.Action.EXPORT)
    AccessLogFactory(user=admin, action=AccessLog.Action.UNMASK)
    old = AccessLogFactory(user=staff, action=AccessLog.Action.UNMASK)
    AccessLog.objects.filter(pk=old.pk).update(
        created_at=timezone.make_aware(datetime.datetime(2020, 1, 1, 9, 0))
    )
    response = client_for("auditor").get(
        "/core/audit/access/",
        {"user": "community_staff", "action": "unmask", "date_from": "2021-01-01"},
    )
    assert [e.pk for e in _rows(response)] == [keep.pk]


def test_access_log_filters_by_object(client_for, world):
    staff = world.users["community_staff"]
    AccessLogFactory(user=staff, object_type="people.Person", object_id="7")
    AccessLogFactory(user=staff, object_type="people.Person", object_id="8")
    response = client_for("auditor").get(
        "/core/audit/access/", {"object_type": "people.person", "object_id": "7"}
    )
    assert [e.object_id for e in _rows(response)] == ["7"]


def test_audit_page_is_read_only(client_for):
    assert client_for("auditor").post("/core/audit/").status_code == 405


@pytest.mark.parametrize(
    "query",
    [
        {"user_id": "9223372036854775808"},
        {"user_id": "99999999999999999999"},
        {"date_to": "9999-12-31"},
    ],
)
@pytest.mark.parametrize("url", ["/core/audit/", "/core/audit/access/"])
def test_out_of_range_filters_are_not_a_server_error(client_for, url, query):
    response = client_for("auditor").get(url, query)
    assert response.status_code == 200
