"""Demo activities: at the demo community and agency, with sessions and attendance dated relative
to today (a session today, so the workbench has attendance to take), written through the
services. At ``--scale huli`` the district's history is added in bulk: sessions and attendance
spread over 2015–2026 so that activity attendance plus case person-times come to about 1.13
million person-times (DESIGN §4.4)."""

import datetime
import math
import random

from django.db.models import Sum
from django.utils import timezone

from shegong.activities import services
from shegong.activities.choices import ActivityCategory, ActivityKind, GroupStage
from shegong.activities.models import Activity, ActivitySession, Attendance

# At huli scale: the district's person-times, activities and case contacts together.
HULI_PERSON_TIMES = 1_130_000
HISTORY_YEARS = (2015, 2026)
SESSION_SIZE = 45  # attendances per historical session (capacity 50)

RESIDENTS = [("陈秀英", "13950010001"), ("林国强", "13950010002"), ("黄美玲", "13950010003")]


def _at(day_offset: int, hour: int) -> datetime.datetime:
    day = timezone.localdate() + datetime.timedelta(days=day_offset)
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, 0)))


def _session(actor, activity, day_offset, hour, place, capacity=30):
    return services.session_create(
        actor=actor,
        activity=activity,
        starts_at=_at(day_offset, hour),
        ends_at=_at(day_offset, hour) + datetime.timedelta(hours=2),
        place=place,
        capacity=capacity,
    )


def _residents(world, staff) -> list[tuple[str, str]]:
    """Three residents of the demo community already on file (the people step's), so attending
    adds no one; made-up ones when there are none (tests without the people step)."""
    from shegong.people.selectors import people_for

    found = [
        (person.name, person.mobile)
        for person in people_for(staff)
        .filter(community=world.home_community)
        .exclude(mobile_index=None)
        .order_by("pk")[:3]
    ]
    return found if len(found) == 3 else RESIDENTS


def _stories(world) -> None:
    staff, lead = world.users["community_staff"], world.users["agency_admin"]
    residents = _residents(world, staff)
    today = timezone.localdate()
    tea = services.activity_create(
        actor=staff,
        kind=ActivityKind.COMMUNITY,
        title="兴隆社区邻里茶话会",
        category=ActivityCategory.NEIGHBOURHOOD,
        description="每月一次，邻里相识、互助交流。",
        community=world.home_community,
        starts_on=today - datetime.timedelta(days=40),
        ends_on=today + datetime.timedelta(days=60),
    )
    past = _session(staff, tea, -30, 15, "兴隆社区党群服务中心")
    for name, mobile in residents:
        services.attendance_walk_in(actor=staff, session=past, name=name, mobile=mobile)
    _session(staff, tea, 0, 19, "兴隆社区活动室")
    group = services.activity_create(
        actor=lead,
        kind=ActivityKind.GROUP,
        title="长者健康同行小组",
        category=ActivityCategory.ELDERLY,
        description="6 节小组活动：慢病自我管理与互助。",
        community=world.home_community,
        agency=world.agency_a,
        starts_on=today - datetime.timedelta(days=21),
        ends_on=today + datetime.timedelta(days=21),
    )
    first = _session(lead, group, -14, 9, "开心社工站小组室", capacity=12)
    upcoming = _session(lead, group, 0, 22, "开心社工站小组室", capacity=12)
    for name, mobile in residents:
        services.registration_by_contact(actor=lead, session=upcoming, name=name, mobile=mobile)
        services.attendance_walk_in(actor=lead, session=first, name=name, mobile=mobile)
    services.activity_move_stage(actor=lead, activity=group, to=GroupStage.FORMING)


