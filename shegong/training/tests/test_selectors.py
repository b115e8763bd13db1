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


def test_pass_rates_by_class_count_the_papers_its_learners_sat_that_year(world):
    from shegong.exams.tests.factories import make_result

    klass = make_class(world, capacity=3)
    a, b, _c = enrol(klass, 11), enrol(klass, 12), enrol(klass, 13)
    waiting = enrol(klass, 14)  # the class is full: waitlisted, not a learner of it
    year, level = klass.year, "intermediate"
    make_result(world, a.person, year=year, level=level, subject="comprehensive")
    make_result(world, a.person, year=year, level=level, subject="practice")
    make_result(world, a.person, year=year, level=level, subject="law_policy", passed=False)
    make_result(world, b.person, year=year, level=level, subject="comprehensive")
    make_result(world, b.person, year=year - 1, level=level, subject="practice")  # before
    make_result(world, waiting.person, year=year, level=level, subject="practice")

    confirmed = klass.enrolments.filter(status="confirmed")
    assert selectors.class_pass_rates(confirmed) == [
        {"title": klass.title, "year": year, "sat": 4, "passed": 3, "rate": 75.0}
    ]
