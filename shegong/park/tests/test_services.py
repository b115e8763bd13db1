"""The park's services: who may write, the contract flow, overlapping tenancies, the free months
across contracts, payments and reversals. Every refusal says why and writes nothing."""

import datetime as dt
from decimal import Decimal as D

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404

from shegong.park.models import Contract, Park, Payment, Unit
from shegong.park.services import (
    contract_activate,
    contract_cancel,
    contract_create,
    contract_end,
    contract_standing,
    contract_terminate,
    park_create,
    payment_record,
    payment_reverse,
    unit_create,
)
from shegong.park.tests.factories import ContractFactory, ParkFactory, UnitFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin(world):
    return world.users["district_admin"]


def counts():
    return (
        Park.objects.count(),
        Unit.objects.count(),
        Contract.objects.count(),
        Payment.objects.count(),
    )


def test_only_the_district_runs_the_park(world):
    before = counts()
    with pytest.raises(PermissionDenied):
        park_create(actor=world.users["street_admin"], community=world.home_community, name="园")
    park = ParkFactory()
    with pytest.raises(Http404):
        unit_create(
            actor=world.users["street_admin"], park=park, code="A1", floor=1, area=10, rent_rate=5
        )
    with pytest.raises(Http404):
        unit_create(
            actor=world.users["agency_admin"], park=park, code="A1", floor=1, area=10, rent_rate=5
        )
    assert counts() == (before[0] + 1, *before[1:])


def test_unit_list_rent_per_m2_and_per_month(admin):
    park = ParkFactory()
    room = unit_create(actor=admin, park=park, code="A101", floor=1, area="25.50", rent_rate="40")
    desk = unit_create(
        actor=admin,
        park=park,
        code="D01",
        kind="desk",
        floor=3,
        area="2",
        rent_basis="monthly",
        rent_rate="300",
    )
    assert room.list_rent == D("1020.00")
    assert desk.list_rent == D("300.00")


def test_unit_bad_input_is_refused_by_field(admin):
    park = ParkFactory()
    UnitFactory(park=park, code="A101")
    before = counts()
    with pytest.raises(ValidationError) as error:
        unit_create(actor=admin, park=park, code="A101", floor=1, area="-3", rent_rate="abc")
    errors = error.value.message_dict
    assert errors["code"] == ["园区已有该编号的房间/工位。"]
    assert errors["rent_rate"] == ["请输入以元为单位的租金，例如 45。"]
    assert "area" in errors
    assert counts() == before


def test_a_contract_fixes_its_rent_and_policy_when_drafted(world, admin):
    park = ParkFactory(free_months=24, discount_percent=D("30"))
    units = [
        UnitFactory(park=park),
        UnitFactory(park=park, rent_basis="monthly", rent_rate=D("300")),
    ]
    contract = contract_create(
        actor=admin,
        park=park,
        units=units,
        agency=world.agency_a,
        start_date=dt.date(2026, 1, 1),
        end_date=dt.date(2028, 12, 31),
    )
    assert contract.status == "draft"
    assert contract.tenant_name == world.agency_a.name
    assert contract.monthly_rent == D("1300.00")
    assert (contract.free_months, contract.discount_percent) == (24, D("30.00"))
    assert contract.free_from == dt.date(2026, 1, 1)


