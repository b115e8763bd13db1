"""KPI actuals of a project from the other apps' records, on a small hand-computed dataset.

The records are the other apps' rows written straight to their tables (a dated past that their
services, which record what happens today, would refuse): this test is about which rows the
attribution rule counts, including rows just outside the period, outside the project's
communities and of another agency.
"""

import datetime
import itertools
from decimal import Decimal

import pytest
from django.utils import timezone

from shegong.activities.choices import ActivityKind
from shegong.activities.models import Activity, ActivitySession, Attendance
from shegong.cases.models import Case, ServiceNote
from shegong.people.tests.factories import PersonFactory
from shegong.purchasing.choices import Stage
from shegong.purchasing.selectors import kpi_actuals, kpi_rows
from shegong.purchasing.tests.factories import evaluate, make_project
from shegong.volunteers.models import ServiceHours
from shegong.volunteers.tests.factories import make_volunteer

D = datetime.date
_numbers = itertools.count(1)


@pytest.fixture
def places(world):
    home = world.home_community
    neighbour = world.home_street.communities.exclude(pk=home.pk).order_by("code")[0]
    outside = world.home_street.communities.exclude(pk=home.pk).order_by("code")[1]
    return home, neighbour, outside


def case(world, community, intake, agency=None, notes=()):
    row = Case.objects.create(
        number=f"KPI-{next(_numbers)}",
        client=PersonFactory(community=community),
        agency=agency or world.agency_a,
        community=community,
        worker=world.users["social_worker"],
        source="walk_in",
        presenting_problem="测试",
        intake_date=intake,
    )
    for day, participants in notes:
        ServiceNote.objects.create(
            case=row,
            contact_date=day,
            duration_minutes=30,
            method="home_visit",
            content="记录",
            participants=participants,
            created_by=world.users["social_worker"],
        )
    return row


def session(world, community, kind, day, attendees=0, agency=None, hours=(), project=None):
    activity = Activity.objects.create(
        kind=kind,
        title="活动",
        community=community,
        project=project,
        agency=agency or world.agency_a,
        starts_on=day,
        ends_on=day,
    )
    tz = timezone.get_current_timezone()
    starts = datetime.datetime.combine(day, datetime.time(23, 30), tzinfo=tz)
    row = ActivitySession.objects.create(
        activity=activity,
        starts_at=starts,
        ends_at=starts + datetime.timedelta(minutes=20),
        place="活动室",
        capacity=50,
    )
    for _n in range(attendees):
        Attendance.objects.create(session=row, person=PersonFactory(community=community))
    for served_on, amount, status in hours:
        ServiceHours.objects.create(
            volunteer=make_volunteer(world, name=f"志愿者{next(_numbers)}"),
            activity=activity,
            served_on=served_on,
            hours=Decimal(amount),
            source="staff",
            status=status,
        )
    return row


def test_actuals_count_only_the_agencys_records_in_the_communities_and_period(world, places):
    home, neighbour, outside = places
    project = make_project(world, communities=[home, neighbour])  # 2025-01-01 .. 2025-12-31
    other_agency = world.agency_b

    # Cases: intake inside the period in either community count; the notes count their
    # participants when dated inside the period, whenever the case began.
    case(world, home, D(2025, 1, 1), notes=[(D(2025, 1, 2), 2), (D(2026, 1, 1), 5)])  # 1 case, 2
    case(world, neighbour, D(2025, 12, 31), notes=[(D(2025, 12, 31), 1)])  # 1 case, 1
    case(world, home, D(2024, 12, 31), notes=[(D(2025, 3, 1), 3)])  # 0 cases, 3
    case(world, outside, D(2025, 6, 1), notes=[(D(2025, 6, 1), 7)])  # outside: 0
    case(world, home, D(2025, 6, 1), agency=other_agency, notes=[(D(2025, 6, 1), 9)])  # 0

    # Sessions (the last day's 23:30 counts, the next day's does not), attendance, hours.
    session(
        world,
        home,
        ActivityKind.GROUP,
        D(2025, 12, 31),
        attendees=4,
        hours=[(D(2025, 12, 31), "2.5", "approved"), (D(2025, 12, 31), "3", "pending")],
    )
    session(world, neighbour, ActivityKind.COMMUNITY, D(2025, 1, 1), attendees=3)
    session(world, neighbour, ActivityKind.COMMUNITY, D(2025, 5, 1), attendees=0)
    session(
        world,
        home,
        ActivityKind.GROUP,
        D(2026, 1, 1),
        attendees=6,
        hours=[(D(2026, 1, 1), "4", "approved")],
    )
    session(world, outside, ActivityKind.COMMUNITY, D(2025, 5, 1), attendees=8)
    session(world, home, ActivityKind.COMMUNITY, D(2025, 5, 1), attendees=5, agency=other_agency)

    actuals = kpi_actuals(project)
    assert actuals["cases"] == 2
    assert actuals["group_sessions"] == 1
    assert actuals["community_sessions"] == 2
    assert actuals["case_person_times"] == 2 + 1 + 3
    assert actuals["activity_person_times"] == 4 + 3
    assert actuals["person_times"] == 13
    assert actuals["volunteer_hours"] == Decimal("2.5")
    assert actuals["satisfaction"] is None

    evaluate(world, project, Stage.MIDTERM, satisfaction=93)
    rows = {row["key"]: row for row in kpi_rows(project, kpi_actuals(project))}
    assert rows["satisfaction"]["actual"] == 93 and rows["satisfaction"]["met"]
    assert rows["cases"]["share"] == 20  # 2 of 10


def test_an_activity_under_a_project_counts_for_that_project_only(world, places):
    home, neighbour, outside = places
    project = make_project(world, communities=[home])
    other = make_project(world, budget=project.budget, communities=[home], title="另一项目")
    # Under the project, though outside its communities: counts for it.
    session(world, outside, ActivityKind.GROUP, D(2025, 3, 1), attendees=2, project=project)
    # In its community, but under the other project: counts for the other one only.
    session(world, home, ActivityKind.COMMUNITY, D(2025, 3, 1), attendees=5, project=other)
    # Under no project, in its community: counts by place for both.
    session(world, home, ActivityKind.COMMUNITY, D(2025, 4, 1), attendees=1)
    # Under the project but before its period: not counted.
    session(world, home, ActivityKind.GROUP, D(2024, 12, 31), attendees=7, project=project)

    mine = kpi_actuals(project)
    assert (mine["group_sessions"], mine["community_sessions"]) == (1, 1)
    assert mine["activity_person_times"] == 2 + 1
    theirs = kpi_actuals(other)
    assert (theirs["group_sessions"], theirs["community_sessions"]) == (0, 2)
    assert theirs["activity_person_times"] == 5 + 1


def test_actuals_take_a_fixed_number_of_queries(world, places, django_assert_num_queries):
    home, neighbour, _outside = places
    project = make_project(world, communities=[home, neighbour])
    with django_assert_num_queries(3):
        kpi_actuals(project)
    for day in (D(2025, 2, 1), D(2025, 3, 1), D(2025, 4, 1)):
        case(world, home, day, notes=[(day, 1)])
        session(world, home, ActivityKind.GROUP, day, attendees=2)
    with django_assert_num_queries(3):
        kpi_actuals(project)
