"""Demo needs, resources, projects and small wishes in 兴隆社区, written through the services by
the demo logins: a need at every step of the flow (so community_staff has needs to dispatch and
rate, agency_admin needs to claim, social_worker needs to deliver), resources of both demo
agencies and of the community (so the suggestions have something to rank), and wishes, one of
them claimed and waiting for the community to confirm it."""

import datetime

from django.utils import timezone

from shegong.people.selectors import people_for
from shegong.resources import services
from shegong.resources.choices import Category, NeedSource, ProjectStatus, ResourceKind, Urgency
from shegong.resources.models import Need


def _resources(world, today):
    staff, admin = world.users["community_staff"], world.users["district_admin"]
    home = world.home_community
    year = today + datetime.timedelta(days=365)
    return [
        services.resource_create(
            actor=world.users["agency_admin"],
            name="开心社工助老服务队",
            kind=ResourceKind.PROFESSIONAL,
            owner_agency=world.agency_a,
            categories=[Category.ELDERLY, Category.DISABILITY],
            capacity=20,
            capacity_unit="人",
            available_from=today,
            available_to=year,
            schedule="工作日 9:00–17:00",
            service_streets=[home.street],
        ),
        services.resource_create(
            actor=world.users["agency_admin"],
            name="开心社工心理咨询室",
            kind=ResourceKind.VENUE,
            owner_agency=world.agency_a,
            categories=[Category.MENTAL_HEALTH, Category.MINORS],
            capacity=6,
            capacity_unit="人/次",
            schedule="每周二、四下午",
        ),
        services.resource_create(
            actor=admin,
            name="致和社工青少年成长营",
            kind=ResourceKind.PROFESSIONAL,
            owner_agency=world.agency_b,
            categories=[Category.MINORS, Category.CULTURE],
            capacity=40,
            capacity_unit="人",
            district_wide=True,
        ),
        services.resource_create(
            actor=staff,
            name="兴隆社区党群服务中心多功能厅",
            kind=ResourceKind.VENUE,
            community=home,
            categories=[Category.CULTURE, Category.ELDERLY, Category.OTHER],
            capacity=80,
            capacity_unit="座",
            schedule="每天 8:00–21:00，需提前预约",
        ),
        services.resource_create(
            actor=staff,
            name="兴隆社区爱心物资站",
            kind=ResourceKind.GOODS,
            community=home,
            categories=[Category.HARDSHIP, Category.ELDERLY],
            capacity=50,
            capacity_unit="份",
        ),
        services.resource_create(
            actor=staff,
            name="兴隆社区巾帼志愿服务队",
            kind=ResourceKind.VOLUNTEER_TEAM,
            community=home,
            categories=[Category.ELDERLY, Category.ENVIRONMENT, Category.MINORS],
            capacity=15,
            capacity_unit="人",
            schedule="周末",
        ),
    ]


def build(world) -> None:
    home = world.home_community
    if Need.objects.filter(community=home).exists():
        world.report.append("Demo needs and resources: already there.")
        return
    staff = world.users["community_staff"]
    lead, worker = world.users["agency_admin"], world.users["social_worker"]
    today = timezone.localdate()
    helpers, _room, _camp, _hall, goods, _team = _resources(world, today)
    residents = list(people_for(staff).filter(community=home).order_by("pk")[:3])
    resident = residents[0] if residents else None

    def need(title, category, **kw):
        return services.need_raise(
            actor=staff,
            title=title,
            category=category,
            community=home,
            wanted_by=today + datetime.timedelta(days=kw.pop("days", 14)),
            **kw,
        )

    # Waiting for the community: to dispatch (with suggestions to rank) ...
    need(
        "独居老人每日助餐",
        Category.ELDERLY,
        urgency=Urgency.URGENT,
        people_affected=8,
        source=NeedSource.RESIDENT,
        person=resident,
        description="3栋、5栋独居老人希望每天中午有人送餐。",
    )
    need("暑期儿童课业辅导", Category.MINORS, people_affected=25, days=40)
    declined = need("楼道杂物清理", Category.ENVIRONMENT, people_affected=60)
    services.need_dispatch(actor=staff, need=declined, agency=world.agency_a)
    services.need_decline(actor=lead, need=declined, reason="本月人手已排满，建议派给社区志愿队。")
    # ... waiting for agency A to claim, then to deliver ...
    services.need_dispatch(
        actor=staff,
        need=need("残疾人康复上门指导", Category.DISABILITY, people_affected=3),
        resource=helpers,
    )
    claimed = need("困难家庭心理疏导", Category.MENTAL_HEALTH, people_affected=2)
    services.need_dispatch(actor=staff, need=claimed, agency=world.agency_a)
    services.need_claim(actor=lead, need=claimed, note="安排社工本周内上门。")
    # ... delivered, waiting for the resident's rating, and one closed with a rating.
    for title, rating in (("高龄老人助浴", None), ("节日慰问困难老人", 5)):
        done = need(title, Category.ELDERLY, people_affected=4, days=7)
        services.need_dispatch(actor=staff, need=done, resource=helpers)
        services.need_claim(actor=lead, need=done)
        services.need_deliver(
            actor=worker, need=done, delivered_on=today, summary="社工与志愿者上门服务四户。"
        )
        if rating:
            services.need_rate(
                actor=staff, need=done, rating=rating, comment="老人很满意，希望常态化。"
            )
    hardship = need("困难家庭米面油", Category.HARDSHIP, people_affected=10)
    services.need_dispatch(actor=staff, need=hardship, resource=goods)  # community-owned
    services.project_save(
        actor=staff,
        title="兴隆社区银龄守护计划",
        community=home,
        categories=[Category.ELDERLY],
        starts_on=today - datetime.timedelta(days=60),
        ends_on=today + datetime.timedelta(days=300),
        status=ProjectStatus.RUNNING,
        lead_agency=world.agency_a,
        needs=list(Need.objects.filter(community=home, category=Category.ELDERLY)),
    )
    wishes = [
        ("一台收音机", "老人"),
        ("一双运动鞋", "留守儿童"),
        ("一套学习用品", "困境儿童"),
    ]
    posted = [
        services.wish_post(
            actor=staff,
            title=title,
            community=home,
            recipient_description=who,
            person=residents[n] if n < len(residents) else None,
            wanted_by=today + datetime.timedelta(days=30),
        )
        for n, (title, who) in enumerate(wishes)
    ]
    services.wish_claim(
        wish_id=posted[0].pk, name="陈先生", mobile="13900000001", company="厦门某某科技有限公司"
    )
    world.report.append(
        f"Demo needs and resources: {Need.objects.filter(community=home).count()} needs at every "
        f"step in {home.name}, 6 resources, 1 project, {len(posted)} small wishes (1 claimed)."
    )
