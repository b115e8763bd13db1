"""Demo charity fund: 兴隆社区's fund, opened by its staff, with money and goods donated by
residents and companies, disbursements, and one mistaken donation reversed."""

import datetime
from decimal import Decimal

from django.utils import timezone

from shegong.funds.models import Fund
from shegong.funds.services import (
    disbursement_record,
    donation_record,
    entry_reverse,
    fund_open,
)


def build(world) -> None:
    community = world.home_community
    if Fund.objects.filter(community=community).exists():
        return
    staff = world.users["community_staff"]
    today = timezone.localdate()

    def ago(days: int) -> datetime.date:
        return today - datetime.timedelta(days=days)

    fund = fund_open(
        actor=staff,
        community=community,
        description="用于社区困难家庭帮扶、长者助餐与儿童托管等公益服务。",
    )
    donation_record(
        actor=staff,
        fund=fund,
        donor_type="organisation",
        donor_name="厦门兴隆商贸有限公司",
        amount=Decimal("20000.00"),
        occurred_on=ago(120),
        note="年度公益捐赠",
    )
    donation_record(
        actor=staff, fund=fund, donor_name="陈女士", amount=Decimal("500.00"), occurred_on=ago(90)
    )
    donation_record(
        actor=staff,
        fund=fund,
        donor_type="organisation",
        donor_name="湖里区爱心超市",
        form="in_kind",
        goods_description="大米、食用油",
        goods_quantity="40份",
        estimated_value=Decimal("3200.00"),
        occurred_on=ago(75),
    )
    mistaken = donation_record(
        actor=staff, fund=fund, donor_name="林先生", amount=Decimal("1000.00"), occurred_on=ago(60)
    )
    entry_reverse(
        actor=staff, entry=mistaken, reason="重复登记，原捐赠已由街道统一入账", occurred_on=ago(59)
    )
    disbursement_record(
        actor=staff,
        fund=fund,
        amount=Decimal("6000.00"),
        purpose="长者助餐点餐费补贴",
        recipient="兴隆社区长者食堂",
        occurred_on=ago(45),
    )
    disbursement_record(
        actor=staff,
        fund=fund,
        amount=Decimal("1800.00"),
        purpose="困难家庭子女助学",
        occurred_on=ago(20),
    )
    world.report.append(f"charity fund: {fund.name}, balance {fund.balance} yuan")
