"""Workbench: today's sessions for those who take attendance; figures of the user's scope."""

from django.utils import timezone

from shegong.activities.services import attendance_walk_in
from shegong.activities.tests.factories import make_activity, make_session
from shegong.activities.workbench import activity_figures, activity_todos


def _later_today():
    """How far off a start that is still today, whatever the hour the suite runs at: CI may run
    an hour before midnight, when the factory's default start (in an hour) is tomorrow."""
    now = timezone.localtime()
    return (now.replace(hour=23, minute=59, second=0, microsecond=0) - now) / 2


def test_sessions_today_follow_the_work_and_link_to_it(world, client_for):
    staff = world.users["community_staff"]
    assert activity_todos(staff)[0].count == 0
    session = make_session(world, make_activity(world), starts_in=_later_today())
    todo = activity_todos(staff)[0]
    assert todo.count == 1 and todo.url == f"/activities/sessions/{session.pk}/"
    assert client_for("community_staff").get(todo.url).status_code == 200
    assert activity_todos(world.users["volunteer"]) == []
    assert activity_todos(world.users["street_admin"]) == []  # looks on, takes no attendance


def test_figures_count_person_times_in_scope(world):
    session = make_session(world, make_activity(world))
    attendance_walk_in(
        actor=world.users["community_staff"], session=session, name="甲", mobile="13900005656"
    )
    figures = {f.testid: f.value for f in activity_figures(world.users["street_admin"])}
    assert figures == {"activities": 1, "activity-person-times": 1}
    other = {f.testid: f.value for f in activity_figures(world.users["social_worker_b"])}
    assert other == {"activities": 0, "activity-person-times": 0}
    assert activity_figures(world.users["volunteer"]) == []
