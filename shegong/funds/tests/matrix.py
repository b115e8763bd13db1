"""Charity funds for the authorization matrix (tests/test_authorization_matrix.py): 兴隆社区's
fund with one donation (``fund_a``, ``entry_a``), and the sentinels: the funds of another
community in the same street and of a community in another street, which only the street's
and the district's administrators may find."""

from decimal import Decimal

from shegong.core.testing.matrix import Sentinel
from shegong.funds.services import donation_record, fund_open
from shegong.places.models import Community


def fund_objects(world) -> dict:
    staff = world.users["community_staff"]
    fund = fund_open(actor=staff, community=world.home_community, name="矩阵社区慈善基金")
    entry = donation_record(actor=staff, fund=fund, donor_name="矩阵捐赠人", amount=Decimal("100"))
    return {"fund_a": fund.pk, "entry_a": entry.pk}


def fund_sentinels(world) -> list[Sentinel]:
    admin = world.users["district_admin"]
    neighbour = (
        Community.objects.filter(street=world.home_street)
        .exclude(pk=world.home_community.pk)
        .order_by("code")
        .first()
    )
    far = Community.objects.filter(street=world.other_street).order_by("code").first()
    places = {
        "fund_other_community": (neighbour, "哨兵邻里慈善基金", {"district_admin", "street_admin"}),
        "fund_other_street": (far, "哨兵远方慈善基金", {"district_admin"}),
    }
    sentinels = []
    for key, (community, name, visible) in places.items():
        fund = fund_open(actor=admin, community=community, name=name)
        sentinels.append(
            Sentinel(
                key=key,
                kind="fund",
                pk=fund.pk,
                path=f"/funds/{fund.pk}/",
                texts=(name,),
                visible_to=frozenset(visible),
                searches={name: frozenset(visible)},
            )
        )
    return sentinels