def test_contract_refusals_write_nothing(world, admin):
    park = ParkFactory()
    other_park = ParkFactory()
    unit = UnitFactory(park=park)
    foreign = UnitFactory(park=other_park)
    closed = UnitFactory(park=park, code="X9", status="out_of_service")
    before = counts()
    cases = [
        (
            dict(
                units=[unit],
                start_date=dt.date(2026, 5, 1),
                end_date=dt.date(2026, 4, 30),
                tenant_name="甲",
            ),
            "end_date",
            "结束日期不能早于开始日期。",
        ),
        (
            dict(
                units=[],
                start_date=dt.date(2026, 5, 1),
                end_date=dt.date(2027, 4, 30),
                tenant_name="甲",
            ),
            "units",
            "请至少选择一个房间或工位。",
        ),
        (
            dict(
                units=[foreign],
                start_date=dt.date(2026, 5, 1),
                end_date=dt.date(2027, 4, 30),
                tenant_name="甲",
            ),
            "units",
            "请选择本园区的房间或工位。",
        ),
        (
            dict(
                units=[closed],
                start_date=dt.date(2026, 5, 1),
                end_date=dt.date(2027, 4, 30),
                tenant_name="甲",
            ),
            "units",
            "房间/工位 X9 已停用，不能出租。",
        ),
        (
            dict(units=[unit], start_date=dt.date(2026, 5, 1), end_date=dt.date(2027, 4, 30)),
            "tenant_name",
            "请选择承租机构，或填写尚未登记的社会组织名称。",
        ),
    ]
    for data, field, message in cases:
        with pytest.raises(ValidationError) as error:
            contract_create(actor=admin, park=park, **data)
        assert error.value.message_dict[field] == [message], data
    assert counts() == before


def test_two_contracts_for_one_unit_at_once_are_refused(world, admin):
    park = ParkFactory()
    unit = UnitFactory(park=park, code="B201")
    first = ContractFactory(units=[unit], tenant_name="先到团队")
    before = counts()
    with pytest.raises(ValidationError) as error:
        ContractFactory(
            units=[unit],
            tenant_name="后到团队",
            start_date=dt.date(2028, 12, 31),
            end_date=dt.date(2029, 12, 31),
        )
    assert error.value.message_dict["units"] == [
        f"房间/工位 B201 已于 2026-01-01 至 2028-12-31 租给 先到团队（合同 {first.pk}），"
        "同一时间只能有一个承租方。"
    ]
    assert counts() == before
    # The day after the first contract ends, the unit is free.
    ContractFactory(
        units=[unit],
        tenant_name="后到团队",
        start_date=dt.date(2029, 1, 1),
        end_date=dt.date(2029, 12, 31),
    )
    # A cancelled draft holds nothing.
    contract_cancel(actor=admin, contract=first)
    ContractFactory(
        units=[unit],
        tenant_name="第三团队",
        start_date=dt.date(2026, 1, 1),
        end_date=dt.date(2026, 12, 31),
    )


def test_a_termination_frees_the_unit_from_the_day_after(world, admin):
    unit = UnitFactory()
    contract = ContractFactory(units=[unit])
    contract_activate(actor=admin, contract=contract)
    contract_terminate(actor=admin, contract=contract, last_day=dt.date(2026, 6, 30), reason="迁出")
    with pytest.raises(ValidationError):
        ContractFactory(
            units=[unit],
            tenant_name="新团队",
            start_date=dt.date(2026, 6, 30),
            end_date=dt.date(2026, 12, 31),
        )
    ContractFactory(
        units=[unit],
        tenant_name="新团队",
        start_date=dt.date(2026, 7, 1),
        end_date=dt.date(2026, 12, 31),
    )


def test_the_flow_refuses_illegal_moves_with_a_reason(world, admin):
    contract = ContractFactory()
    with pytest.raises(ValidationError) as error:
        contract_terminate(actor=admin, contract=contract, last_day=dt.date(2026, 3, 1), reason="x")
    assert error.value.message_dict["status"] == ["合同仍是草稿，请先生效。"]
    contract_activate(actor=admin, contract=contract)
    with pytest.raises(ValidationError) as error:
        contract_activate(actor=admin, contract=contract)
    assert error.value.message_dict["status"] == ["合同已生效，只能到期结束或提前终止。"]
    with pytest.raises(ValidationError) as error:
        contract_end(actor=admin, contract=contract)
    assert error.value.message_dict["status"] == [
        "合同至 2028-12-31 到期；如需提前结束，请填写最后一天和原因并终止合同。"
    ]
    contract.refresh_from_db()
    assert contract.status == "active"


