"""The talent to-dos follow the work and link to where it is done."""

import pytest

from shegong.core.registry import todos_for
from shegong.talent.services import application_review
from shegong.talent.tests.factories import file_application, make_policy, make_worker

pytestmark = pytest.mark.django_db


def count(user, testid):
    return next(t for t in todos_for(user) if t.testid == testid)


def test_the_review_to_do_moves_along_the_chain(client_for, world):
    worker = make_worker(world, user=world.users["social_worker"])
    application = file_application(world, make_policy(world), worker)
    director, street = world.users["agency_admin"], world.users["street_admin"]
    assert count(director, "todo-talent-review").count == 1
    assert count(street, "todo-talent-review").count == 0
    application_review(actor=director, application=application, decision="approve")
    director = type(director).objects.get(pk=director.pk)
    street = type(street).objects.get(pk=street.pk)
    assert count(director, "todo-talent-review").count == 0
    todo = count(street, "todo-talent-review")
    assert todo.count == 1
    page = client_for("street_admin").get(todo.url).content.decode()
    assert application.number in page


def test_nothing_for_those_with_no_business_here(world):
    assert not [t for t in todos_for(world.users["auditor"]) if "talent" in t.testid]
