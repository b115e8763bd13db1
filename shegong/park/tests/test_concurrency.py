"""Two administrators drafting a contract for the same room at the same moment: the units' row
locks (on SQLite the IMMEDIATE write transaction) let exactly one through, on both databases.
Counts outcomes, never time."""

import datetime as dt
import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connections

from shegong.park.models import Contract, Unit
from shegong.park.services import contract_create
from shegong.park.tests.factories import UnitFactory, demo_user

WRITERS = 6


@pytest.mark.django_db(transaction=True)
def test_one_unit_gets_one_contract_when_drafted_at_once(world):
    unit = UnitFactory(code="并发101")
    start = threading.Barrier(WRITERS)
    outcomes: list[str] = []
    errors: list[str] = []

    def writer(index: int) -> None:
        try:
            admin = demo_user()
            fresh = Unit.objects.get(pk=unit.pk)
            start.wait()
            contract_create(
                actor=admin,
                park=fresh.park,
                units=[fresh],
                tenant_name=f"并发团队{index}",
                start_date=dt.date(2026, 1, 1) + dt.timedelta(days=index),
                end_date=dt.date(2027, 12, 31),
            )
            outcomes.append("ok")
        except ValidationError as error:
            assert "units" in error.message_dict
            outcomes.append("refused")
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(repr(exc))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=writer, args=(i,)) for i in range(WRITERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert sorted(outcomes) == ["ok"] + ["refused"] * (WRITERS - 1)
    assert Contract.objects.filter(units=unit).count() == 1