def _history(world, wanted: int) -> int:
    """Bulk sessions and attendance over the history years, checked like the services: each
    person once per session, never above capacity, times inside the activity's period."""
    from shegong.people.models import Person

    people = list(Person.objects.order_by("pk").values_list("pk", flat=True))
    if len(people) < SESSION_SIZE or wanted <= 0:
        return 0
    rng = random.Random(2015)  # noqa: S311 - demo data, not security
    lead = world.users["agency_admin"]
    sessions_needed = -(-wanted // SESSION_SIZE)
    first, last = HISTORY_YEARS
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    # Days of each year up to yesterday (history has happened): sessions spread evenly over them.
    days = {
        year: (min(datetime.date(year, 12, 31), yesterday) - datetime.date(year, 1, 1)).days + 1
        for year in range(first, last + 1)
        if datetime.date(year, 1, 1) <= yesterday
    }
    per_day = sessions_needed / sum(days.values())
    created = 0
    communities = [a.community for a in world.agencies]
    for year, year_days in days.items():
        per_year = math.ceil(per_day * year_days)
        community = communities[year % len(communities)]
        agency = world.agencies[year % len(world.agencies)]
        activity = Activity(
            kind=ActivityKind.COMMUNITY,
            title=f"{year} 年{community.name}邻里服务",
            category=ActivityCategory.NEIGHBOURHOOD,
            community=community,
            agency=agency,
            starts_on=datetime.date(year, 1, 1),
            ends_on=datetime.date(year, 12, 31),
            created_by=lead,
        )
        activity.full_clean()
        activity.save()
        sessions = []
        for n in range(per_year):
            day = datetime.date(year, 1, 1) + datetime.timedelta(days=n * year_days // per_year)
            starts = timezone.make_aware(datetime.datetime.combine(day, datetime.time(9 + n % 8)))
            sessions.append(
                ActivitySession(
                    activity=activity,
                    starts_at=starts,
                    ends_at=starts + datetime.timedelta(hours=2),
                    place=f"{community.name}服务站",
                    capacity=SESSION_SIZE + 5,
                )
            )
        sessions = ActivitySession.objects.bulk_create(sessions, batch_size=1000)
        rows = []
        for session in sessions:
            if created + len(rows) >= wanted:
                break
            take = min(SESSION_SIZE, wanted - created - len(rows))
            for person_id in rng.sample(people, take):  # distinct: one row per person
                rows.append(Attendance(session=session, person_id=person_id, source="import"))
            if len(rows) >= 20_000:
                Attendance.objects.bulk_create(rows, batch_size=5000)
                created += len(rows)
                rows = []
        Attendance.objects.bulk_create(rows, batch_size=5000)
        created += len(rows)
        if created >= wanted:
            break
    return created


def build(world) -> None:
    if Activity.objects.filter(community=world.home_community).exists():
        world.report.append("Demo activities: already there.")
        return
    _stories(world)
    added = 0
    if world.scale == "huli":
        from shegong.cases.models import Case

        cases = Case.objects.aggregate(n=Sum("person_times"))["n"] or 0
        wanted = HULI_PERSON_TIMES - cases - Attendance.objects.count()
        added = _history(world, wanted)
    world.report.append(
        f"Demo activities: {Activity.objects.count():,} with "
        f"{Attendance.objects.count():,} attendances ({added:,} historical)."
    )


def link_joint_activities(world) -> None:
    """Activities an agency runs in a community it is paired with, starting within the
    agreement's period, are that agreement's joint activities (结对共建)."""
    from shegong.pairing.choices import AgreementStatus
    from shegong.pairing.models import PairingAgreement

    linked = 0
    agreements = PairingAgreement.objects.filter(
        status__in=(AgreementStatus.DRAFT, AgreementStatus.ACTIVE)
    )
    for agreement in agreements:
        linked += Activity.objects.filter(
            pairing=None,
            community_id=agreement.community_id,
            agency_id=agreement.agency_id,
            starts_on__range=(agreement.starts_on, agreement.ends_on),
        ).update(pairing=agreement)
    world.report.append(f"Demo joint activities of pairing agreements: {linked:,}.")
