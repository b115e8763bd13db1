import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from shegong.core.scope import OutOfScope
from shegong.volunteers import services
from shegong.volunteers.models import (
    Certificate,
    PointsEntry,
    ServiceHours,
    ShiftSignup,
    VolunteerProfile,
)
from shegong.volunteers.tests.factories import (
    make_person,
    make_shift,
    make_team,
    make_volunteer,
    past_date,
)

pytestmark = pytest.mark.django_db


def _hours(world, volunteer, activity, hours=2, days=3):
    return services.hours_enter(
        actor=world.users["community_staff"],
        volunteer=volunteer,
        activity=activity,
        served_on=past_date(days),
        hours=hours,
        reason="纸质签到表",
    )


def test_registering_numbers_volunteers_in_sequence(world):
    first = make_volunteer(world)
    second = make_volunteer(world, team=first.team, name="李四")
    year = datetime.date.today().year
    assert first.number == f"HL{year}00001"
    assert second.number == f"HL{year}00002"


def test_registering_bad_input_names_the_fields_and_writes_nothing(world):
    staff = world.users["community_staff"]
    person = make_person(world)
    with pytest.raises(ValidationError) as exc:
        services.volunteer_register(actor=staff, person=person, team=None, skills=["flying"])
    assert (
        exc.value.message_dict["team"] == ["请选择您管理的队伍。"]
        or "team" in exc.value.message_dict
    )
    assert "skills" in exc.value.message_dict
    assert not VolunteerProfile.objects.exists()


def test_a_person_outside_the_scope_reads_as_missing(world):
    team_b_person = make_person(world)  # 兴隆社区, no agency: agency B cannot see them
    street = world.users["social_worker_b"]
    with pytest.raises(ValidationError) as exc:
        services.volunteer_register(actor=street, person=team_b_person, team=None)
    assert set(exc.value.message_dict) >= {"team", "person"}


def test_a_person_is_a_volunteer_once(world):
    volunteer = make_volunteer(world)
    with pytest.raises(ValidationError) as exc:
        services.volunteer_register(
            actor=world.users["community_staff"], person=volunteer.person, team=volunteer.team
        )
    assert "person" in exc.value.message_dict
    assert VolunteerProfile.objects.count() == 1


def test_capacity_is_respected_and_a_cancelled_place_frees(world):
    shift = make_shift(world, capacity=1)
    team = make_team(world)
    one = make_volunteer(world, team=team, user=world.users["volunteer"])
    two = make_volunteer(world, team=team, name="李四")
    signup = services.signup_self(user=world.users["volunteer"], shift=shift)
    with pytest.raises(ValidationError) as exc:
        services.signup_assign(actor=world.users["community_staff"], shift=shift, volunteer=two)
    assert "shift" in exc.value.message_dict
    assert ShiftSignup.objects.filter(shift=shift).count() == 1
    with pytest.raises(ValidationError):
        services.signup_self(user=world.users["volunteer"], shift=shift)
    services.signup_cancel(actor=world.users["volunteer"], signup=signup)
    services.signup_assign(actor=world.users["community_staff"], shift=shift, volunteer=two)
    assert one.signups.get().status == "cancelled"


def test_a_login_without_a_profile_cannot_sign_up(world):
    shift = make_shift(world)
    with pytest.raises(ValidationError) as exc:
        services.signup_self(user=world.users["volunteer"], shift=shift)
    assert "volunteer" in exc.value.message_dict
    assert not ShiftSignup.objects.exists()


def test_someone_elses_signup_cannot_be_cancelled(world):
    shift = make_shift(world)
    volunteer = make_volunteer(world)
    signup = services.signup_assign(
        actor=world.users["community_staff"], shift=shift, volunteer=volunteer
    )
    with pytest.raises(OutOfScope):
        services.signup_cancel(actor=world.users["volunteer"], signup=signup)


def test_approval_is_one_decision_and_earns_points(world):
    volunteer = make_volunteer(world)
    shift = make_shift(world)
    hours = _hours(world, volunteer, shift.session.activity, hours="2.5")
    staff = world.users["community_staff"]
    with pytest.raises(ValidationError) as exc:
        services.hours_decide(actor=staff, hours=hours, to="rejected")
    assert "decision_note" in exc.value.message_dict
    services.hours_decide(actor=staff, hours=hours, to="approved")
    volunteer.refresh_from_db()
    assert volunteer.points_balance == 25
    entry = PointsEntry.objects.get()
    assert (entry.points, entry.balance_after, entry.hours_id) == (25, 25, hours.pk)
    with pytest.raises(ValidationError) as exc:
        services.hours_decide(actor=staff, hours=hours, to="rejected", note="重复")
    assert exc.value.message_dict["status"]
    assert ServiceHours.objects.get().status == "approved"
    assert PointsEntry.objects.count() == 1


