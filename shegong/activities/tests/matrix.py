"""Activity objects and sentinels for the authorization matrix (tests/test_authorization_matrix.py).

Objects: a community activity of 兴隆社区 organised by agency A, with a session, a sign-up and an
attendance, and its check-in token. Sentinels: an activity of agency B serving 兴隆社区, and one of
agency B in another street; each persona allowed the list must find only what its scope holds.
"""

import datetime

from django.utils import timezone

from shegong.activities import services
from shegong.activities.choices import ActivityKind
from shegong.core.checkin import issue_token
from shegong.core.testing.matrix import Sentinel
from shegong.places.models import Community


def _activity(world, *, actor, title, community, agency):
    today = timezone.localdate()
    return services.activity_create(
        actor=actor,
        kind=ActivityKind.COMMUNITY,
        title=title,
        community=community,
        agency=agency,
        starts_on=today,
        ends_on=today + datetime.timedelta(days=30),
    )


def activity_objects(world) -> dict:
    lead = world.users["agency_admin"]
    activity = _activity(
        world,
        actor=lead,
        title="矩阵社区活动",
        community=world.home_community,
        agency=world.agency_a,
    )
    starts = timezone.now() + datetime.timedelta(days=1)
    session = services.session_create(
        actor=lead,
        activity=activity,
        starts_at=starts,
        ends_at=starts + datetime.timedelta(hours=2),
        place="矩阵活动室",
        capacity=100,
    )
    registration = services.registration_by_contact(
        actor=lead, session=session, name="矩阵报名", mobile="13900009991"
    )
    services.attendance_walk_in(actor=lead, session=session, name="矩阵签到", mobile="13900009992")
    return {
        "activity_a": activity.pk,
        "activity_session_a": session.pk,
        "activity_registration_a": registration.pk,
        "checkin_token": issue_token(session),
    }


def activity_sentinels(world) -> list[Sentinel]:
    from shegong.accounts.models import User

    lead_b = User.objects.filter(
        role_assignments__agency=world.agency_b, role_assignments__role="agency_admin"
    ).first()
    if lead_b is None:
        from shegong.accounts.services import role_grant, user_create
        from shegong.core.demo import DEMO_PASSWORD

        admin = world.users["district_admin"]
        lead_b = user_create(
            actor=admin, username="matrix_lead_b", password=DEMO_PASSWORD, display_name="矩阵B主任"
        )
        role_grant(actor=admin, user=lead_b, role="agency_admin", node=world.agency_b)
    home = _activity(
        world,
        actor=lead_b,
        title="哨兵兴隆活动",
        community=world.home_community,
        agency=world.agency_b,
    )
    other_community = Community.objects.filter(street=world.other_street).order_by("code").first()
    other = _activity(
        world, actor=lead_b, title="哨兵金山活动", community=other_community, agency=world.agency_b
    )
    home_viewers = frozenset(
        {"district_admin", "street_admin", "community_staff", "social_worker_b"}
    )
    other_viewers = frozenset({"district_admin", "social_worker_b"})
    return [
        Sentinel(
            key="activity_home_agency_b",
            kind="activity",
            pk=home.pk,
            path=f"/activities/{home.pk}/",
            texts=(home.title,),
            visible_to=home_viewers,
            searches={home.title: home_viewers},
        ),
        Sentinel(
            key="activity_other_street",
            kind="activity",
            pk=other.pk,
            path=f"/activities/{other.pk}/",
            texts=(other.title,),
            visible_to=other_viewers,
            searches={other.title: other_viewers},
        ),
    ]
