import pytest

from shegong.volunteers import services
from shegong.volunteers.tests.factories import make_shift, make_volunteer, past_date
from shegong.volunteers.workbench import volunteer_figures, volunteer_todos

pytestmark = pytest.mark.django_db


def _todo(user, testid):
    return next(t for t in volunteer_todos(user) if t.testid == testid)


def test_todos_follow_the_work_and_open_for_their_user(world, client_for):
    staff, volunteer_user = world.users["community_staff"], world.users["volunteer"]
    assert _todo(staff, "volunteer-hours-pending").count == 0
    assert volunteer_todos(volunteer_user) == []  # no profile yet: no card
    volunteer = make_volunteer(world, user=volunteer_user)
    shift = make_shift(world)
    services.signup_self(user=volunteer_user, shift=shift)
    hours = services.hours_enter(
        actor=staff,
        volunteer=volunteer,
        activity=shift.session.activity,
        served_on=past_date(),
        hours=2,
        reason="补录",
    )
    todo = _todo(staff, "volunteer-hours-pending")
    assert todo.count == 1
    assert client_for("community_staff").get(todo.url).status_code == 200
    mine = _todo(volunteer_user, "volunteer-my-shifts")
    assert mine.count == 1 and client_for("volunteer").get(mine.url).status_code == 200
    services.hours_decide(actor=staff, hours=hours, to="approved")
    assert _todo(staff, "volunteer-hours-pending").count == 0
    count, hours_figure = volunteer_figures(world.users["street_admin"])
    assert (count.value, str(hours_figure.value)) == (1, "2.0")
    assert volunteer_figures(volunteer_user) == []
