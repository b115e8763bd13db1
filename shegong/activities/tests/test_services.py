"""Activity services: scope, periods, the group stage machine, capacity and attendance."""

import datetime
import threading

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connections
from django.utils import timezone

from shegong.activities import services
from shegong.activities.choices import ActivityKind, GroupStage
from shegong.activities.models import Activity, ActivitySession, Attendance, Registration
from shegong.activities.tests.factories import make_activity, make_session
from shegong.core.scope import OutOfScope
from shegong.people.models import Person
from shegong.people.services import person_create, person_create_minimal
from shegong.people.tests.factories import resident_id
from shegong.places.models import Community


def _person(world, name="王阿姨", mobile="13900001111"):
    return person_create_minimal(
        actor=world.users["community_staff"],
        name=name,
        mobile=mobile,
        community=world.home_community,
    )


def test_community_staff_create_activity_in_own_community(world):
    activity = make_activity(world)
    assert activity.agency is None
    assert activity.organiser_name == world.home_community.name
    assert activity.stage == ""


def test_agency_lead_creates_group_in_preparing_stage(world):
    activity = make_activity(world, persona="agency_admin", kind=ActivityKind.GROUP)
    assert activity.agency == world.agency_a
    assert activity.stage == GroupStage.PREPARING


def test_bad_input_gives_chinese_field_errors_and_writes_nothing(world):
    from django.utils import translation

    with translation.override("zh-hans"), pytest.raises(ValidationError) as excinfo:
        make_activity(
            world,
            title="\u202e坏标题",
            starts_on=datetime.date(2026, 5, 2),
            ends_on=datetime.date(2026, 5, 1),
        )
    errors = excinfo.value.message_dict
    assert "title" in errors
    assert errors["ends_on"] == ["结束日期不能早于开始日期。"]
    assert not Activity.objects.exists()


def test_community_outside_scope_is_refused(world):
    other = Community.objects.filter(street=world.other_street).first()
    with pytest.raises(ValidationError) as excinfo:
        make_activity(world, community=other)
    assert "community" in excinfo.value.message_dict
    assert not Activity.objects.exists()


@pytest.mark.parametrize("persona", ["social_worker", "street_admin", "volunteer"])
def test_others_may_not_organise(world, persona):
    with pytest.raises(PermissionDenied):
        make_activity(world, persona=persona)
    assert not Activity.objects.exists()


def test_agency_b_cannot_change_agency_a_activity(world):
    activity = make_activity(world, persona="agency_admin")
    with pytest.raises(OutOfScope):
        services.activity_update(
            actor=world.users["social_worker_b"], activity=activity, title="改"
        )
    activity.refresh_from_db()
    assert activity.title == "邻里茶话会"


def test_stage_machine_moves_one_step_and_refuses_clearly(world):
    actor = world.users["agency_admin"]
    group = make_activity(world, persona="agency_admin", kind=ActivityKind.GROUP)
    with pytest.raises(ValidationError) as skip:
        services.activity_move_stage(actor=actor, activity=group, to=GroupStage.MATURE)
    assert "stage" in skip.value.message_dict
    group.refresh_from_db()
    assert group.stage == GroupStage.PREPARING
    for stage in (GroupStage.FORMING, GroupStage.TRANSITION, GroupStage.MATURE):
        services.activity_move_stage(actor=actor, activity=group, to=stage)
    services.activity_move_stage(actor=actor, activity=group, to=GroupStage.ENDED)
    with pytest.raises(ValidationError) as ended:
        services.activity_move_stage(actor=actor, activity=group, to=GroupStage.FORMING)
    assert "stage" in ended.value.message_dict
    group.refresh_from_db()
    assert group.stage == GroupStage.ENDED


def test_community_activity_has_no_stages(world):
    activity = make_activity(world)
    with pytest.raises(ValidationError):
        services.activity_move_stage(
            actor=world.users["community_staff"], activity=activity, to=GroupStage.FORMING
        )


def test_session_bad_times_and_capacity_write_nothing(world):
    activity = make_activity(world)
    now = timezone.now()
    with pytest.raises(ValidationError) as excinfo:
        services.session_create(
            actor=world.users["community_staff"],
            activity=activity,
            starts_at=now,
            ends_at=now - datetime.timedelta(hours=1),
            place="活动室",
            capacity=0,
        )
    assert {"ends_at", "capacity"} <= excinfo.value.message_dict.keys()
    assert not ActivitySession.objects.exists()