def test_termination_needs_a_last_day_inside_the_term_and_a_reason(admin):
    contract = ContractFactory()
    contract_activate(actor=admin, contract=contract)
    with pytest.raises(ValidationError) as error:
        contract_terminate(actor=admin, contract=contract, last_day=dt.date(2030, 1, 1), reason="")
    assert error.value.message_dict == {
        "last_day": ["最后一天须在 2026-01-01 至 2028-12-31 的前一天之间。"],
        "reason": ["请说明终止合同的原因。"],
    }
    with pytest.raises(ValidationError) as error:
        contract_terminate(
            actor=admin, contract=contract, last_day=dt.date(2027, 1, 1), reason="\u200b\u200b"
        )
    assert error.value.message_dict == {"reason": ["请说明终止合同的原因。"]}
    contract.refresh_from_db()
    assert (contract.status, contract.terminated_on) == ("active", None)


def test_an_ended_contract_closes_after_its_term(admin):
    contract = ContractFactory(start_date=dt.date(2024, 1, 1), end_date=dt.date(2025, 12, 31))
    contract_activate(actor=admin, contract=contract)
    contract_end(actor=admin, contract=contract)
    assert Contract.objects.get(pk=contract.pk).status == "ended"


def test_the_free_months_count_from_the_first_tenancy_across_contracts(world, admin):
    park = ParkFactory()
    first = ContractFactory(
        park=park,
        agency=world.agency_a,
        start_date=dt.date(2023, 3, 15),
        end_date=dt.date(2025, 12, 31),
    )
    contract_activate(actor=admin, contract=first)
    contract_end(actor=admin, contract=first)
    renewal = ContractFactory(
        park=park,
        agency=world.agency_a,
        start_date=dt.date(2026, 1, 1),
        end_date=dt.date(2026, 12, 31),
    )
    assert renewal.free_from == dt.date(2023, 3, 15)
    contract_activate(actor=admin, contract=renewal)
    months = {row.line.month: row.line.amount for row in contract_standing(renewal).lines}
    # 1,000 a month list rent, half after the free months (to 14 March 2026):
    # March: 500 × 17 / 31 = 274.19.
    assert months["2026-02"] == D("0.00")
    assert months["2026-03"] == D("274.19")
    assert months["2026-04"] == D("500.00")
    # Another tenant's tenancy in the park does not count for this one.
    other = ContractFactory(
        park=park,
        agency=world.agency_b,
        start_date=dt.date(2026, 1, 1),
        end_date=dt.date(2026, 12, 31),
    )
    assert other.free_from == dt.date(2026, 1, 1)


def test_an_incubated_team_keeps_its_free_months_when_it_registers(world, admin):
    park = ParkFactory()
    team = ContractFactory(
        park=park,
        tenant_name=world.agency_a.name,
        start_date=dt.date(2024, 6, 1),
        end_date=dt.date(2025, 5, 31),
    )
    contract_activate(actor=admin, contract=team)
    registered = ContractFactory(
        park=park,
        agency=world.agency_a,
        start_date=dt.date(2025, 6, 1),
        end_date=dt.date(2027, 5, 31),
    )
    assert registered.free_from == dt.date(2024, 6, 1)


def test_payments_refused_on_a_draft_and_beyond_the_contract(admin):
    contract = ContractFactory(start_date=dt.date(2020, 1, 1), end_date=dt.date(2023, 12, 31))
    with pytest.raises(ValidationError) as error:
        payment_record(actor=admin, contract=contract, amount="100")
    assert error.value.message_dict["amount"] == [
        "合同为草稿状态：只有生效中或已结束的合同才能登记租金。"
    ]
    contract_activate(actor=admin, contract=contract)
    # 2020–2022 free, 2023 at half of 1,000: 6,000 in all.
    assert contract_standing(contract).total == D("6000.00")
    for amount, message in [
        ("0", "金额必须大于 0。"),
        ("1.234", "金额以元为单位，最多两位小数。"),
        ("abc", "请输入以元为单位的金额，如 500 或 12.50。"),
        ("6000.01", "已拒绝：该合同总共还需支付 6000.00 元，本次付款 6000.01 元。"),
    ]:
        with pytest.raises(ValidationError) as error:
            payment_record(actor=admin, contract=contract, amount=amount)
        assert error.value.message_dict["amount"] == [message], amount
    assert Payment.objects.filter(contract=contract).count() == 0


