"""The demo's incubation park: 湖里区社会组织服务园 in the demo's home community, its rooms and
desks, and tenants at each stage of the rent policy, all written by the district administrator
through the services:

* the demo agency, in the park for four years: its first contract (three free years) has ended
  and its renewal pays the discounted rent, with the last two months unpaid (in arrears, on the
  administrator's workbench and on the agency director's);
* an organisation whose three free years end in three weeks, so the month of the anniversary is
  prorated;
* the second agency and a team not yet registered, both in their free years;
* a draft contract for a vacant room, waiting to be activated.
"""

import datetime
from decimal import Decimal

from django.utils import timezone

from shegong.park.models import Park
from shegong.park.schedule import anniversary
from shegong.park.services import (
    contract_activate,
    contract_create,
    contract_end,
    contract_standing,
    park_create,
    payment_record,
    unit_create,
)

UNITS = [
    # code, kind, floor, area m², basis, rate
    ("A101", "room", 1, "36.00", "per_m2", "45.00"),
    ("A102", "room", 1, "28.50", "per_m2", "45.00"),
    ("A201", "room", 2, "52.00", "per_m2", "40.00"),
    ("A202", "room", 2, "24.00", "per_m2", "40.00"),
    ("A203", "room", 2, "30.00", "per_m2", "40.00"),
    ("B301", "room", 3, "60.00", "per_m2", "38.00"),
    ("D01", "desk", 3, "3.00", "monthly", "300.00"),
    ("D02", "desk", 3, "3.00", "monthly", "300.00"),
    ("D03", "desk", 3, "3.00", "monthly", "300.00"),
    ("D04", "desk", 3, "3.00", "monthly", "300.00"),
]


def build(world) -> None:
    if Park.objects.exists():
        return
    admin = world.users["district_admin"]
    today = timezone.localdate()
    park = park_create(
        actor=admin,
        community=world.home_community,
        name="湖里区社会组织服务园",
        address="殿前街道兴隆路 88 号",
        free_months=36,
        discount_percent=Decimal("50"),
    )
    units = {}
    for code, kind, floor, area, basis, rate in UNITS:
        units[code] = unit_create(
            actor=admin,
            park=park,
            code=code,
            kind=kind,
            floor=floor,
            area=Decimal(area),
            rent_basis=basis,
            rent_rate=Decimal(rate),
        )

    def years(day: datetime.date, n: int) -> datetime.date:
        return anniversary(day, 12 * n)

    # The demo agency: four years in the park, renewed a year ago, two months behind.
    first_day = years(today.replace(day=1), -4)
    renewal_day = years(today.replace(day=1), -1)
    first = contract_create(
        actor=admin,
        park=park,
        units=[units["A201"]],
        agency=world.agency_a,
        start_date=first_day,
        end_date=renewal_day - datetime.timedelta(days=1),
    )
    contract_activate(actor=admin, contract=first)
    contract_end(actor=admin, contract=first)
    renewal = contract_create(
        actor=admin,
        park=park,
        units=[units["A201"], units["D01"]],
        agency=world.agency_a,
        start_date=renewal_day,
        end_date=years(renewal_day, 3) - datetime.timedelta(days=1),
        note="续签：免租期自首次入园起计算，本合同全期按五折计租。",
    )
    contract_activate(actor=admin, contract=renewal)
    overdue = [row.line for row in contract_standing(renewal).lines if row.state == "overdue"]
    for line in overdue[:-2]:
        payment_record(
            actor=admin,
            contract=renewal,
            amount=line.amount,
            paid_on=line.start + datetime.timedelta(days=5),
            reference=f"转账{line.start:%Y%m}",
        )

    # Three weeks before the end of the free years: the anniversary month is prorated.
    straddle_day = years(today, -3) + datetime.timedelta(days=21)
    straddle = contract_create(
        actor=admin,
        park=park,
        units=[units["A101"]],
        tenant_name="湖里区长者关爱服务中心",
        start_date=straddle_day,
        end_date=years(straddle_day, 5) - datetime.timedelta(days=1),
    )
    contract_activate(actor=admin, contract=straddle)

    # In their free years.
    for unit_codes, data, months_ago in (
        (["A202"], {"agency": world.agency_b}, 10),
        (["D02", "D03"], {"tenant_name": "厦门湖里青禾社区服务队（筹）"}, 3),
    ):
        start = anniversary(today.replace(day=1), -months_ago)
        contract = contract_create(
            actor=admin,
            park=park,
            units=[units[code] for code in unit_codes],
            start_date=start,
            end_date=years(start, 3) - datetime.timedelta(days=1),
            **data,
        )
        contract_activate(actor=admin, contract=contract)

    # Waiting for the administrator: a draft for the vacant room on the third floor.
    next_month = anniversary(today.replace(day=1), 1)
    contract_create(
        actor=admin,
        park=park,
        units=[units["B301"]],
        tenant_name="湖里区青少年成长支持中心（筹）",
        start_date=next_month,
        end_date=years(next_month, 3) - datetime.timedelta(days=1),
    )
    arrears = contract_standing(renewal).arrears
    world.report.append(
        f"incubation park: {park.name}, {len(units)} units, 5 tenancies, "
        f"{world.agency_a.name} {arrears} yuan in arrears"
    )
