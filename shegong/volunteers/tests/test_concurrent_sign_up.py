"""Ten volunteers at once for a shift of three places: exactly three get one, the others are told
it is full, nobody gets an error (the shift row's lock on PostgreSQL, the one write lock on
SQLite). Counts outcomes, never time."""

import threading
from collections import Counter

import pytest
from django.db import connections
from django.test import Client

from shegong.accounts.services import token_issue, user_create
from shegong.core.demo import DEMO_PASSWORD
from shegong.volunteers.models import ShiftSignup
from shegong.volunteers.tests.factories import make_shift, make_team, make_volunteer

VOLUNTEERS = 10
PLACES = 3


@pytest.mark.django_db(transaction=True)
def test_the_last_places_go_to_exactly_as_many_volunteers(world):
    shift = make_shift(world, capacity=PLACES)
    team = make_team(world)
    tokens = []
    for n in range(VOLUNTEERS):
        user = user_create(
            actor=world.users["district_admin"],
            username=f"vol_race_{n}",
            password=DEMO_PASSWORD,
            display_name=f"并发志愿者{n}",
        )
        make_volunteer(world, team=team, user=user, name=f"并发志愿者{n}")
        tokens.append(token_issue(user=user)[1])
    statuses: Counter = Counter()
    errors: list = []
    start = threading.Barrier(VOLUNTEERS)

    def sign_up(raw: str) -> None:
        client = Client(headers={"Authorization": f"Bearer {raw}"}, raise_request_exception=False)
        try:
            start.wait()
            answer = client.post(f"/api/v1/volunteers/shifts/{shift.pk}/sign-up")
            statuses[answer.status_code] += 1
            if answer.status_code == 400:
                assert "shift" in answer.json()["errors"]
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(repr(exc))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=sign_up, args=(raw,)) for raw in tokens]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert statuses == Counter({201: PLACES, 400: VOLUNTEERS - PLACES})
    assert ShiftSignup.objects.filter(shift=shift, status="signed_up").count() == PLACES