def test_payments_settle_arrears_and_a_reversal_restores_them(admin):
    contract = ContractFactory(start_date=dt.date(2020, 1, 1), end_date=dt.date(2023, 12, 31))
    contract_activate(actor=admin, contract=contract)
    assert contract_standing(contract).arrears == D("6000.00")
    assert contract_standing(contract).months_overdue == 12
    payment = payment_record(
        actor=admin,
        contract=contract,
        amount="2500",
        paid_on=dt.date(2023, 6, 1),
        reference="转账001",
    )
    assert payment.entry_no == 1
    standing = contract_standing(contract)
    assert (standing.arrears, standing.months_overdue) == (D("3500.00"), 7)
    reversal = payment_reverse(actor=admin, payment=payment, reason="误登")
    assert (reversal.entry_no, reversal.amount, reversal.reverses_id) == (
        2,
        D("-2500.00"),
        payment.pk,
    )
    assert contract_standing(contract).arrears == D("6000.00")
    with pytest.raises(ValidationError) as error:
        payment_reverse(actor=admin, payment=payment, reason="again")
    assert error.value.message_dict["reverses"] == ["该笔付款已被冲正。"]
    with pytest.raises(ValidationError) as error:
        payment_reverse(actor=admin, payment=reversal, reason="again")
    assert error.value.message_dict["reverses"] == ["冲正记录本身不能再冲正。"]
    assert Payment.objects.filter(contract=contract).count() == 2


def test_payments_are_never_changed_or_deleted(admin):
    contract = ContractFactory(start_date=dt.date(2020, 1, 1), end_date=dt.date(2023, 12, 31))
    contract_activate(actor=admin, contract=contract)
    payment = payment_record(actor=admin, contract=contract, amount="100")
    with pytest.raises(ValidationError):
        payment.delete()
    with pytest.raises(ValidationError):
        Payment.objects.filter(pk=payment.pk).update(amount=1)
    payment.amount = D("1")
    with pytest.raises(ValidationError):
        payment.save()


def test_agency_and_street_may_not_write(world, admin):
    contract = ContractFactory(agency=world.agency_a)
    contract_activate(actor=admin, contract=contract)
    for persona in ("agency_admin", "street_admin"):
        with pytest.raises(Http404):
            payment_record(actor=world.users[persona], contract=contract, amount="100")
        with pytest.raises(Http404):
            contract_terminate(
                actor=world.users[persona],
                contract=contract,
                last_day=dt.date(2026, 2, 1),
                reason="x",
            )
    assert Payment.objects.count() == 0


def test_a_unit_out_of_service_cannot_be_let_until_it_returns(world, admin, client_for):
    from shegong.park.services import unit_set_status

    unit = UnitFactory(code="S1")
    client = client_for("district_admin")
    client.post(f"/park/units/{unit.pk}/status/", {"status": "out_of_service"})
    unit.refresh_from_db()
    assert unit.status == "out_of_service"
    with pytest.raises(ValidationError) as error:
        ContractFactory(units=[unit])
    assert error.value.message_dict["units"] == ["房间/工位 S1 已停用，不能出租。"]
    with pytest.raises(ValidationError) as error:
        unit_set_status(actor=admin, unit=unit, status="broken")
    assert error.value.message_dict["status"] == ["请选择在用或停用。"]
    with pytest.raises(Http404):
        unit_set_status(actor=world.users["street_admin"], unit=unit, status="in_service")
    unit_set_status(actor=admin, unit=unit, status="in_service")
    ContractFactory(units=[unit])


