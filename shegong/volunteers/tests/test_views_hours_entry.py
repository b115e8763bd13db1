"""Staff enter hours on the volunteer's page: the API's validation, and the hours await
approval like those from check-in."""

import datetime
import re
from decimal import Decimal

import pytest

from shegong.activities.tests.factories import make_activity
from shegong.volunteers.models import ServiceHours
from shegong.volunteers.tests.factories import elsewhere, make_volunteer, past_date

pytestmark = pytest.mark.django_db


def _url(volunteer):
    return f"/volunteers/{volunteer.pk}/hours/new/"


def _data(activity, **extra):
    return {
        "hours-activity": activity.pk,
        "hours-served_on": past_date().isoformat(),
        "hours-hours": "2.5",
        "hours-reason": "纸质签到表补录",
        **extra,
    }


def test_staff_enter_hours_which_await_approval(world, client_for):
    volunteer = make_volunteer(world)
    activity = make_activity(world, title="兴隆助老服务")
    client = client_for("community_staff")
    detail = client.get(f"/volunteers/{volunteer.pk}/").content.decode()
    assert 'data-testid="hours-entry-form"' in detail and "兴隆助老服务" in detail
    done = client.post(_url(volunteer), _data(activity), follow=True)
    assert done.redirect_chain[-1][0] == f"/volunteers/{volunteer.pk}/"
    body = done.content.decode()
    assert "已录入 2.5 小时，等待审核。" in body
    record = ServiceHours.objects.get()
    assert (record.volunteer, record.activity, record.hours) == (volunteer, activity, 2.5)
    assert record.source == "staff" and record.status == "pending"
    assert record.recorded_by == world.users["community_staff"]
    # Pending hours earn nothing until approved: the approved total stays 0.
    approved = re.search(r'data-testid="volunteer-hours">([^<]*)<', body).group(1)
    assert Decimal(approved) == 0 and "待审批" in body
    assert volunteer.number in client.get("/volunteers/hours/").content.decode()


def test_each_refusal_shows_its_message_keeps_the_input_and_writes_nothing(world, client_for):
    volunteer = make_volunteer(world)
    activity = make_activity(world)
    far = make_activity(world, persona="agency_admin", title="外街活动", community=elsewhere(world))
    client = client_for("community_staff")
    too_early = activity.starts_on - datetime.timedelta(days=1)
    cases = [
        (_data(activity, **{"hours-reason": ""}), "hours-reason", "请说明手工录入时长的原因。"),
        (_data(activity, **{"hours-hours": ""}), "hours-hours", "请输入时长，例如 2.5。"),
        (_data(activity, **{"hours-hours": "2.3"}), "hours-hours", "时长以半小时计，例如 2.5。"),
        (_data(activity, **{"hours-hours": "abc"}), "hours-hours", "请输入数字。"),
        (_data(activity, **{"hours-activity": ""}), "hours-activity", "请选择您组织的活动。"),
        (_data(far), "hours-activity", "选择一个有效的选项"),
        (
            _data(activity, **{"hours-served_on": too_early.isoformat()}),
            "hours-served_on",
            "日期不在活动期间内。",
        ),
        (_data(activity, **{"hours-served_on": ""}), "hours-served_on", "这个字段是必填项。"),
    ]
    for data, field, message in cases:
        page = client.post(_url(volunteer), data)
        body = page.content.decode()
        assert page.status_code == 200, data
        assert f'data-field-error="{field}"' in body and message in body, (data, field)
    kept = client.post(_url(volunteer), _data(activity, **{"hours-hours": "2.3"}))
    assert 'value="纸质签到表补录"' in kept.content.decode()
    assert "外街活动" not in client.get(f"/volunteers/{volunteer.pk}/").content.decode()
    assert not ServiceHours.objects.exists()


def test_who_may_not_enter_hours_gets_404(world, client_for):
    volunteer = make_volunteer(world, user=world.users["volunteer"])
    activity = make_activity(world)
    # The volunteer sees their profile but enters nothing; the street looks on; agency A's lead
    # manages volunteers but does not see this one.
    for persona in ("volunteer", "street_admin", "agency_admin", "social_worker_b"):
        client = client_for(persona)
        assert client.post(_url(volunteer), _data(activity)).status_code == 404, persona
    own = client_for("volunteer").get(f"/volunteers/{volunteer.pk}/").content.decode()
    assert 'data-testid="hours-entry-form"' not in own
    assert not ServiceHours.objects.exists()