def test_points_per_hour_is_a_setting(world, settings):
    settings.VOLUNTEER_POINTS_PER_HOUR = 4
    volunteer = make_volunteer(world)
    hours = _hours(world, volunteer, make_shift(world).session.activity, hours=3)
    services.hours_decide(actor=world.users["community_staff"], hours=hours, to="approved")
    volunteer.refresh_from_db()
    assert volunteer.points_balance == 12


def test_only_the_organising_side_decides(world):
    volunteer = make_volunteer(world)
    hours = _hours(world, volunteer, make_shift(world).session.activity)
    for persona in ("street_admin", "agency_admin", "volunteer"):
        with pytest.raises(OutOfScope):
            services.hours_decide(actor=world.users[persona], hours=hours, to="approved")
    assert ServiceHours.objects.get().status == "pending"


def test_hours_entered_by_staff_need_a_reason_and_sane_values(world):
    volunteer = make_volunteer(world)
    activity = make_shift(world).session.activity
    with pytest.raises(ValidationError) as exc:
        services.hours_enter(
            actor=world.users["community_staff"],
            volunteer=volunteer,
            activity=activity,
            served_on=past_date(400),
            hours="99",
            reason="  ",
        )
    errors = exc.value.message_dict
    assert {"reason", "hours", "served_on"} <= set(errors)
    assert errors["reason"] == ["请说明手工录入时长的原因。"]
    assert not ServiceHours.objects.exists()


def test_hours_entered_by_hand_never_make_a_day_longer_than_24_hours(world):
    volunteer = make_volunteer(world)
    activity = make_shift(world).session.activity
    _hours(world, volunteer, activity, hours=20, days=3)
    _hours(world, volunteer, activity, hours="4", days=3)
    with pytest.raises(ValidationError) as exc:
        _hours(world, volunteer, activity, hours="0.5", days=3)
    assert exc.value.message_dict["hours"] == ["该志愿者当天已记录 24.0 小时，一天最多 24 小时。"]
    # Another day is another day; rejected hours do not count.
    other = _hours(world, volunteer, activity, hours=24, days=4)
    services.hours_decide(
        actor=world.users["community_staff"], hours=other, to="rejected", note="重复录入"
    )
    _hours(world, volunteer, activity, hours=24, days=4)
    assert ServiceHours.objects.filter(volunteer=volunteer).count() == 4


def test_hours_entered_by_hand_need_a_visible_reason(world):
    volunteer = make_volunteer(world)
    activity = make_shift(world).session.activity
    with pytest.raises(ValidationError) as exc:
        services.hours_enter(
            actor=world.users["community_staff"],
            volunteer=volunteer,
            activity=activity,
            served_on=past_date(3),
            hours=1,
            reason="\u200b\u200b",
        )
    assert exc.value.message_dict["reason"] == ["请说明手工录入时长的原因。"]
    assert not ServiceHours.objects.exists()


def test_points_never_go_negative(world):
    volunteer = make_volunteer(world)
    hours = _hours(world, volunteer, make_shift(world).session.activity, hours=1)
    staff = world.users["community_staff"]
    services.hours_decide(actor=staff, hours=hours, to="approved")
    with pytest.raises(ValidationError) as exc:
        services.points_exchange(actor=staff, volunteer=volunteer, item="雨伞", points=11)
    assert exc.value.message_dict["points"] == ["只有 10 积分可用。"]
    services.points_exchange(actor=staff, volunteer=volunteer, item="雨伞", points=10)
    volunteer.refresh_from_db()
    assert volunteer.points_balance == 0
    with pytest.raises(ValidationError):
        services.points_exchange(actor=staff, volunteer=volunteer, item="雨伞", points=1)
    assert list(PointsEntry.objects.order_by("id").values_list("points", flat=True)) == [10, -10]
    entry = PointsEntry.objects.first()
    with pytest.raises(ValidationError):
        entry.save()
    with pytest.raises(ValidationError):
        PointsEntry.objects.all().delete()
    with transaction.atomic(), pytest.raises(IntegrityError):
        VolunteerProfile.objects.filter(pk=volunteer.pk).update(points_balance=-1)


