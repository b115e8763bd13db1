"""Demo pairing agreements (结对共建): six agencies paired with the ten urban-village communities
(each agency takes one or two villages), and the demo's home
community with the demo agency, all written by the district administrator through the
services: active, with commitments (one overdue per agreement), last year's review recorded and
this year's waiting for the district or the street."""

import datetime

from django.utils import timezone

from shegong.pairing import services, state
from shegong.pairing.choices import Side
from shegong.pairing.models import PairingAgreement
from shegong.places.demo import DEMO_URBAN_VILLAGES, community_named

PAIRED_AGENCIES = 6


def _short(name: str) -> str:
    for prefix in ("厦门市湖里区", "厦门市", "湖里区"):
        name = name.removeprefix(prefix)
    return name


def build(world) -> None:
    if PairingAgreement.objects.exists():
        return
    admin = world.users["district_admin"]
    today = timezone.localdate()
    starts = datetime.date(today.year - 1, 1, 1)
    ends = datetime.date(today.year + 1, 12, 31)
    agencies = world.agencies[:PAIRED_AGENCIES]
    pairs = [
        (community_named(name), agencies[index % len(agencies)])
        for index, name in enumerate(DEMO_URBAN_VILLAGES)
    ]
    pairs.append((world.home_community, world.agency_a))
    for index, (community, agency) in enumerate(pairs):
        if community is None:
            continue
        agreement = services.agreement_create(
            actor=admin,
            community=community,
            agency=agency,
            title=f"{community.name}·{_short(agency.name)}结对共建",
            starts_on=starts,
            ends_on=ends,
            goals="围绕“一老一小”和困难群众，共建社区服务阵地，培育社区社会组织。",
            commitments=[
                {"text": "提供党群服务中心活动场地", "side": Side.COMMUNITY, "due_on": starts},
                {
                    "text": "每月开展一次社区公益活动",
                    "side": Side.AGENCY,
                    "due_on": today - datetime.timedelta(days=30 + index),
                },
                {
                    "text": "共同梳理居民需求清单",
                    "side": Side.COMMUNITY,
                    "due_on": today + datetime.timedelta(days=60),
                },
            ],
        )
        services.agreement_transition(actor=admin, agreement=agreement, action=state.ACTIVATE)
        first = agreement.commitments.order_by("due_on", "pk").first()
        services.commitment_mark(actor=admin, commitment=first)
        services.review_record(
            actor=admin,
            agreement=agreement,
            year=today.year - 1,
            score=80 + index % 15,
            comments="年度共建任务基本完成，居民满意度较高。",
        )
    world.report.append(f"pairing agreements: {len(pairs)} (urban villages: {len(pairs) - 1})")
