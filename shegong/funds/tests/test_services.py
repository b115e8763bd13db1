"""Charity fund services: donations, disbursements and reversals, their Chinese field errors,
"nothing written" on refusal, the append-only ledger, and scope."""

import datetime
from decimal import Decimal

import pytest
from auditlog.models import LogEntry
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone, translation

from shegong.core.scope import OutOfScope
from shegong.funds.choices import EntryKind
from shegong.funds.models import Entry, Fund
from shegong.funds.services import (
    disbursement_record,
    donation_record,
    entry_reverse,
    fund_open,
)
from shegong.funds.tests.factories import DisbursementFactory, DonationFactory, FundFactory
from shegong.people.tests.factories import PersonFactory
from shegong.places.models import Community


@pytest.fixture
def staff(world):
    return world.users["community_staff"]


@pytest.fixture
def fund(world):
    return FundFactory()


@pytest.fixture(autouse=True)
def _chinese():
    with translation.override("zh-hans"):
        yield


def state(fund):
    fund.refresh_from_db()
    return fund.balance, fund.last_receipt_no, Entry.objects.filter(fund=fund).count()


def test_staff_open_their_communitys_fund_once(world, staff):
    fund = fund_open(actor=staff, community=world.home_community)
    assert fund.name == "兴隆社区慈善基金"
    assert LogEntry.objects.get_for_object(fund).get().actor == staff
    with pytest.raises(ValidationError) as excinfo:
        fund_open(actor=world.users["street_admin"], community=world.home_community)
    assert excinfo.value.message_dict == {"community": ["该社区已有慈善基金。"]}
    assert Fund.objects.filter(community=world.home_community).count() == 1


def test_fund_outside_the_openers_place_is_refused(world, staff):
    other = Community.objects.filter(street=world.other_street).first()
    with pytest.raises(ValidationError) as excinfo:
        fund_open(actor=staff, community=other)
    assert "community" in excinfo.value.message_dict
    with pytest.raises(PermissionDenied):
        fund_open(actor=world.users["social_worker"], community=world.home_community)
    assert not Fund.objects.exists()


def test_money_and_goods_donations_and_a_disbursement(fund, staff):
    donation = donation_record(
        actor=staff,
        fund=fund,
        donor_type="organisation",
        donor_name="兴隆商贸有限公司",
        amount="1000.50",
    )
    goods = donation_record(
        actor=staff,
        fund=fund,
        donor_name="王阿姨",
        form="in_kind",
        goods_description="棉被",
        goods_quantity="10床",
        estimated_value=Decimal("800"),
    )
    out = disbursement_record(
        actor=staff, fund=fund, amount=Decimal("200.25"), purpose="助学", recipient="小明家庭"
    )
    assert (donation.receipt_no, goods.receipt_no, out.receipt_no) == (1, 2, 3)
    assert goods.money == 0 and goods.in_kind_value == Decimal("800.00")
    assert out.money == Decimal("-200.25")
    assert state(fund) == (Decimal("800.25"), 3, 3)
    assert donation.recorded_by == staff


def test_individual_donor_linked_to_a_person_in_scope(world, fund, staff):
    person = PersonFactory(community=world.home_community)
    entry = donation_record(actor=staff, fund=fund, donor_person=person, amount=50)
    assert entry.donor_name == person.name and entry.donor_person == person
    with pytest.raises(ValidationError) as excinfo:
        donation_record(
            actor=staff,
            fund=fund,
            donor_type="organisation",
            donor_name="某公司",
            donor_person=person,
            amount=50,
        )
    assert excinfo.value.message_dict == {"donor_person": ["只有个人捐赠人可关联人员档案。"]}


