"""The holiday calendar page and API: district administrators list, add and delete days; field
errors in Chinese and nothing written; everyone else gets 404; every change is in the history."""

import datetime

import pytest
from auditlog.models import LogEntry
from django.urls import reverse
from django.utils import translation

from shegong.core.models import CalendarDay

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def chinese():
    with translation.override("zh-hans"):
        yield


def test_the_page_lists_the_years_days(client_for):
    page = client_for("district_admin").get(reverse("core:calendar") + "?year=2025")
    text = page.content.decode()
    assert page.status_code == 200
    assert "国庆节、中秋节调休上班" in text and "2025-10-11" in text
    assert "2024-10-12" not in text


@pytest.mark.parametrize("persona", ["street_admin", "agency_admin", "auditor", "social_worker"])
def test_others_get_404(client_for, persona):
    client = client_for(persona)
    assert client.get(reverse("core:calendar")).status_code == 404
    day = CalendarDay.objects.get(date=datetime.date(2025, 10, 1))
    assert client.post(reverse("core:calendar_delete", args=[day.pk])).status_code == 404
    assert CalendarDay.objects.filter(pk=day.pk).exists()


def test_adding_a_day_from_the_page(client_for):
    client = client_for("district_admin")
    answer = client.post(
        reverse("core:calendar_new"), {"date": "2027-01-01", "kind": "holiday", "name": "元旦"}
    )
    assert answer.status_code == 302
    day = CalendarDay.objects.get(date=datetime.date(2027, 1, 1))
    assert (day.kind, day.name) == ("holiday", "元旦")
    entry = LogEntry.objects.get_for_object(day).get()
    assert entry.actor.username == "district_admin"


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        (
            {"date": "2025-10-01", "kind": "holiday", "name": "国庆"},
            "date",
            "2025-10-01 已在日历上；如需修改请先删除。",
        ),
        (
            {"date": "2027-01-06", "kind": "workday", "name": "调休"},
            "kind",
            "调休上班日应为周六或周日；2027-01-06 是工作日。",
        ),
        ({"date": "2027-01-01", "kind": "holiday", "name": "  "}, "name", "这个字段是必填项。"),
    ],
)
def test_refusals_name_the_field_and_write_nothing(client_for, data, field, message):
    before = CalendarDay.objects.count()
    answer = client_for("district_admin").post(reverse("core:calendar_new"), data)
    assert answer.status_code == 400
    assert message in answer.context["form"].errors[field]
    assert CalendarDay.objects.count() == before


def test_deleting_a_day_from_the_page_is_in_the_history(client_for):
    day = CalendarDay.objects.get(date=datetime.date(2026, 10, 10))
    answer = client_for("district_admin").post(reverse("core:calendar_delete", args=[day.pk]))
    assert answer.status_code == 302
    assert not CalendarDay.objects.filter(pk=day.pk).exists()
    assert LogEntry.objects.filter(
        content_type__model="calendarday", object_pk=str(day.pk), action=LogEntry.Action.DELETE
    ).exists()


def test_a_day_added_twice_at_once_is_refused_not_a_500(world, monkeypatch):
    """The second of two simultaneous additions passes the check before the first commits:
    the database's uniqueness refuses it, said like the check says it."""
    from django.core.exceptions import ValidationError

    from shegong.core import services

    day = datetime.date(2026, 12, 19)
    services.calendar_day_add(
        actor=world.users["district_admin"], date=day, kind="workday", name="第一次"
    )
    real_filter = CalendarDay.objects.filter
    monkeypatch.setattr(
        CalendarDay.objects,
        "filter",
        lambda **kw: real_filter(pk__in=[]) if "date" in kw else real_filter(**kw),
    )
    with pytest.raises(ValidationError) as refused:
        services.calendar_day_add(
            actor=world.users["district_admin"], date=day, kind="workday", name="第二次"
        )
    assert "已在日历上" in refused.value.message_dict["date"][0]
    assert CalendarDay.objects.get(date=day).name == "第一次"


def test_a_day_deleted_twice_is_not_found_the_second_time(world):
    from django.http import Http404

    from shegong.core import services

    day = CalendarDay.objects.get(date=datetime.date(2026, 10, 10))
    services.calendar_day_delete(actor=world.users["district_admin"], day=day)
    with pytest.raises(Http404):
        services.calendar_day_delete(actor=world.users["district_admin"], day=day)
    assert (
        LogEntry.objects.filter(content_type__model="calendarday", object_pk=str(day.pk)).count()
        == 1
    )


def test_the_api_lists_adds_refuses_and_deletes(client_for):
    client = client_for("district_admin")
    listed = client.get("/api/v1/calendar/days?year=2026&limit=100").json()
    assert {row["date"] for row in listed["items"]} >= {"2026-02-14", "2026-02-28"}
    created = client.post(
        "/api/v1/calendar/days",
        {"date": "2027-02-06", "kind": "workday", "name": "春节调休上班"},
        content_type="application/json",
    )
    assert created.status_code == 201 and created.json()["kind_label"] == "调休上班"
    refused = client.post(
        "/api/v1/calendar/days",
        {"date": "2027-02-08", "kind": "workday", "name": "调休"},
        content_type="application/json",
    )
    assert refused.status_code == 400
    assert refused.json()["errors"]["kind"] == ["调休上班日应为周六或周日；2027-02-08 是工作日。"]
    assert not CalendarDay.objects.filter(date=datetime.date(2027, 2, 8)).exists()
    day_id = created.json()["id"]
    assert client.delete(f"/api/v1/calendar/days/{day_id}").status_code == 204
    assert client.delete(f"/api/v1/calendar/days/{day_id}").status_code == 404
    assert client_for("street_admin").get("/api/v1/calendar/days").status_code == 404


@pytest.mark.parametrize("year", ["0", "x", "99999"])
def test_a_year_out_of_range_shows_this_year(client_for, year):
    page = client_for("district_admin").get(reverse("core:calendar") + f"?year={year}")
    assert page.status_code == 200 and page.context["year"] == datetime.date.today().year
