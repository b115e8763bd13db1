"""Training services: open enrolment with its waitlist, attendance, completion and CPD hours,
and the remote-site coordinator's scope."""

import datetime
import threading
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connections
from django.utils import timezone

from shegong.core.registry import cpd_credits_for
from shegong.core.scope import OutOfScope
from shegong.people.models import Person
from shegong.people.tests.factories import resident_id
from shegong.training import services
from shegong.training.models import Attendance, Completion, Enrolment, TrainingClass
from shegong.training.tests.factories import (
    admin,
    enrol,
    learner_data,
    make_class,
    make_coordinator,
    make_course,
    make_session,
    make_site,
)


def test_public_enrolment_registers_the_person_and_confirms(world):
    klass = make_class(world)
    enrolment = enrol(klass, 1)
    assert enrolment.status == "confirmed"
    person = enrolment.person
    assert person.name == "学员1"
    assert person.id_number == resident_id(7001)
    assert enrolment.mobile_masked.startswith("138")
    assert "*" in enrolment.mobile_masked


def test_enrolment_matches_the_person_on_file_by_id_number(world):
    klass = make_class(world)
    first = enrol(klass, 1)
    other = make_class(world, title="另一个班")
    second = enrol(other, 1)
    assert second.person == first.person
    assert Person.objects.count() == 1


def test_duplicate_enrolment_is_refused_and_writes_nothing(world):
    klass = make_class(world)
    enrol(klass, 1)
    with pytest.raises(ValidationError) as exc:
        enrol(klass, 1)
    assert "enrolled in this class already" in str(exc.value.message_dict["id_number"])
    assert Enrolment.objects.count() == 1


def test_invalid_identity_is_refused_clearly_and_nothing_is_written(world):
    klass = make_class(world)
    data = learner_data(1)
    data["id_number"] = data["id_number"][:-1] + ("0" if data["id_number"][-1] != "0" else "1")
    data["mobile"] = "12345"
    data["employer_type"] = "nonsense"
    with pytest.raises(ValidationError) as exc:
        services.enrolment_create(klass=klass, **data)
    errors = exc.value.message_dict
    assert set(errors) >= {"id_number", "mobile", "employer_type"}
    assert data["id_number"] not in str(errors)
    assert Person.objects.count() == 0
    assert Enrolment.objects.count() == 0


def test_name_must_match_the_person_on_file(world):
    klass = make_class(world)
    enrol(klass, 1)
    other = make_class(world, title="另一个班")
    with pytest.raises(ValidationError) as exc:
        enrol(other, 1, name="冒名者")
    assert "does not match" in str(exc.value.message_dict["name"])
    assert Enrolment.objects.filter(klass=other).count() == 0


def test_full_class_waitlists_and_cancellation_promotes_the_first_waiting(world):
    klass = make_class(world, capacity=2)
    first, second = enrol(klass, 1), enrol(klass, 2)
    third, fourth = enrol(klass, 3), enrol(klass, 4)
    assert [e.status for e in (first, second, third, fourth)] == [
        "confirmed",
        "confirmed",
        "waitlisted",
        "waitlisted",
    ]
    promoted = services.enrolment_cancel(actor=admin(world), enrolment=second)
    assert promoted == [third]
    third.refresh_from_db()
    fourth.refresh_from_db()
    assert (third.status, fourth.status) == ("confirmed", "waitlisted")
    assert klass.enrolments.filter(status="confirmed").count() == 2
    with pytest.raises(ValidationError) as exc:
        services.enrolment_cancel(actor=admin(world), enrolment=second)
    assert "cancelled already" in str(exc.value)


def test_cancelled_learner_may_enrol_again_at_the_end_of_the_queue(world):
    klass = make_class(world, capacity=1)
    first = enrol(klass, 1)
    waiting = enrol(klass, 2)
    services.enrolment_cancel(actor=admin(world), enrolment=first)
    again = enrol(klass, 1)
    assert again.pk == first.pk
    assert again.status == "waitlisted"
    waiting.refresh_from_db()
    assert waiting.status == "confirmed"


