"""Reviewers acting at the same moment, on both databases: the application's row lock (and on
SQLite the immediate write transaction) lets one move through and tells the others why not; the
policy's lock keeps the budget; the unique instalment keeps one schedule. Counts outcomes, never
time."""

import datetime
import threading
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connections

from shegong.talent.models import Application, Payment, Policy, Review
from shegong.talent.services import application_review, notice_close
from shegong.talent.tests.factories import file_application, make_policy, make_worker

AT_ONCE = 4


def race(target, count=AT_ONCE):
    start = threading.Barrier(count)
    outcomes, errors = [], []

    def run(index):
        try:
            start.wait()
            target(index)
            outcomes.append("ok")
        except ValidationError:
            outcomes.append("refused")
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(repr(exc))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return sorted(outcomes), errors


def to_district(world, application):
    for persona in ("agency_admin", "street_admin"):
        application = application_review(
            actor=world.users[persona], application=application, decision="approve"
        )
    return application


@pytest.mark.django_db(transaction=True)
def test_final_approvals_at_once_commit_the_money_once(world):
    worker = make_worker(world, user=world.users["social_worker"])
    policy = make_policy(world)
    application = to_district(world, file_application(world, policy, worker))
    district = world.users["district_admin"]

    def approve(_index):
        application_review(
            actor=district,
            application=Application.objects.get(pk=application.pk),
            decision="approve",
        )

    outcomes, errors = race(approve)
    assert errors == []
    assert outcomes == ["ok"] + ["refused"] * (AT_ONCE - 1)
    policy.refresh_from_db()
    assert policy.committed == Decimal("5000.00")
    assert Review.objects.filter(application=application, role="district_admin").count() == 1


@pytest.mark.django_db(transaction=True)
def test_notice_closed_at_once_schedules_one_payment(world):
    worker = make_worker(world, user=world.users["social_worker"])
    policy = make_policy(world)
    application = to_district(world, file_application(world, policy, worker))
    application = application_review(
        actor=world.users["district_admin"], application=application, decision="approve"
    )
    later = application.notice_ends + datetime.timedelta(days=1)

    def close(_index):
        notice_close(
            actor=world.users["district_admin"],
            application=Application.objects.get(pk=application.pk),
            on=later,
        )

    outcomes, errors = race(close)
    assert errors == []
    assert outcomes == ["ok"] + ["refused"] * (AT_ONCE - 1)
    assert Payment.objects.filter(application=application).count() == 1


@pytest.mark.django_db(transaction=True)
def test_approvals_of_different_applications_never_overdraw_the_budget(world):
    policy = make_policy(world, budget=Decimal("10000"))
    applications = [
        to_district(world, file_application(world, policy, make_worker(world, name=f"并发社工{i}")))
        for i in range(AT_ONCE)
    ]
    district = world.users["district_admin"]

    def approve(index):
        application_review(
            actor=district,
            application=Application.objects.get(pk=applications[index].pk),
            decision="approve",
        )

    outcomes, errors = race(approve)
    assert errors == []
    assert outcomes == ["ok", "ok"] + ["refused"] * (AT_ONCE - 2)
    policy = Policy.objects.get(pk=policy.pk)
    assert policy.committed == Decimal("10000.00")
    assert Application.objects.filter(status="in_notice").count() == 2
