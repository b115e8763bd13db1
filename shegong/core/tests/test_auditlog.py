"""Change history: service writes carry their actor; personal values never reach it."""

import json

import pytest
from auditlog.models import LogEntry
from django.db import connection

from shegong.core.audit import REDACTED
from shegong.people.choices import IdType
from shegong.people.models import Person
from shegong.people.services import person_create, person_update
from shegong.people.tests.factories import resident_id

ID_NUMBER = resident_id(4242)
MOBILE = "13912345678"
NEW_MOBILE = "13787654321"


def _raw_columns(person) -> list[str]:
    """The stored (encrypted) values of the person's ID number and mobile."""
    table = Person._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT id_number, mobile FROM {table} WHERE id = %s", [person.pk])  # noqa: S608
        return [value for value in cursor.fetchone() if value]


def _entry_text(entry) -> str:
    return json.dumps(
        [entry.changes, entry.changes_text, entry.object_repr, entry.serialized_data],
        ensure_ascii=False,
    )


@pytest.fixture
def person(world):
    return person_create(
        actor=world.users["community_staff"],
        name="张三",
        id_type=IdType.RESIDENT_ID,
        id_number=ID_NUMBER,
        mobile=MOBILE,
        community=world.home_community,
    )


def test_create_through_service_records_actor(world, person):
    entry = LogEntry.objects.get_for_object(person).get(action=LogEntry.Action.CREATE)
    assert entry.actor == world.users["community_staff"]
    assert entry.changes["name"][1] == "张三"


def test_create_records_that_encrypted_fields_were_set_but_not_their_values(person):
    entry = LogEntry.objects.get_for_object(person).get(action=LogEntry.Action.CREATE)
    assert entry.changes["id_number"] == ["", REDACTED]
    assert entry.changes["mobile"] == ["", REDACTED]
    assert "id_number_index" not in entry.changes
    assert "mobile_index" not in entry.changes
    text = _entry_text(entry)
    assert ID_NUMBER not in text
    assert MOBILE not in text
    for ciphertext in _raw_columns(person):
        assert ciphertext not in text


def test_changing_a_mobile_shows_who_changed_it_but_no_value(world, person):
    editor = world.users["street_admin"]
    person_update(actor=editor, person=person, mobile=NEW_MOBILE)
    entry = LogEntry.objects.get_for_object(person).filter(action=LogEntry.Action.UPDATE).latest()
    assert entry.actor == editor
    assert entry.changes["mobile"] == [REDACTED, REDACTED]
    assert "id_number" not in entry.changes  # unchanged fields are not mentioned
    text = _entry_text(entry)
    assert MOBILE not in text
    assert NEW_MOBILE not in text
    for ciphertext in _raw_columns(person):
        assert ciphertext not in text


def test_no_log_entry_anywhere_holds_personal_values(world, person):
    person_update(actor=world.users["street_admin"], person=person, mobile=NEW_MOBILE)
    everything = " ".join(_entry_text(entry) for entry in LogEntry.objects.all())
    assert ID_NUMBER not in everything
    assert MOBILE not in everything
    assert NEW_MOBILE not in everything


def test_history_lists_only_the_rows_own_fields(world, person):
    # Reverse relations (a person's consents, a user's tokens) are not columns of the row.
    entry = LogEntry.objects.get_for_object(person).get(action=LogEntry.Action.CREATE)
    assert "consents" not in entry.changes
    assert "user_account" not in entry.changes


@pytest.mark.django_db
def test_a_service_actor_inside_a_request_connects_no_signal_receiver(world):
    # The request's context and the services' inside it connect nothing: auditlog's connected
    # a pre_save receiver around each (leaking one per nested call, once), and every connect
    # or disconnect cleared each signal's receiver cache for every save after it.
    from auditlog.models import LogEntry
    from django.db.models.signals import pre_save

    from shegong.agencies.models import Agency
    from shegong.core.audit import open_context, set_actor

    admin, staff = world.users["district_admin"], world.users["community_staff"]
    before = list(pre_save.receivers)
    agency = Agency.objects.first()
    request = {"actor": admin, "remote_addr": "192.0.2.5", "remote_port": None}
    with open_context(request):  # the request's
        for n in range(3):
            with set_actor(staff):
                agency.address = f"兴隆路{n}号"
                agency.save()
        agency.address = "兴隆路9号"
        agency.save()
    assert pre_save.receivers == before
    entries = LogEntry.objects.get_for_object(agency).order_by("pk")
    assert [e.actor for e in entries.reverse()[:4]][::-1] == [staff, staff, staff, admin]
    assert {e.remote_addr for e in entries.reverse()[:4]} == {"192.0.2.5"}


def test_a_closed_request_context_leaves_nothing_behind_for_a_later_actor(world):
    # After a request in this thread, a service acting later in the same thread (a command, a
    # task) as nobody, or as an actor, signs its entries with that actor and no address.
    from django.test import Client

    from shegong.agencies.models import Agency
    from shegong.core.audit import set_actor

    Client().get("/healthz", REMOTE_ADDR="192.0.2.7")  # anonymous: actor None
    agency = Agency.objects.first()
    admin = world.users["district_admin"]
    with set_actor(admin):
        agency.address = "兴隆路2号"
        agency.save()
        with set_actor(admin):  # the same actor again, inside its own open context
            agency.address = "兴隆路3号"
            agency.save()
    agency.address = "兴隆路4号"
    agency.save()  # outside any context: nobody
    entries = LogEntry.objects.get_for_object(agency).order_by("-pk")
    assert [entries[2].actor, entries[1].actor, entries[0].actor] == [admin, admin, None]
    assert {entry.remote_addr for entry in entries[:3]} == {None}


def test_a_public_page_writes_its_entries_with_the_clients_address(world):
    # The check-in page's services run as nobody inside the request's context: the entries
    # carry the address all the same.
    import re

    from django.test import Client

    from shegong.activities.models import Attendance
    from shegong.activities.tests.factories import make_activity, make_session
    from shegong.core import checkin

    session = make_session(world, make_activity(world))
    client = Client(REMOTE_ADDR="192.0.2.44")
    url = checkin.checkin_path(checkin.issue_token(session))
    nonce = re.search(r'name="nonce" value="([^"]+)"', client.get(url).content.decode()).group(1)
    client.post(url, {"name": "张大爷", "mobile": "13900003333", "nonce": nonce})
    attendance = Attendance.objects.get()
    entry = LogEntry.objects.get_for_object(attendance).get()
    assert entry.remote_addr == "192.0.2.44" and entry.actor is None
    assert LogEntry.objects.get_for_object(attendance.person).get().remote_addr == "192.0.2.44"