def test_capacity_is_respected(world):
    session = make_session(world, make_activity(world), capacity=1)
    actor = world.users["community_staff"]
    services.registration_create(actor=actor, session=session, person=_person(world))
    with pytest.raises(ValidationError) as excinfo:
        services.registration_create(
            actor=actor, session=session, person=_person(world, "李伯", "13900002222")
        )
    assert "person" in excinfo.value.message_dict
    assert Registration.objects.count() == 1


def test_cancel_frees_the_place(world):
    session = make_session(world, make_activity(world), capacity=1)
    actor = world.users["community_staff"]
    first = services.registration_create(actor=actor, session=session, person=_person(world))
    services.registration_cancel(actor=actor, registration=first)
    services.registration_create(
        actor=actor, session=session, person=_person(world, "李伯", "13900002222")
    )
    assert Registration.objects.filter(status="registered").count() == 1


@pytest.mark.django_db(transaction=True)
def test_concurrent_sign_ups_never_exceed_capacity(world):
    session = make_session(world, make_activity(world), capacity=3)
    people = [_person(world, f"并发{n}", f"1390000{n:04d}") for n in range(8)]
    actor_id = world.users["community_staff"].pk
    start = threading.Barrier(len(people))
    outcomes: list = []

    def sign_up(person):
        from shegong.accounts.models import User

        try:
            actor = User.objects.get(pk=actor_id)
            start.wait()
            services.registration_create(
                actor=actor, session=ActivitySession.objects.get(pk=session.pk), person=person
            )
            outcomes.append("ok")
        except ValidationError:
            outcomes.append("full")
        except Exception as exc:  # noqa: BLE001 - reported below
            outcomes.append(repr(exc))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=sign_up, args=(p,)) for p in people]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["full"] * 5 + ["ok"] * 3
    assert Registration.objects.filter(session=session).count() == 3


def test_double_check_in_counts_once(world):
    session = make_session(world, make_activity(world))
    first = services.attendance_check_in(session, name="张大爷", mobile="13900003333")
    second = services.attendance_check_in(session, name="张大爷", mobile="139 0000 3333")
    assert first.created and not second.created
    assert Attendance.objects.filter(session=session).count() == 1
    assert Person.objects.filter(name="张大爷").count() == 1


def test_a_phone_that_lost_the_race_to_its_twin_is_told_already_in_even_when_full(
    world, monkeypatch
):
    """Two phones check in the same new resident at once into the last place. The slower one
    found nobody before the lock; under it, the person and their attendance are there."""
    from shegong.people import selectors

    session = make_session(world, make_activity(world), capacity=1)
    services.attendance_check_in(session, name="张大爷", mobile="13900003333")
    real, calls = selectors.person_by_name_and_mobile, []

    def before_the_twin(name, mobile):
        calls.append(name)
        return None if len(calls) == 1 else real(name, mobile)

    monkeypatch.setattr(selectors, "person_by_name_and_mobile", before_the_twin)
    result = services.attendance_check_in(session, name="张大爷", mobile="13900003333")
    assert not result.created and result.name == "张大爷"  # not "this session is full"
    assert Attendance.objects.filter(session=session).count() == 1
    assert Person.objects.filter(name="张大爷").count() == 1


def test_check_in_matches_existing_person_by_name_and_mobile(world):
    person = _person(world)
    session = make_session(world, make_activity(world))
    services.attendance_check_in(session, name="王阿姨", mobile="13900001111")
    assert Attendance.objects.get(session=session).person == person


def test_check_in_creates_minimal_person_in_activity_community(world):
    session = make_session(
        world, make_activity(world, persona="agency_admin"), persona="agency_admin"
    )
    services.attendance_check_in(session, name="新居民", mobile="13900004444")
    person = Person.objects.get(name="新居民")
    assert person.community == world.home_community
    assert person.owner_agency == world.agency_a
    assert person.mobile == "13900004444" and person.id_number == ""


def test_check_in_bad_input_writes_nothing(world):
    session = make_session(world, make_activity(world))
    with pytest.raises(ValidationError) as excinfo:
        services.attendance_check_in(session, name="", mobile="123")
    assert {"name", "mobile"} <= excinfo.value.message_dict.keys()
    assert not Attendance.objects.exists()
    assert not Person.objects.exists()


def test_check_in_closed_before_window(world):
    session = make_session(world, make_activity(world), starts_in=datetime.timedelta(days=2))
    with pytest.raises(ValidationError):
        services.attendance_check_in(session, name="早到", mobile="13900005555")
    assert not Attendance.objects.exists()