def test_certificates_carry_the_record_and_are_numbered_per_year(world):
    volunteer = make_volunteer(world)
    staff = world.users["community_staff"]
    issue = {"person_in_charge": "李建华", "handler": "陈晓燕", "handler_contact": "0592-5550123"}
    with pytest.raises(ValidationError) as exc:
        services.certificate_issue(actor=staff, volunteer=volunteer, **issue)
    assert "volunteer" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        services.certificate_issue(
            actor=staff, volunteer=volunteer, person_in_charge="", handler="", handler_contact=""
        )
    assert {"person_in_charge", "handler", "handler_contact"} <= set(exc.value.message_dict)
    assert not Certificate.objects.exists()
    activity = make_shift(world).session.activity
    services.hours_decide(actor=staff, hours=_hours(world, volunteer, activity, 2), to="approved")
    _hours(world, volunteer, activity, 5)  # pending: does not count
    first = services.certificate_issue(actor=staff, volunteer=volunteer, **issue)
    second = services.certificate_issue(actor=staff, volunteer=volunteer, **issue)
    year = datetime.date.today().year
    assert (first.number, second.number) == (f"ZYFW{year}000001", f"ZYFW{year}000002")
    assert first.total_hours == Decimal("2.0")
    assert first.services == [
        {"activity": activity.title, "date": past_date(3).isoformat(), "hours": "2.0"}
    ]
    assert first.id_number_masked == volunteer.person.id_number_masked
    assert volunteer.person.id_number not in first.id_number_masked
    assert first.issuer == world.home_community.name
    assert first.volunteer_number == volunteer.number


def test_hours_from_a_check_in_are_rounded_and_capped():
    class S:
        starts_at = datetime.datetime(2026, 5, 1, 9, tzinfo=datetime.UTC)
        ends_at = datetime.datetime(2026, 5, 1, 11, tzinfo=datetime.UTC)

    start = S.starts_at
    assert services.hours_between(start, start + datetime.timedelta(minutes=80), S) == Decimal(
        "1.5"
    )
    assert services.hours_between(start, start + datetime.timedelta(minutes=20), S) == Decimal(
        "0.5"
    )
    assert services.hours_between(start, start + datetime.timedelta(hours=9), S) == Decimal("2.5")


def test_a_team_sits_where_its_maker_manages(world):
    from shegong.volunteers.models import VolunteerTeam

    staff = world.users["community_staff"]
    with pytest.raises(ValidationError) as exc:
        services.team_create(
            actor=staff, name="越权队", community=world.home_community, agency=world.agency_b
        )
    assert exc.value.message_dict["agency"] == ["请选择您负责的机构。"]
    elsewhere = world.other_street.communities.order_by("code").first()
    with pytest.raises(ValidationError) as exc:
        services.team_create(actor=staff, name="越权队", community=elsewhere)
    assert "community" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        services.team_create(actor=staff, name="  ", community=world.home_community)
    assert "name" in exc.value.message_dict
    assert not VolunteerTeam.objects.exists()
    team = services.team_create(
        actor=world.users["agency_admin"], name="A队", community=elsewhere, agency=world.agency_a
    )
    assert team.owner_name == world.agency_a.name


def test_a_team_name_is_used_once_by_its_owner_in_a_community(world):
    from shegong.volunteers.models import VolunteerTeam

    staff = world.users["community_staff"]
    services.team_create(actor=staff, name="邻里队", community=world.home_community)
    with pytest.raises(ValidationError) as exc:
        services.team_create(actor=staff, name=" 邻里队 ", community=world.home_community)
    assert exc.value.message_dict == {"name": ["该社区已有同名的队伍。"]}
    # An agency's team may share the name of the community's own: the owner tells them apart.
    services.team_create(
        actor=world.users["agency_admin"],
        name="邻里队",
        community=world.home_community,
        agency=world.agency_a,
    )
    with pytest.raises(ValidationError):
        services.team_create(
            actor=world.users["agency_admin"],
            name="邻里队",
            community=world.home_community,
            agency=world.agency_a,
        )
    assert VolunteerTeam.objects.filter(name="邻里队").count() == 2


def test_hours_entered_read_with_their_one_decimal_as_recorded(world):
    volunteer = make_volunteer(world)
    record = _hours(world, volunteer, make_shift(world).session.activity, hours="2")
    assert str(record.hours) == "2.0"
