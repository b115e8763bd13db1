"""Disbursements at once from one fund: the fund row's lock (``select_for_update``; on SQLite
the write transaction) lets exactly as many through as the balance covers, with gap-free
receipt numbers, on both databases. Counts outcomes, never time."""

import threading
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connections

from shegong.funds.models import Entry, Fund
from shegong.funds.services import disbursement_record
from shegong.funds.tests.factories import DonationFactory, FundFactory

WRITERS = 8


@pytest.mark.django_db(transaction=True)
def test_concurrent_disbursements_never_overdraw(world):
    staff = world.users["community_staff"]
    fund = FundFactory()
    DonationFactory(fund=fund, amount=Decimal("100"))
    start = threading.Barrier(WRITERS)
    outcomes: list[str] = []
    errors: list[str] = []

    def writer() -> None:
        try:
            start.wait()
            disbursement_record(
                actor=staff, fund=Fund.objects.get(pk=fund.pk), amount=Decimal("30"), purpose="并发"
            )
            outcomes.append("ok")
        except ValidationError as error:
            assert "amount" in error.message_dict
            outcomes.append("refused")
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(repr(exc))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=writer) for _ in range(WRITERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert sorted(outcomes) == ["ok"] * 3 + ["refused"] * (WRITERS - 3)
    fund.refresh_from_db()
    assert fund.balance == Decimal("10.00")
    numbers = list(Entry.objects.filter(fund=fund).values_list("receipt_no", flat=True))
    assert sorted(numbers) == [1, 2, 3, 4]
