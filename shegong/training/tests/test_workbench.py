"""The academy's to-dos: the waitlist for its staff, today's check-in for a site coordinator."""

from django.test import Client

from shegong.core.registry import todos_for
from shegong.training import services
from shegong.training.tests.factories import (
    enrol,
    make_class,
    make_coordinator,
    make_session,
    make_site,
)


def _todo(user, testid):
    return next(t for t in todos_for(user) if t.testid == testid)


def test_waitlist_count_follows_the_work_and_links_to_it(world):
    admin = world.users["training_admin"]
    assert _todo(admin, "todo-training-waitlist").count == 0
    klass = make_class(world, capacity=1)
    first = enrol(klass, 1)
    enrol(klass, 2)
    todo = _todo(admin, "todo-training-waitlist")
    assert todo.count == 1
    client = Client()
    client.force_login(admin)
    assert client.get(todo.url).status_code == 200
    services.enrolment_cancel(actor=admin, enrolment=first)
    assert _todo(admin, "todo-training-waitlist").count == 0


def test_coordinator_sees_who_is_still_to_check_in_today(world):
    coordinator = make_coordinator(world)
    site = make_site(world, coordinators=[coordinator])
    klass = make_class(world)
    session = make_session(world, klass)
    learner = enrol(klass, 1, site=site)
    enrol(klass, 2)  # at the academy: not the coordinator's
    todo = _todo(coordinator, "todo-training-checkin")
    assert todo.count == 1
    client = Client()
    client.force_login(coordinator)
    assert client.get(todo.url).status_code == 200
    services.attendance_check_in(session, name="学员1", mobile=learner.mobile)
    assert _todo(coordinator, "todo-training-checkin").count == 0
    assert all(t.testid != "todo-training-waitlist" for t in todos_for(coordinator))
