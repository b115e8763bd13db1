"""The ledger under random sequences of donations (money and goods), disbursements and
reversals: after every step the fund's balance equals the sum of its entries and is never
negative, receipt numbers run 1..n without gaps, and a refused step writes nothing."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from shegong.accounts.models import User
from shegong.funds.models import Entry, Fund
from shegong.funds.services import disbursement_record, donation_record, entry_reverse, fund_open
from shegong.places.demo import HOME_COMMUNITY
from shegong.places.models import Community

cents = st.integers(min_value=1, max_value=50_000).map(lambda n: Decimal(n) / 100)
step = st.one_of(
    st.tuples(st.just("donate"), cents),
    st.tuples(st.just("goods"), cents),
    st.tuples(st.just("disburse"), cents),
    st.tuples(st.just("reverse"), st.integers(min_value=0, max_value=40)),
)


def snapshot(fund):
    fund = Fund.objects.get(pk=fund.pk)
    rows = list(Entry.objects.filter(fund=fund).order_by("receipt_no"))
    return fund.balance, fund.last_receipt_no, [e.pk for e in rows]


@pytest.mark.django_db
@settings(
    max_examples=40,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow],
)
@given(steps=st.lists(step, max_size=25))
def test_random_ledgers_balance_and_refusals_write_nothing(steps):
    staff = User.objects.get(username="community_staff")
    community = Community.objects.get(name=HOME_COMMUNITY)
    with transaction.atomic():
        fund = fund_open(actor=staff, community=community)
        expected = Decimal("0.00")
        for kind, value in steps:
            before = snapshot(fund)
            try:
                if kind == "donate":
                    donation_record(actor=staff, fund=fund, donor_name="甲", amount=value)
                    expected += value
                elif kind == "goods":
                    donation_record(
                        actor=staff,
                        fund=fund,
                        donor_name="乙",
                        form="in_kind",
                        goods_description="物资",
                        goods_quantity="1",
                        estimated_value=value,
                    )
                elif kind == "disburse":
                    disbursement_record(actor=staff, fund=fund, amount=value, purpose="用途")
                    assert expected - value >= 0, "a disbursement beyond the balance passed"
                    expected -= value
                else:
                    entries = list(Entry.objects.filter(fund=fund).order_by("receipt_no"))
                    if not entries:
                        continue
                    target = entries[value % len(entries)]
                    entry_reverse(actor=staff, entry=target, reason="冲正")
                    assert target.kind != "reversal"
                    expected -= target.money
            except ValidationError as error:
                assert error.message_dict  # every refusal names a field
                assert snapshot(fund) == before, "a refused step wrote something"
                if kind == "disburse":
                    assert value > expected
                continue
            balance, last, ids = snapshot(fund)
            # Summed here, exactly: SQLite adds decimals as floats (2.72000000000001).
            total = sum(Entry.objects.filter(fund=fund).values_list("money", flat=True))
            assert balance == total == expected
            assert balance >= 0
            assert last == len(ids)
            numbers = list(
                Entry.objects.filter(fund=fund)
                .order_by("receipt_no")
                .values_list("receipt_no", flat=True)
            )
            assert numbers == list(range(1, last + 1))
            reversed_ids = list(
                Entry.objects.filter(fund=fund, reverses__isnull=False).values_list(
                    "reverses", flat=True
                )
            )
            assert len(reversed_ids) == len(set(reversed_ids))
        transaction.set_rollback(True)
