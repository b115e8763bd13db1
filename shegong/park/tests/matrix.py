"""The incubation park for the authorization matrix (tests/test_authorization_matrix.py): a park
in 兴隆社区 with a unit let to agency A under an active contract with one payment (``park_a``,
``unit_a``, ``contract_a``, ``payment_a``), and the sentinels: a park in another community of
the same street (its unit let to agency B, in arrears) and one in another street (let to a team
not yet registered, in arrears). The street's administrator finds the first, only the district's
finds the second, and agency A's director neither."""

import datetime
from decimal import Decimal

from shegong.core.testing.matrix import Sentinel
from shegong.park.services import (
    contract_activate,
    contract_create,
    park_create,
    payment_record,
    unit_create,
)
from shegong.places.models import Community


def _park_with_unit(admin, community, name: str, code: str, note: str = ""):
    park = park_create(actor=admin, community=community, name=name)
    unit = unit_create(
        actor=admin,
        park=park,
        code=code,
        floor=1,
        area=Decimal("20"),
        rent_rate=Decimal("50"),
        note=note,
    )
    return park, unit


def park_objects(world) -> dict:
    admin = world.users["district_admin"]
    park, unit = _park_with_unit(admin, world.home_community, "矩阵服务园", "M101")
    contract = contract_create(
        actor=admin,
        park=park,
        units=[unit],
        agency=world.agency_a,
        start_date=datetime.date(2025, 1, 1),
        end_date=datetime.date(2027, 12, 31),
        free_months=0,
    )
    contract_activate(actor=admin, contract=contract)
    payment = payment_record(actor=admin, contract=contract, amount=Decimal("100"))
    return {
        "park_a": park.pk,
        "unit_a": unit.pk,
        "contract_a": contract.pk,
        "payment_a": payment.pk,
    }


def park_sentinels(world) -> list[Sentinel]:
    admin = world.users["district_admin"]
    neighbour = (
        Community.objects.filter(street=world.home_street)
        .exclude(pk=world.home_community.pk)
        .order_by("code")
        .first()
    )
    far = Community.objects.filter(street=world.other_street).order_by("code").first()
    street = frozenset({"district_admin", "street_admin"})
    district = frozenset({"district_admin"})
    places = (
        ("near", neighbour, "哨兵邻里服务园", "哨兵邻101", {"agency": world.agency_b}, street),
        ("far", far, "哨兵远方服务园", "哨兵远101", {"tenant_name": "哨兵远方孵化团队"}, district),
    )
    sentinels = []
    for key, community, name, code, tenant, visible in places:
        # The unit's note marks it where a search by its code is echoed back.
        note = f"备注{key}单元"
        park, unit = _park_with_unit(admin, community, name, code, note)
        # Rent charged from the first day and never paid: the contract is in arrears, so it
        # shows on the arrears lists too.
        contract = contract_create(
            actor=admin,
            park=park,
            units=[unit],
            start_date=datetime.date(2020, 1, 1),
            end_date=datetime.date(2023, 12, 31),
            free_months=0,
            **tenant,
        )
        contract_activate(actor=admin, contract=contract)
        tenant_name = contract.tenant_name
        sentinels += [
            Sentinel(
                key=f"park_{key}",
                kind="park",
                pk=park.pk,
                path="",
                texts=(name,),
                visible_to=visible,
                searches={name: visible},
            ),
            Sentinel(
                key=f"park_unit_{key}",
                kind="park_unit",
                pk=unit.pk,
                path="",
                texts=(code, note),
                visible_to=visible,
                searches={code: visible},
            ),
            Sentinel(
                key=f"park_contract_{key}",
                kind="park_contract",
                pk=contract.pk,
                path=f"/park/contracts/{contract.pk}/",
                texts=(tenant_name,),
                visible_to=visible,
                searches={tenant_name: visible},
            ),
        ]
    return sentinels
