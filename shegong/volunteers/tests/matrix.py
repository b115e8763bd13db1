"""Volunteer objects and sentinels for the authorization matrix (tests/test_authorization_matrix).

Objects: 兴隆社区's own team with the demo ``volunteer`` login's profile; a shift on agency A's
activity (the activities matrix's) with a sign-up of another volunteer; pending hours of that
volunteer at the activity; a certificate. Sentinels: a volunteer of an agency B team in 兴隆社区,
and one of an agency B team in another street.
"""

import datetime

from django.utils import timezone

from shegong.core.testing.matrix import Sentinel
from shegong.people.services import person_create
from shegong.people.tests.factories import resident_id
from shegong.places.models import Community
from shegong.volunteers import services


def volunteer_objects(world, activity_objects: dict) -> dict:
    from shegong.activities.models import ActivitySession

    staff = world.users["community_staff"]
    lead = world.users["agency_admin"]
    team = services.team_create(actor=staff, name="矩阵志愿队", community=world.home_community)
    people = [
        person_create(
            actor=staff,
            name=name,
            id_number=resident_id(9300 + n),
            mobile=f"1395555{9300 + n}",
            community=world.home_community,
        )
        for n, name in enumerate(("矩阵志愿者", "矩阵志愿者二"))
    ]
    own = services.volunteer_register(
        actor=staff, person=people[0], team=team, user=world.users["volunteer"]
    )
    other = services.volunteer_register(actor=staff, person=people[1], team=team)
    session = ActivitySession.objects.get(pk=activity_objects["activity_session_a"])
    shift = services.shift_create(actor=lead, session=session, title="矩阵岗位", capacity=50)
    signup = services.signup_assign(actor=staff, shift=shift, volunteer=other)
    activity = session.activity
    served = max(activity.starts_on, timezone.localdate() - datetime.timedelta(days=0))
    approved = services.hours_enter(
        actor=staff, volunteer=own, activity=activity, served_on=served, hours=2, reason="矩阵"
    )
    services.hours_decide(actor=staff, hours=approved, to="approved")
    pending = services.hours_enter(
        actor=lead, volunteer=other, activity=activity, served_on=served, hours=1, reason="矩阵"
    )
    certificate = services.certificate_issue(
        actor=staff, volunteer=own, person_in_charge="矩阵", handler="矩阵", handler_contact="1"
    )
    return {
        "volunteer_a": own.pk,
        "volunteer_shift_a": shift.pk,
        "volunteer_signup_a": signup.pk,
        "volunteer_hours_a": pending.pk,
        "volunteer_certificate_a": certificate.pk,
    }


def _activity_b(lead_b, community, agency):
    from shegong.activities.services import activity_create

    today = timezone.localdate()
    return activity_create(
        actor=lead_b,
        kind="community",
        title=f"哨兵志愿活动{community.pk}",
        community=community,
        agency=agency,
        starts_on=today,
        ends_on=today + datetime.timedelta(days=7),
    )


def volunteer_sentinels(world) -> list[Sentinel]:
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
    admin = world.users["district_admin"]
    elsewhere = Community.objects.filter(street=world.other_street).order_by("code").first()
    home_viewers = frozenset(
        {"district_admin", "street_admin", "community_staff", "social_worker_b"}
    )
    other_viewers = frozenset({"district_admin", "social_worker_b"})
    sentinels = []
    for n, (key, name, community, viewers) in enumerate(
        (
            ("volunteer_home_agency_b", "哨兵兴隆志愿者", world.home_community, home_viewers),
            ("volunteer_other_street", "哨兵金山志愿者", elsewhere, other_viewers),
        )
    ):
        team = services.team_create(
            actor=lead_b, name=f"哨兵志愿队{n}号", community=community, agency=world.agency_b
        )
        person = person_create(
            actor=admin,
            name=name,
            id_number=resident_id(9400 + n),
            mobile=f"1395555{9400 + n}",
            community=community,
            owner_agency=world.agency_b,
        )
        profile = services.volunteer_register(actor=lead_b, person=person, team=team)
        sentinels.append(
            Sentinel(
                key=key,
                kind="volunteer",
                pk=profile.pk,
                path=f"/volunteers/{profile.pk}/",
                texts=(name, profile.number),
                visible_to=viewers,
                searches={name: viewers, profile.number: viewers},
            )
        )
        hours = services.hours_enter(
            actor=lead_b,
            volunteer=profile,
            activity=_activity_b(lead_b, community, world.agency_b),
            served_on=timezone.localdate(),
            hours=1,
            reason="哨兵",
        )
        sentinels.append(
            Sentinel(
                key=f"{key}_hours",
                kind="volunteer_hours",
                pk=hours.pk,
                path="",
                texts=(name,),
                # Who decides: the community's staff where it is; agency B's leads (no persona).
                visible_to=frozenset({"community_staff"})
                if community == world.home_community
                else frozenset(),
            )
        )
        sentinels.append(
            Sentinel(
                key=f"{key}_team",
                kind="volunteer_team",
                pk=team.pk,
                # The team list links each team to its volunteers; the quote ends the link, so
                # team 1's mark is not found in team 12's.
                path=f'/volunteers/?team={team.pk}"',
                texts=(team.name,),
                visible_to=viewers,
                searches={team.name: viewers},
            )
        )
    return sentinels
