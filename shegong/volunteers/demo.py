"""Demo volunteers: 兴隆社区's team, the demo ``volunteer`` login's profile with an upcoming shift,
approved and pending hours, points and an exchange, and an issued certificate. Written through
the services with the demo logins as actors; dated relative to today."""

import datetime
import random

from django.utils import timezone

from shegong.volunteers import services
from shegong.volunteers.models import VolunteerTeam


def _at(day_offset: int, hour: int) -> datetime.datetime:
    day = timezone.localdate() + datetime.timedelta(days=day_offset)
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, 0)))


def _demo_person(world, staff):
    """A resident of the demo community already on file (the people step's), so the demo adds
    no one; a new one when there is none (a world without the people step)."""
    from shegong.people.demo import demo_resident_id
    from shegong.people.selectors import people_for
    from shegong.people.services import person_create

    found = (
        people_for(staff)
        .filter(community=world.home_community, id_type="resident_id", volunteer_profile=None)
        .exclude(mobile_index=None)
        .order_by("-pk")
        .first()
    )
    if found is not None:
        return found
    return person_create(
        actor=staff,
        name="王志远",
        id_type="resident_id",
        id_number=demo_resident_id(random.Random(67), male=True),
        mobile="13950020067",
        community=world.home_community,
    )


def build(world) -> None:
    if VolunteerTeam.objects.filter(community=world.home_community).exists():
        world.report.append("Demo volunteers: already there.")
        return
    from shegong.activities import services as activities
    from shegong.activities.choices import ActivityCategory, ActivityKind

    staff = world.users["community_staff"]
    today = timezone.localdate()
    team = services.team_create(
        actor=staff, name="兴隆社区志愿服务队", community=world.home_community
    )
    person = _demo_person(world, staff)
    profile = services.volunteer_register(
        actor=staff,
        person=person,
        team=team,
        skills=["events", "care"],
        user=world.users["volunteer"],
    )
    activity = activities.activity_create(
        actor=staff,
        kind=ActivityKind.COMMUNITY,
        title="兴隆社区志愿服务日",
        category=ActivityCategory.NEIGHBOURHOOD,
        description="每月一次：环境整治、敬老探访。",
        community=world.home_community,
        starts_on=today - datetime.timedelta(days=60),
        ends_on=today + datetime.timedelta(days=60),
    )
    session = activities.session_create(
        actor=staff,
        activity=activity,
        starts_at=_at(3, 9),
        ends_at=_at(3, 12),
        place="兴隆社区党群服务中心",
        capacity=40,
    )
    shift = services.shift_create(
        actor=staff,
        session=session,
        title="活动引导员",
        capacity=5,
        description="签到引导、秩序维护",
    )
    services.shift_create(actor=staff, session=session, title="摄影记录", capacity=1)
    services.signup_self(user=world.users["volunteer"], shift=shift)
    approved = services.hours_enter(
        actor=staff,
        volunteer=profile,
        activity=activity,
        served_on=today - datetime.timedelta(days=30),
        hours=3,
        reason="纸质签到表补录",
    )
    services.hours_decide(actor=staff, hours=approved, to="approved")
    services.hours_enter(
        actor=staff,
        volunteer=profile,
        activity=activity,
        served_on=today - datetime.timedelta(days=2),
        hours="2.5",
        reason="手机无信号，现场登记",
    )
    services.points_exchange(actor=staff, volunteer=profile, item="环保购物袋", points=10)
    services.certificate_issue(
        actor=staff,
        volunteer=profile,
        person_in_charge="李建华",
        handler="陈晓燕",
        handler_contact="0592-5550123",
    )
    world.report.append("Demo volunteers: a team, the volunteer login's profile, hours and points.")
