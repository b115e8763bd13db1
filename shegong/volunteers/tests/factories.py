"""Teams, volunteers and shifts, created through the services by the demo logins."""

import datetime
import itertools

from django.utils import timezone

from shegong.activities.tests.factories import make_activity, make_session
from shegong.people.services import person_create
from shegong.people.tests.factories import mobile, resident_id
from shegong.volunteers import services

_n = itertools.count(7000)


def make_team(world, *, persona="community_staff", **extra):
    # A team's name is used once by its owner in a community: each made team has its own.
    values = {"name": f"兴隆志愿队{next(_n)}", "community": world.home_community}
    if persona in ("agency_admin", "supervisor"):
        values["agency"] = world.agency_a
    values.update(extra)
    return services.team_create(actor=world.users[persona], **values)


def make_person(world, *, name="王志远", persona="community_staff"):
    n = next(_n)
    return person_create(
        actor=world.users[persona],
        name=name,
        id_type="resident_id",
        id_number=resident_id(n),
        mobile=mobile(n),
        community=world.home_community,
    )


def make_volunteer(world, *, team=None, persona="community_staff", user=None, name="王志远"):
    team = team or make_team(world, persona=persona)
    person = make_person(world, name=name, persona=persona)
    return services.volunteer_register(
        actor=world.users[persona], person=person, team=team, skills=["events"], user=user
    )


def make_shift(world, *, persona="community_staff", capacity=2, starts_in=None, activity=None):
    activity = activity or make_activity(world, persona=persona)
    session = make_session(world, activity, persona=persona, starts_in=starts_in)
    return services.shift_create(
        actor=world.users[persona], session=session, title="引导员", capacity=capacity
    )


def past_date(days=3) -> datetime.date:
    return timezone.localdate() - datetime.timedelta(days=days)


def elsewhere(world):
    """A community of another street: outside 兴隆社区's staff's scope."""
    from shegong.places.models import Community

    return Community.objects.filter(street=world.other_street).order_by("code").first()


def make_person_elsewhere(world, *, name="赵外街"):
    """A person of agency B in another street: out of 兴隆社区's and agency A's view."""
    n = next(_n)
    return person_create(
        actor=world.users["district_admin"],
        owner_agency=world.agency_b,
        name=name,
        id_type="resident_id",
        id_number=resident_id(n),
        mobile=mobile(n),
        community=elsewhere(world),
    )