def test_raising_the_capacity_promotes_from_the_waitlist(world):
    klass = make_class(world, capacity=1)
    enrol(klass, 1)
    waiting = enrol(klass, 2)
    services.class_update(actor=admin(world), klass=klass, capacity=2)
    waiting.refresh_from_db()
    assert waiting.status == "confirmed"
    with pytest.raises(ValidationError) as exc:
        services.class_update(actor=admin(world), klass=klass, capacity=1)
    assert "cannot be lower" in str(exc.value.message_dict["capacity"])
    klass.refresh_from_db()
    assert klass.capacity == 2


def test_closed_class_refuses_enrolment(world):
    klass = make_class(world, enrolment_open=False)
    with pytest.raises(ValidationError) as exc:
        enrol(klass, 1)
    assert "closed" in str(exc.value)
    assert Person.objects.count() == 0


def test_a_class_deleted_while_its_form_is_sent_is_refused_as_closed(world):
    klass = make_class(world)
    # The form read the class; it is gone by the time the enrolment takes the class's lock.
    TrainingClass.objects.filter(pk=klass.pk).delete()
    with pytest.raises(ValidationError) as exc:
        enrol(klass, 1)
    assert "Enrolment for this class is closed." in exc.value.messages
    assert Enrolment.objects.count() == 0


@pytest.mark.django_db(transaction=True)
def test_concurrent_enrolments_never_overbook(world):
    klass = make_class(world, capacity=3)
    start = threading.Barrier(8)
    outcomes: list = []

    def go(n):
        try:
            start.wait()
            enrolment = enrol(TrainingClass.objects.get(pk=klass.pk), n)
            outcomes.append(enrolment.status)
        except Exception as exc:  # noqa: BLE001 - reported below
            outcomes.append(repr(exc))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=go, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["confirmed"] * 3 + ["waitlisted"] * 5
    assert klass.enrolments.filter(status="confirmed").count() == 3


def test_only_the_academy_runs_the_catalogue(world):
    with pytest.raises(OutOfScope):
        services.course_create(
            actor=world.users["social_worker"], subject="实务", level="junior", hours=8
        )
    klass = make_class(world)
    with pytest.raises(OutOfScope):
        services.class_update(actor=world.users["district_admin"], klass=klass, capacity=5)


def test_session_needs_a_course_of_the_class_and_its_venue_or_link(world):
    klass = make_class(world)
    other = make_course(world, subject="法规与政策", level="intermediate")
    starts = timezone.now()
    with pytest.raises(ValidationError) as exc:
        services.session_create(
            actor=admin(world),
            klass=klass,
            course=other,
            mode="hybrid",
            starts_at=starts,
            ends_at=starts - datetime.timedelta(hours=1),
        )
    assert set(exc.value.message_dict) >= {"course", "venue", "live_url", "ends_at"}
    assert klass.sessions.count() == 0


def test_check_in_records_the_learners_site(world):
    site = make_site(world)
    klass = make_class(world)
    session = make_session(world, klass)
    enrolment = enrol(klass, 1, site=site)
    result = services.attendance_check_in(session, name="学员1", mobile=enrolment.mobile)
    again = services.attendance_check_in(session, name="学员1", mobile=enrolment.mobile)
    assert result.created and not again.created
    attendance = Attendance.objects.get()
    assert attendance.site == site and attendance.source == "checkin"


def test_check_in_refuses_someone_not_enrolled(world):
    klass = make_class(world)
    session = make_session(world, klass)
    with pytest.raises(ValidationError) as exc:
        services.attendance_check_in(session, name="路人", mobile="13912345678")
    assert "No confirmed learner" in str(exc.value)
    assert Attendance.objects.count() == 0


