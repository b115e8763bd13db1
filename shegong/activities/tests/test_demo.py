"""The demo's activities: stories through the services, and the bulk history at huli scale."""

from shegong.activities import demo
from shegong.activities.models import ActivitySession, Attendance
from shegong.people.demo import ensure_demo_people


def test_history_adds_exactly_what_is_wanted_within_capacity(world):
    ensure_demo_people(world, 120)
    added = demo._history(world, 500)
    assert added == 500 == Attendance.objects.count()
    for session in ActivitySession.objects.all():
        assert session.attendances.count() <= session.capacity
    years = {s.starts_at.year for s in ActivitySession.objects.filter(attendances__isnull=False)}
    assert min(years) == 2015


def test_stories_leave_a_session_today(world):
    demo.build(world)
    from shegong.activities.selectors import sessions_today

    assert sessions_today(world.users["community_staff"]).count() == 2
    assert sessions_today(world.users["agency_admin"]).count() == 1
    assert Attendance.objects.count() == 6
    demo.build(world)  # idempotent
    assert Attendance.objects.count() == 6


def test_the_agency_group_becomes_a_joint_activity_of_its_pairing(world):
    from shegong.activities.models import Activity
    from shegong.pairing import demo as pairing_demo

    pairing_demo.build(world)
    demo.build(world)
    demo.link_joint_activities(world)
    group = Activity.objects.get(title="长者健康同行小组")
    assert group.pairing.community == world.home_community
    assert group.pairing.agency == world.agency_a
    community_own = Activity.objects.get(title="兴隆社区邻里茶话会")
    assert community_own.pairing is None