def test_a_draft_cannot_come_into_force_on_a_unit_taken_out_of_service(world, admin):
    from shegong.park.services import unit_set_status

    unit = UnitFactory(code="S2")
    draft = ContractFactory(units=[unit])
    unit_set_status(actor=admin, unit=unit, status="out_of_service")
    with pytest.raises(ValidationError) as error:
        contract_activate(actor=admin, contract=draft)
    assert error.value.message_dict["units"] == ["房间/工位 S2 已停用，不能出租。"]
    draft.refresh_from_db()
    assert draft.status == "draft"
    unit_set_status(actor=admin, unit=unit, status="in_service")
    assert contract_activate(actor=admin, contract=draft).status == "active"


def test_a_reversal_names_its_reason_field_in_every_refusal(admin):
    contract = ContractFactory(start_date=dt.date(2020, 1, 1), end_date=dt.date(2023, 12, 31))
    contract_activate(actor=admin, contract=contract)
    payment = payment_record(actor=admin, contract=contract, amount="100")
    for reason, message in (
        ("  ", "请说明冲正该笔付款的原因。"),
        ("\u200b", "请说明冲正该笔付款的原因。"),
        ("误\n登", "请删除文本中的控制字符或不可见的格式字符。"),
        ("误" * 201, "确保该变量包含不超过 200 字符 (目前字符数 201)。"),
    ):
        with pytest.raises(ValidationError) as error:
            payment_reverse(actor=admin, payment=payment, reason=reason)
        assert error.value.message_dict == {"reason": [message]}
    assert Payment.objects.filter(contract=contract).count() == 1


def test_a_rent_too_large_to_record_is_refused_on_the_rent_and_the_units(admin, world):
    park = ParkFactory()
    before = counts()
    with pytest.raises(ValidationError) as error:
        unit_create(actor=admin, park=park, code="X1", floor=1, area="100000", rent_rate="1000000")
    assert error.value.message_dict == {
        "rent_rate": ["该房间/工位的月租金将为 100000000000.00 元，超出系统可记录的金额。"]
    }
    assert counts() == before
    big = [UnitFactory(park=park, code=f"X{n}", area="100000", rent_rate="60000") for n in (2, 3)]
    with pytest.raises(ValidationError) as error:
        ContractFactory(units=big)
    assert error.value.message_dict == {
        "units": ["所选房间/工位的月租金合计将为 12000000000.00 元，超出合同可记录的金额。"]
    }


def test_a_reversal_is_not_dated_before_the_payment_it_undoes(admin):
    contract = ContractFactory(start_date=dt.date(2020, 1, 1), end_date=dt.date(2023, 12, 31))
    contract_activate(actor=admin, contract=contract)
    payment = payment_record(
        actor=admin, contract=contract, amount="100", paid_on=dt.date(2023, 6, 1)
    )
    with pytest.raises(ValidationError) as error:
        payment_reverse(actor=admin, payment=payment, reason="误登", paid_on=dt.date(2023, 5, 31))
    assert error.value.message_dict == {"paid_on": ["冲正日期不能早于原付款日期 2023-06-01。"]}
    assert Payment.objects.filter(contract=contract).count() == 1
    payment_reverse(actor=admin, payment=payment, reason="误登", paid_on=dt.date(2023, 6, 1))


def test_a_payment_reads_in_yuan_and_fen_as_recorded(admin):
    contract = ContractFactory(start_date=dt.date(2020, 1, 1), end_date=dt.date(2023, 12, 31))
    contract_activate(actor=admin, contract=contract)
    payment = payment_record(actor=admin, contract=contract, amount="10")
    assert str(payment.amount) == "10.00"
    assert str(payment_reverse(actor=admin, payment=payment, reason="误登").amount) == "-10.00"