def test_a_learner_cancelled_between_lookup_and_write_gets_no_attendance(world, monkeypatch):
    """Staff cancel the enrolment in the instant its learner scans: the scan found the
    enrolment confirmed, the write transaction finds it cancelled."""
    klass = make_class(world)
    session = make_session(world, klass)
    enrolment = enrol(klass, 1)
    stale = Enrolment.objects.get(pk=enrolment.pk)
    services.enrolment_cancel(actor=admin(world), enrolment=enrolment)
    monkeypatch.setattr(services, "enrolment_by_contact", lambda *args, **kwargs: stale)
    with pytest.raises(ValidationError) as exc:
        services.attendance_check_in(session, name="学员1", mobile=enrolment.mobile)
    assert "No confirmed learner" in str(exc.value)
    assert Attendance.objects.count() == 0


def test_completion_and_cpd_hours_on_a_hand_computed_case(world):
    """Courses of 12 h and 8 h: the class credits 20 h. Five sessions at 80 %: four needed.
    A attends 4 of 5 (completes), B 3 of 5 (does not), C is waitlisted (never counts)."""
    courses = [
        make_course(world, subject="社会工作综合能力", hours="12"),
        make_course(world, subject="社会工作实务", hours="8"),
    ]
    klass = make_class(world, courses=courses, capacity=2)
    assert klass.cpd_hours == Decimal("20")
    sessions = [
        make_session(world, klass, starts_in=datetime.timedelta(hours=-3 * n)) for n in range(5)
    ]
    a, b, c = enrol(klass, 1), enrol(klass, 2), enrol(klass, 3)
    assert c.status == "waitlisted"
    for session in sessions[:4]:
        services.attendance_mark(actor=admin(world), session=session, enrolment=a)
    for session in sessions[:3]:
        services.attendance_mark(actor=admin(world), session=session, enrolment=b)
    assert services.completion_needed(klass, 5) == 4
    day = datetime.date(2026, 11, 20)
    made = services.completions_record(actor=admin(world), klass=klass, on=day)
    assert [m.enrolment for m in made] == [a]
    completion = Completion.objects.get()
    assert (completion.attended, completion.sessions, completion.hours) == (4, 5, Decimal("20"))
    assert completion.certificate_number == f"PX{klass.year}C{a.pk:07d}"
    # Run again: nothing new, the certificate stays.
    assert services.completions_record(actor=admin(world), klass=klass, on=day) == []
    credits = cpd_credits_for([a.person_id, b.person_id])
    assert [(c.person_id, c.date, c.hours, c.source) for c in credits] == [
        (a.person_id, day, Decimal("20"), "training")
    ]


def test_completion_threshold_is_configurable_per_class(world):
    klass = make_class(world, completion_percent=50)
    sessions = [
        make_session(world, klass, starts_in=datetime.timedelta(hours=-n)) for n in (1, 4, 7)
    ]
    learner = enrol(klass, 1)
    for session in sessions[:2]:
        services.attendance_mark(actor=admin(world), session=session, enrolment=learner)
    assert services.completion_needed(klass, 3) == 2
    assert len(services.completions_record(actor=admin(world), klass=klass)) == 1


def test_coordinator_sees_and_marks_only_their_sites_learners(world):
    coordinator = make_coordinator(world)
    site = make_site(world, coordinators=[coordinator])
    other_site = make_site(world, name="另一站点")
    klass = make_class(world)
    session = make_session(world, klass)
    mine = enrol(klass, 1, site=site)
    theirs = enrol(klass, 2, site=other_site)
    local = enrol(klass, 3)
    visible = set(Enrolment.objects.for_user(coordinator).values_list("pk", flat=True))
    assert visible == {mine.pk}
    assert set(services.Site.objects.for_user(coordinator).values_list("pk", flat=True)) == {
        site.pk
    }
    services.attendance_mark(actor=coordinator, session=session, enrolment=mine)
    for other in (theirs, local):
        with pytest.raises(OutOfScope):
            services.attendance_mark(actor=coordinator, session=session, enrolment=other)
    assert Attendance.objects.count() == 1
    with pytest.raises(OutOfScope):
        services.enrolment_cancel(actor=coordinator, enrolment=theirs)
    # A coordinator runs nothing of the academy.
    with pytest.raises(OutOfScope):
        services.completions_record(actor=coordinator, klass=klass)


