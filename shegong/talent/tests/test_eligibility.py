"""Eligibility in bulk: the facts of many people in a constant number of queries, the policy's
amount table and caps, and continuing-education hours from every registered source."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from shegong.core import registry
from shegong.core.registry import CpdCredit
from shegong.talent.cpd import cpd_status, period_containing
from shegong.talent.eligibility import (
    evaluate_many,
    evaluate_policy,
    load_facts,
    policies_with_criteria,
)
from shegong.talent.services import cpd_add
from shegong.talent.services.profiles import cpd_review
from shegong.talent.tests.factories import (
    grant_title,
    make_policy,
    make_resident,
    make_worker,
    pdf,
    today,
)

pytestmark = pytest.mark.django_db


def queries_for(count, world):
    ids = [make_worker(world, name=f"批量{count}-{i}").pk for i in range(count)]
    policies = policies_with_criteria()
    with CaptureQueriesContext(connection) as captured:
        facts = load_facts(ids, district_id=world.district.pk)
        results = evaluate_many(policies, facts, today())
    assert len(results) == count * len(policies)
    return len(captured)


def test_the_query_count_does_not_grow_with_the_workers(world):
    make_policy(world)
    make_policy(
        world, name="住房", criteria=[{"kind": "employed_months", "params": {"months": 12}}]
    )
    assert queries_for(2, world) == queries_for(12, world) == 5


def test_amount_by_level_and_by_title(world):
    worker = make_worker(world, level="senior")
    by_level = make_policy(
        world,
        amount_basis="level",
        amounts={"assistant": "5000", "intermediate": "10000", "senior": "20000"},
    )
    by_title = make_policy(
        world,
        amount_basis="title",
        amounts={"leading": "100000", "top": "50000"},
        criteria=[{"kind": "title_held", "params": {}}],
    )
    grant_title(world, worker, title="top", tier="district")
    facts = load_facts([worker.pk], district_id=world.district.pk)[worker.pk]
    policies = {p.pk: p for p in policies_with_criteria()}
    assert evaluate_policy(policies[by_level.pk], facts, today()).amount == Decimal("20000")
    result = evaluate_policy(policies[by_title.pk], facts, today())
    assert result.eligible and result.amount == Decimal("50000")


def test_a_taiwan_startup_qualifies_with_permit_and_business(world):
    policy = make_policy(
        world,
        applicant_kind="resident",
        criteria=[
            {"kind": "taiwan_permit", "params": {}},
            {"kind": "business_in_district", "params": {}},
            {"kind": "age_max", "params": {"age": 45}},
        ],
    )
    resident = make_resident(world)
    no_business = make_resident(world, name="陈台胞", business=False)
    policies = {p.pk: p for p in policies_with_criteria()}
    facts = load_facts([resident.pk, no_business.pk], district_id=world.district.pk)
    assert evaluate_policy(policies[policy.pk], facts[resident.pk], today()).eligible
    refused = evaluate_policy(policies[policy.pk], facts[no_business.pk], today())
    assert not refused.eligible
    assert [v.kind for v in refused.reasons] == ["business_in_district"]


def test_lifetime_cap_counts_what_was_committed(world):
    from shegong.talent.services import application_review
    from shegong.talent.tests.factories import file_application

    policy = make_policy(world, lifetime_cap="5000", criteria=[])
    worker = make_worker(world, user=world.users["social_worker"])
    application = file_application(world, policy, worker)
    for persona in ("agency_admin", "street_admin", "district_admin"):
        application = application_review(
            actor=world.users[persona], application=application, decision="approve"
        )
    facts = load_facts([worker.pk], district_id=world.district.pk)[worker.pk]
    result = evaluate_policy(policies_with_criteria()[0], facts, today())
    assert not result.eligible
    assert [v.kind for v in result.reasons] == ["lifetime_cap"]


def test_cpd_sums_manual_entries_and_other_sources_in_the_period(world, monkeypatch):
    worker = make_worker(
        world,
        user=world.users["social_worker"],
        level="assistant",
        registration_start=today() - datetime.timedelta(days=400),
    )
    entry = cpd_add(
        actor=worker.user,
        profile=worker,
        date=today(),
        hours="12",
        label="督导培训",
        evidence=pdf(),
    )
    # Hand-recorded hours count once accepted (test_cpd_review.py has the other cases).
    cpd_review(actor=world.users["agency_admin"], entry=entry, decision="accepted")
    monkeypatch.setitem(
        registry._cpd_sources,
        "academy",
        lambda ids: [
            CpdCredit(worker.person_id, today(), Decimal("30"), "中级班", "academy")
            for pid in ids
            if pid == worker.person_id
        ],
    )
    status = cpd_status(worker, today())
    assert status.required == Decimal("72")
    assert status.earned == Decimal("42")
    assert status.missing == Decimal("30")
    assert {c.source for c in status.credits} == {"talent", "academy"}


def test_cpd_refuses_an_entry_without_evidence(world):
    from django.core.exceptions import ValidationError

    from shegong.talent.models import CpdEntry

    worker = make_worker(world, user=world.users["social_worker"])
    with pytest.raises(ValidationError) as error:
        cpd_add(actor=worker.user, profile=worker, date=today(), hours="x", label="", evidence=None)
    assert set(error.value.message_dict) >= {"hours", "evidence", "label"}
    assert not CpdEntry.objects.exists()


def test_registration_periods_roll_every_three_years():
    first = datetime.date(2018, 3, 1)
    assert period_containing(first, datetime.date(2026, 12, 1)) == (
        datetime.date(2024, 3, 1),
        datetime.date(2027, 2, 28),
    )
    assert period_containing(first, datetime.date(2021, 2, 28))[0] == first
