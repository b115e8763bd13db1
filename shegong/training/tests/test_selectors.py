"""What the academy tells other apps: who trained for a year's national exam."""

from shegong.exams import registry as exam_registry
from shegong.training import selectors, services
from shegong.training.tests.factories import admin, enrol, make_class


def test_a_confirmed_place_in_that_years_class_makes_a_trainee(world):
    klass = make_class(world, capacity=2)
    confirmed, cancelled = enrol(klass, 1), enrol(klass, 2)
    waiting = enrol(klass, 3)
    services.enrolment_cancel(actor=admin(world), enrolment=cancelled)  # promotes the third
    waiting.refresh_from_db()
    last_year = make_class(world, year=klass.year - 1, title="去年初级班")
    earlier = enrol(last_year, 4)
    people = {e.person_id for e in (confirmed, cancelled, waiting, earlier)}

    assert selectors.trained_people(people, klass.year) == {
        confirmed.person_id,
        waiting.person_id,
    }
    # The exams app reads it through its registry, without importing the academy.
    assert exam_registry.trainees(people, klass.year) == {confirmed.person_id, waiting.person_id}
    assert exam_registry.trainees(people, klass.year - 1) == {earlier.person_id}
