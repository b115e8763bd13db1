"""Pairing agreements for the authorization matrix (tests/test_authorization_matrix.py): an
active agreement of 兴隆社区 with agency A (``agreement_a``) and its community-side commitment
(``commitment_a``); and the sentinels, agency B's agreements with 兴隆社区 and with a community
in another street."""

import datetime

from django.utils import timezone

from shegong.core.testing.matrix import Sentinel
from shegong.pairing import services, state
from shegong.pairing.choices import Side
from shegong.places.models import Community


def _agreement(world, *, community, agency, title):
    admin = world.users["district_admin"]
    today = timezone.localdate()
    agreement = services.agreement_create(
        actor=admin,
        community=community,
        agency=agency,
        title=title,
        starts_on=datetime.date(today.year - 1, 1, 1),
        ends_on=datetime.date(today.year + 1, 12, 31),
        commitments=[{"text": f"{title}承诺", "side": Side.COMMUNITY, "due_on": today}],
    )
    services.agreement_transition(actor=admin, agreement=agreement, action=state.ACTIVATE)
    return agreement


def pairing_objects(world) -> dict:
    agreement = _agreement(
        world, community=world.home_community, agency=world.agency_a, title="矩阵结对共建"
    )
    return {"agreement_a": agreement.pk, "commitment_a": agreement.commitments.get().pk}


def pairing_sentinels(world) -> list[Sentinel]:
    far = Community.objects.filter(street=world.other_street).order_by("code").first()
    agency_b = frozenset({"social_worker_b"})
    places = {
        "pairing_other_agency": (
            world.home_community,
            "哨兵近邻结对",
            agency_b | {"district_admin", "street_admin", "community_staff"},
        ),
        "pairing_other_street": (far, "哨兵远方结对", agency_b | {"district_admin"}),
    }
    sentinels = []
    for key, (community, title, visible) in places.items():
        agreement = _agreement(world, community=community, agency=world.agency_b, title=title)
        sentinels.append(
            Sentinel(
                key=key,
                kind="pairing",
                pk=agreement.pk,
                path=f"/pairing/{agreement.pk}/",
                texts=(title,),
                visible_to=frozenset(visible),
                searches={title: frozenset(visible)},
            )
        )
    return sentinels
