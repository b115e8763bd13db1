"""A shift's signed link (kind "vs"): the first scan checks in, the second checks out and records
pending hours. Expired, forged and replayed links are refused by core, with nothing written."""

import datetime
import re

import pytest
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import timezone

from shegong.core import checkin
from shegong.people.services import person_create, person_create_minimal
from shegong.people.tests.factories import resident_id
from shegong.volunteers import services
from shegong.volunteers.models import ServiceHours, ShiftSignup
from shegong.volunteers.tests.factories import make_shift, make_team, make_volunteer


@pytest.fixture
def signed_up(world):
    cache.clear()
    shift = make_shift(world)
    volunteer = make_volunteer(world, user=world.users["volunteer"])
    services.signup_self(user=world.users["volunteer"], shift=shift)
    return shift, volunteer


def _post(client, url, volunteer, **extra):
    page = client.get(url)
    nonce = re.search(r'name="nonce" value="([^"]+)"', page.content.decode()).group(1)
    data = {"name": volunteer.person.name, "mobile": volunteer.person.mobile, "nonce": nonce}
    return client.post(url, {**data, **extra}), data


def test_check_in_then_out_records_pending_hours(signed_up):
    shift, volunteer = signed_up
    client = Client()
    url = checkin.checkin_path(checkin.issue_token(shift))
    first, _data = _post(client, url, volunteer)
    assert 'data-testid="checkin-message"' in first.content.decode()
    signup = ShiftSignup.objects.get()
    assert signup.checked_in_at is not None and signup.checked_out_at is None
    # Scanning out too soon is refused, and writes nothing.
    too_soon, _data = _post(client, url, volunteer)
    assert too_soon.status_code == 200 and not ServiceHours.objects.exists()
    ShiftSignup.objects.filter(pk=signup.pk).update(
        checked_in_at=timezone.now() - datetime.timedelta(minutes=95)
    )
    out, _data = _post(client, url, volunteer)
    assert 'data-testid="checkin-message"' in out.content.decode()
    hours = ServiceHours.objects.get()
    assert (hours.hours, hours.status, hours.source) == (1.5, "pending", "checkin")
    assert hours.activity_id == shift.session.activity_id
    again, _data = _post(client, url, volunteer)
    assert again.status_code == 200 and ServiceHours.objects.count() == 1


def test_someone_not_signed_up_is_refused(signed_up):
    shift, _volunteer = signed_up
    client = Client()
    url = checkin.checkin_path(checkin.issue_token(shift))
    page = client.get(url)
    nonce = re.search(r'name="nonce" value="([^"]+)"', page.content.decode()).group(1)
    answer = client.post(url, {"name": "路人甲", "mobile": "13900007777", "nonce": nonce})
    assert answer.status_code == 200
    assert ShiftSignup.objects.get().checked_in_at is None


def test_expired_forged_and_replayed_links_write_nothing(signed_up):
    shift, volunteer = signed_up
    client = Client()
    expired = checkin.issue_token(shift, expires_at=timezone.now() - datetime.timedelta(seconds=1))
    assert client.get(checkin.checkin_path(expired)).status_code == 410
    token = checkin.issue_token(shift)
    forged = token[:-2] + ("AA" if not token.endswith("AA") else "BB")
    assert client.get(checkin.checkin_path(forged)).status_code == 404
    url = checkin.checkin_path(token)
    _first, data = _post(client, url, volunteer)
    replay = client.post(url, data)
    assert replay.status_code == 409
    assert ShiftSignup.objects.get().checked_in_at is not None
    assert not ServiceHours.objects.exists()


def test_an_older_record_of_the_same_name_and_mobile_does_not_hide_the_sign_up(world):
    """A resident checked in at an activity as a walk-in (name and mobile only); later staff
    register them properly, and that record becomes the volunteer signed up for the shift."""
    staff = world.users["community_staff"]
    walk_in = person_create_minimal(
        actor=None, name="郑新人", mobile="13800007777", community=world.home_community
    )
    registered = person_create(
        actor=staff,
        name="郑新人",
        id_type="resident_id",
        id_number=resident_id(7777),
        mobile="13800007777",
        community=world.home_community,
    )
    assert walk_in.pk < registered.pk
    volunteer = services.volunteer_register(
        actor=staff, person=registered, team=make_team(world), skills=["events"]
    )
    shift = make_shift(world)
    services.signup_assign(actor=staff, shift=shift, volunteer=volunteer)
    result = services.shift_check(shift, name="郑新人", mobile="13800007777")
    assert result.created
    assert ShiftSignup.objects.get(volunteer=volunteer).checked_in_at is not None


def test_a_volunteer_suspended_since_signing_up_gets_no_check_in(signed_up, world):
    shift, volunteer = signed_up
    services.volunteer_update(
        actor=world.users["community_staff"], profile=volunteer, status="suspended"
    )
    with pytest.raises(ValidationError, match="志愿服务已暂停"):
        services.shift_check(shift, name=volunteer.person.name, mobile=volunteer.person.mobile)
    assert ShiftSignup.objects.get().checked_in_at is None
