"""The 公示 period is counted on the holiday calendar: a notice opened before 国庆 2025 ends
after the holiday, and the application page shows that date."""

import datetime

import pytest
from django.urls import reverse
from django.utils import translation

from shegong.talent.services import application_review
from shegong.talent.tests.factories import file_application, make_policy, make_worker

pytestmark = pytest.mark.django_db


def test_the_notice_skips_national_day_and_the_page_shows_its_end(client_for, world):
    worker = make_worker(world, user=world.users["social_worker"])
    application = file_application(world, make_policy(world, notice_days=5), worker)
    for persona in ("agency_admin", "street_admin"):
        application = application_review(
            actor=world.users[persona], application=application, decision="approve"
        )
    # The last approval on Friday 26 September 2025 opens five working days of notice: Sun 28
    # (调休上班), Mon 29, Tue 30, then Thu 9 and Fri 10 October after the eight days off.
    application = application_review(
        actor=world.users["district_admin"],
        application=application,
        decision="approve",
        on=datetime.date(2025, 9, 26),
    )
    assert application.notice_ends == datetime.date(2025, 10, 10)
    with translation.override("zh-hans"):
        page = client_for("social_worker").get(
            reverse("talent:application_detail", args=[application.pk])
        )
    notice = page.content.decode().split('data-testid="application-notice">')[1].split("<")[0]
    assert "2025年10月10日" in notice and "2025年9月26日" in notice
