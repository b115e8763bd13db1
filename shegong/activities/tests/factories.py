"""Activities and sessions, created through the services by the demo logins."""

import datetime

from django.utils import timezone

from shegong.activities import services
from shegong.activities.choices import ActivityKind


def make_activity(world, *, persona="community_staff", kind=ActivityKind.COMMUNITY, **extra):
    today = timezone.localdate()
    values = {
        "kind": kind,
        "title": "邻里茶话会",
        "category": "neighbourhood",
        "community": world.home_community,
        "starts_on": today - datetime.timedelta(days=7),
        "ends_on": today + datetime.timedelta(days=30),
    }
    if persona in ("agency_admin", "supervisor"):
        values["agency"] = world.agency_a
    values.update(extra)
    return services.activity_create(actor=world.users[persona], **values)


def make_session(world, activity, *, persona="community_staff", capacity=20, starts_in=None):
    starts = timezone.now() + (starts_in if starts_in is not None else datetime.timedelta(hours=1))
    return services.session_create(
        actor=world.users[persona],
        activity=activity,
        starts_at=starts,
        ends_at=starts + datetime.timedelta(hours=2),
        place="兴隆社区活动室",
        capacity=capacity,
    )