def test_group_check_in_takes_members_only(world):
    group = make_activity(world, persona="agency_admin", kind=ActivityKind.GROUP)
    session = make_session(world, group, persona="agency_admin")
    with pytest.raises(ValidationError):
        services.attendance_check_in(session, name="路人", mobile="13900006666")
    assert not Attendance.objects.exists()
    # The agency signs its member up by name and mobile (the person lives in the community).
    _person(world)
    services.registration_by_contact(
        actor=world.users["agency_admin"], session=session, name="王阿姨", mobile="13900001111"
    )
    assert services.attendance_check_in(session, name="王阿姨", mobile="13900001111").created


def test_a_member_is_known_by_their_sign_up_not_an_older_record_of_the_same_contact(world):
    """A walk-in record (name and mobile only) came first; staff then registered the member
    with an ID number, and signed that record up for the group."""
    group = make_activity(world, persona="agency_admin", kind=ActivityKind.GROUP)
    session = make_session(world, group, persona="agency_admin")
    walk_in = _person(world)
    member = person_create(
        actor=world.users["agency_admin"],
        name="王阿姨",
        id_type="resident_id",
        id_number=resident_id(1111),
        mobile="13900001111",
        community=world.home_community,
        owner_agency=world.agency_a,
    )
    assert walk_in.pk < member.pk
    services.registration_create(actor=world.users["agency_admin"], session=session, person=member)
    assert services.attendance_check_in(session, name="王阿姨", mobile="13900001111").created
    assert Attendance.objects.get(session=session).person == member


def test_attendance_capacity_and_walk_in(world):
    session = make_session(world, make_activity(world), capacity=1)
    actor = world.users["community_staff"]
    _att, created = services.attendance_walk_in(
        actor=actor, session=session, name="散客", mobile="13900007777"
    )
    assert created
    with pytest.raises(ValidationError):
        services.attendance_walk_in(
            actor=actor, session=session, name="另一位", mobile="13900008888"
        )
    assert Attendance.objects.count() == 1
    assert not Person.objects.filter(name="另一位").exists()  # nothing kept of the refusal


def test_agency_lead_may_serve_any_community_of_its_district_but_not_lead_another(world):
    other = Community.objects.filter(street=world.other_street).first()
    activity = make_activity(world, persona="agency_admin", community=other)
    assert activity.community == other
    with pytest.raises(ValidationError) as excinfo:
        make_activity(world, persona="agency_admin", agency=world.agency_b)
    assert "agency" in excinfo.value.message_dict
    assert Activity.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_concurrent_check_ins_respect_capacity_and_count_a_person_once(world):
    session = make_session(world, make_activity(world), capacity=4)
    # Six different residents and the same resident three times, all at once.
    callers = [(f"居民{n}", f"1395000{n:04d}") for n in range(6)] + [("同一人", "13950009999")] * 3
    start = threading.Barrier(len(callers))
    outcomes: list = []

    def check_in(name, mobile):
        try:
            start.wait()
            result = services.attendance_check_in(
                ActivitySession.objects.get(pk=session.pk), name=name, mobile=mobile
            )
            outcomes.append("new" if result.created else "again")
        except ValidationError:
            outcomes.append("full")
        except Exception as exc:  # noqa: BLE001 - reported below
            outcomes.append(repr(exc))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=check_in, args=caller) for caller in callers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert set(outcomes) <= {"new", "again", "full"}, outcomes
    assert outcomes.count("new") == 4
    assert Attendance.objects.filter(session=session).count() == 4
    assert Person.objects.filter(name="同一人").count() <= 1


def test_session_capacity_cannot_drop_below_those_signed_up(world):
    session = make_session(world, make_activity(world), capacity=5)
    actor = world.users["community_staff"]
    for n in range(3):
        services.registration_by_contact(
            actor=actor, session=session, name=f"报名{n}", mobile=f"1395111{n:04d}"
        )
    with pytest.raises(ValidationError) as excinfo:
        services.session_update(actor=actor, session=session, capacity=2, place="新地点")
    assert "capacity" in excinfo.value.message_dict
    session.refresh_from_db()
    assert (session.capacity, session.place) == (5, "兴隆社区活动室")
    services.session_update(actor=actor, session=session, capacity=3)
    session.refresh_from_db()
    assert session.capacity == 3