def test_person_outside_scope_is_refused_like_a_missing_one(world, fund, staff):
    other = Community.objects.filter(street=world.other_street).first()
    stranger = PersonFactory(community=other, owner_agency=world.agency_b)
    with pytest.raises(ValidationError) as excinfo:
        donation_record(actor=staff, fund=fund, donor_person=stranger, amount=50)
    assert excinfo.value.message_dict == {"donor_person": ["在您的范围内没有此人员。"]}
    assert state(fund) == (0, 0, 0)


@pytest.mark.parametrize(
    ("data", "errors"),
    [
        ({"donor_name": "", "amount": "10"}, {"donor_name": ["请输入捐赠人姓名或名称。"]}),
        ({"donor_name": "甲", "amount": "0"}, {"amount": ["金额必须大于 0。"]}),
        ({"donor_name": "甲", "amount": "-5"}, {"amount": ["金额必须大于 0。"]}),
        ({"donor_name": "甲", "amount": "1.001"}, {"amount": ["金额以元为单位，最多两位小数。"]}),
        (
            {"donor_name": "甲", "amount": "NaN"},
            {"amount": ["请输入以元为单位的金额，如 500 或 12.50。"]},
        ),
        ({"donor_name": "甲", "amount": "1e20"}, {"amount": ["金额过大。"]}),
        ({"donor_name": "甲"}, {"amount": ["请输入以元为单位的金额。"]}),
        (
            {"donor_name": "甲", "form": "in_kind"},
            {
                "goods_description": ["请描述捐赠的物资。"],
                "goods_quantity": ["请输入数量，如 20 箱。"],
                "estimated_value": ["请输入以元为单位的金额。"],
            },
        ),
        ({"donor_name": "甲\u202e", "amount": "10"}, None),
        (
            {"donor_name": "甲", "amount": "10", "occurred_on": datetime.date(2999, 1, 1)},
            {"occurred_on": ["该日期不能晚于今天。"]},
        ),
    ],
)
def test_bad_donations_say_why_and_write_nothing(fund, staff, data, errors):
    with pytest.raises(ValidationError) as excinfo:
        donation_record(actor=staff, fund=fund, **data)
    if errors is None:
        assert "donor_name" in excinfo.value.message_dict
    else:
        assert excinfo.value.message_dict == errors
    assert state(fund) == (0, 0, 0)


def test_disbursement_beyond_the_balance_is_refused(fund, staff):
    DonationFactory(fund=fund, amount=Decimal("100"))
    with pytest.raises(ValidationError) as excinfo:
        disbursement_record(actor=staff, fund=fund, amount=Decimal("100.01"), purpose="助餐")
    assert excinfo.value.message_dict == {
        "amount": ["已拒绝：基金余额为 100.00 元，此操作后将为 -0.01 元。"]
    }
    assert state(fund) == (Decimal("100.00"), 1, 1)
    disbursement_record(actor=staff, fund=fund, amount=Decimal("100"), purpose="助餐")
    assert state(fund) == (Decimal("0.00"), 2, 2)


def test_disbursement_needs_a_purpose(fund, staff):
    DonationFactory(fund=fund)
    with pytest.raises(ValidationError) as excinfo:
        disbursement_record(actor=staff, fund=fund, amount=Decimal("1"), purpose=" ")
    assert excinfo.value.message_dict == {"purpose": ["请填写资金用途。"]}
    assert state(fund) == (Decimal("100.00"), 1, 1)


def test_reversal_undoes_an_entry_once(fund, staff):
    donation = DonationFactory(fund=fund, amount=Decimal("300"))
    out = DisbursementFactory(fund=fund, amount=Decimal("50"))
    reversal = entry_reverse(actor=staff, entry=out, reason="登记错误")
    assert (reversal.kind, reversal.money, reversal.reverses) == (
        EntryKind.REVERSAL,
        Decimal("50.00"),
        out,
    )
    assert state(fund) == (Decimal("300.00"), 3, 3)
    with pytest.raises(ValidationError) as excinfo:
        entry_reverse(actor=staff, entry=out, reason="再次冲正")
    assert excinfo.value.message_dict == {"reverses": ["该记录已冲正。"]}
    with pytest.raises(ValidationError) as excinfo:
        entry_reverse(actor=staff, entry=reversal, reason="冲正的冲正")
    assert excinfo.value.message_dict == {"reverses": ["冲正记录本身不能再冲正。"]}
    with pytest.raises(ValidationError) as excinfo:
        entry_reverse(actor=staff, entry=donation, reason="")
    assert excinfo.value.message_dict == {"note": ["请说明冲正原因。"]}
    assert state(fund) == (Decimal("300.00"), 3, 3)


