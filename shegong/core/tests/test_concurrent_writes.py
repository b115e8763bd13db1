"""Twenty people writing at once: nobody gets an error. On the embedded SQLite database this is
the proof that "database is locked" never reaches a user (write transactions stay short, slow work
happens before them, and the busy timeout in settings.SQLITE_OPTIONS covers the queue); on
PostgreSQL, that the same load keeps every write and the person-times sum.

Bounded: 20 writers, each a fixed number of requests, against the real test database (not an
in-memory one, so locking is real); the test counts errors, never time.
"""

import threading
from collections import Counter

import pytest
from django.db import connections
from django.test import Client

from shegong.accounts.services import token_issue
from shegong.cases.tests.factories import CaseFactory
from shegong.people.tests.factories import mobile, resident_id

WRITERS = 20
ROUNDS = 3


@pytest.mark.django_db(transaction=True)
def test_twenty_concurrent_writers_get_no_errors(world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    case = CaseFactory()
    _token, raw = token_issue(user=world.users["social_worker"])
    headers = {"Authorization": f"Bearer {raw}"}
    community_id = world.home_community.pk
    statuses: Counter = Counter()
    errors: list = []
    start = threading.Barrier(WRITERS)

    def writer(n: int) -> None:
        client = Client(headers=headers, raise_request_exception=False)
        try:
            start.wait()
            for round_ in range(ROUNDS):
                person = client.post(
                    "/api/v1/people",
                    {
                        "name": f"并发{n}-{round_}",
                        "community_id": community_id,
                        "id_number": resident_id(50000 + n * ROUNDS + round_),
                        "mobile": mobile(50000 + n * ROUNDS + round_),
                    },
                    content_type="application/json",
                )
                note = client.post(
                    f"/api/v1/cases/{case.pk}/notes",
                    {
                        "contact_date": case.intake_date.isoformat(),
                        "duration_minutes": 30,
                        "method": "phone",
                        "content": f"第{n}位同事的第{round_}次记录",
                    },
                    content_type="application/json",
                )
                statuses.update([person.status_code, note.status_code])
        except Exception as exc:  # noqa: BLE001 - reported below, with the thread that failed
            errors.append(repr(exc))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(WRITERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert statuses == Counter({201: WRITERS * ROUNDS * 2})
    case.refresh_from_db()
    assert case.person_times == WRITERS * ROUNDS