def test_feedback_needs_attendance_and_replaces_a_second_rating(world):
    klass = make_class(world)
    session = make_session(world, klass)
    enrolment = enrol(klass, 1)
    with pytest.raises(ValidationError) as exc:
        services.feedback_submit(session, name="学员1", mobile=enrolment.mobile, rating=5)
    assert "attended" in str(exc.value)
    services.attendance_check_in(session, name="学员1", mobile=enrolment.mobile)
    with pytest.raises(ValidationError) as exc:
        services.feedback_submit(session, name="学员1", mobile=enrolment.mobile, rating=9)
    assert "rating" in exc.value.message_dict
    services.feedback_submit(session, name="学员1", mobile=enrolment.mobile, rating=3)
    feedback = services.feedback_submit(
        session, name="学员1", mobile=enrolment.mobile, rating=5, comment="很实用"
    )
    assert session.feedback.count() == 1
    assert feedback.rating == 5


def test_teacher_tags_are_normalised(world):
    teacher = services.teacher_create(
        actor=admin(world), name="陈老师", expertise="个案, 小组、个案，督导"
    )
    assert teacher.expertise == "个案、小组、督导"
    with pytest.raises(ValidationError) as exc:
        services.teacher_create(actor=admin(world), name="空老师", expertise=" , ")
    assert "expertise" in exc.value.message_dict


def test_public_identity_refusals_are_capped_per_address(world):
    # A refusal of the identity (a name not the one on file for the ID number, or a person
    # enrolled already) tells an anonymous caller that the number is in the district's
    # register. An address gets a handful of those an hour; then its public enrolments are
    # refused whatever they carry, before anyone is looked up or registered.
    from shegong.core.access import RateLimited

    on_file = enrol(make_class(world, title="往期班"), 1)
    klass = make_class(world)
    address = "203.0.113.9"
    for attempt in range(services.IDENTITY_REFUSALS_PER_HOUR):
        with pytest.raises(ValidationError) as exc:
            enrol(klass, 1, name=f"冒名者{attempt}", address=address)
        assert not isinstance(exc.value, RateLimited)
        assert "does not match" in str(exc.value.message_dict["name"])
    people = Person.objects.count()
    with pytest.raises(RateLimited) as exc:
        enrol(klass, 1, name="冒名者", address=address)
    assert "Too many" in str(exc.value.message_dict["id_number"])
    # Past the allowance, a new identity is refused too (else the refusal alone would tell),
    # and nothing is written.
    with pytest.raises(RateLimited):
        enrol(klass, 2, address=address)
    assert Person.objects.count() == people
    assert not klass.enrolments.exists()
    # Another address, and the person themself with the right name from it, are unaffected.
    mine = enrol(klass, 1, name=on_file.person.name, address="198.51.100.7")
    assert mine.person == on_file.person


def test_a_period_backwards_is_said_on_its_field_only(world):
    # The table's check constraint repeats the rule: its raw message ("Constraint … is
    # violated") must not reach the form or the API beside (or instead of) the field's.
    today = timezone.localdate()
    with pytest.raises(ValidationError) as exc:
        make_class(world, starts_on=today, ends_on=today - datetime.timedelta(days=1))
    assert exc.value.message_dict == {"ends_on": ["The class cannot end before it starts."]}
    klass = make_class(world)
    with pytest.raises(ValidationError) as exc:
        services.class_update(
            actor=admin(world), klass=klass, ends_on=klass.starts_on - datetime.timedelta(days=1)
        )
    assert exc.value.message_dict == {"ends_on": ["The class cannot end before it starts."]}
    klass.refresh_from_db()
    assert klass.ends_on > klass.starts_on
    starts = timezone.now()
    with pytest.raises(ValidationError) as exc:
        services.session_create(
            actor=admin(world),
            klass=klass,
            course=klass.courses.first(),
            mode="offline",
            venue="湖里区社会工作促进会",
            starts_at=starts,
            ends_at=starts - datetime.timedelta(hours=1),
        )
    assert exc.value.message_dict == {"ends_at": ["The session must end after it starts."]}
    assert not klass.sessions.exists()