def test_a_donation_already_spent_cannot_be_reversed(fund, staff):
    donation = DonationFactory(fund=fund, amount=Decimal("100"))
    DisbursementFactory(fund=fund, amount=Decimal("60"))
    with pytest.raises(ValidationError) as excinfo:
        entry_reverse(actor=staff, entry=donation, reason="退回")
    assert excinfo.value.message_dict == {
        "reverses": ["已拒绝：基金余额为 40.00 元，此操作后将为 -60.00 元。"]
    }
    assert state(fund) == (Decimal("40.00"), 2, 2)


def test_reversing_goods_in_kind_leaves_the_money_alone(fund, staff):
    goods = DonationFactory(
        fund=fund,
        form="in_kind",
        amount=None,
        goods_description="大米",
        goods_quantity="5袋",
        estimated_value=Decimal("250"),
    )
    reversal = entry_reverse(actor=staff, entry=goods, reason="物资退回")
    assert (reversal.money, reversal.in_kind_value) == (0, Decimal("-250.00"))
    assert state(fund) == (0, 2, 2)


def test_entries_are_never_changed_or_deleted(fund):
    entry = DonationFactory(fund=fund)
    entry.money = Decimal("1")
    with pytest.raises(ValidationError):
        entry.save()
    with pytest.raises(ValidationError):
        entry.delete()
    with pytest.raises(ValidationError):
        Entry.objects.filter(pk=entry.pk).update(money=Decimal("1"))
    with pytest.raises(ValidationError):
        Entry.objects.filter(pk=entry.pk).delete()
    assert state(fund) == (Decimal("100.00"), 1, 1)
    assert Entry.objects.get(pk=entry.pk).money == Decimal("100.00")


def test_the_database_refuses_a_second_receipt_number_and_a_negative_balance(fund):
    entry = DonationFactory(fund=fund)
    copy = Entry(
        fund=fund, receipt_no=entry.receipt_no, kind="donation", occurred_on=entry.occurred_on
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        copy.save()
    with pytest.raises(IntegrityError), transaction.atomic():
        Fund.objects.filter(pk=fund.pk).update(balance=Decimal("-1"))


@pytest.mark.parametrize("persona", ["street_admin", "district_admin", "social_worker"])
def test_only_the_communitys_staff_record_entries(world, fund, persona):
    """The street and the district oversee the fund; they do not keep its book."""
    with pytest.raises(OutOfScope):
        donation_record(actor=world.users[persona], fund=fund, donor_name="甲", amount=1)
    assert state(fund) == (0, 0, 0)


def test_staff_of_another_community_cannot_touch_the_fund(world):
    other = Community.objects.filter(street=world.other_street).first()
    fund = FundFactory(community=other, actor=None)
    entry = DonationFactory(fund=fund, actor=None)
    with pytest.raises(OutOfScope):
        disbursement_record(
            actor=world.users["community_staff"], fund=fund, amount=1, purpose="越权"
        )
    with pytest.raises(OutOfScope):
        entry_reverse(actor=world.users["community_staff"], entry=entry, reason="越权")
    assert state(fund) == (Decimal("100.00"), 1, 1)


def test_dates_default_to_today(fund, staff):
    entry = donation_record(actor=staff, fund=fund, donor_name="甲", amount=1)
    assert entry.occurred_on == timezone.localdate()
