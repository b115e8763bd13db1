"""Talent factories, built through the services so every row is what the services keep.

profile = make_worker(world, user=world.users["social_worker"], level="intermediate")
policy = make_policy(world, amounts={"flat": "5000"})
application = file_application(world, policy, profile)

Organisations: ``register_agency(world, agency, months_ago=24)``, ``make_tenant(world, agency)``,
``policy = make_org_policy(world)``, ``file_for_agency(world, policy, world.agency_a)``;
``make_director(world, world.agency_b)`` is agency B's director.
"""

import datetime
import itertools
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from shegong.people.services import person_create
from shegong.people.tests.factories import resident_id
from shegong.talent.services import (
    application_file,
    application_file_for_agency,
    employment_add,
    policy_create,
    profile_create,
    qualification_add,
    title_add,
)

_numbers = itertools.count(7100)


def pdf(name="form.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, b"%PDF-1.4 evidence", content_type="application/pdf")


def today() -> datetime.date:
    return timezone.localdate()


def make_person(
    world, *, name="张社工", birth_date=None, taiwan=False, community=None, owner_agency=None
):
    n = next(_numbers)
    birth_date = birth_date or datetime.date(1990, 5, 6)
    return person_create(
        actor=world.users["district_admin"],
        name=name,
        id_type="tw_permit" if taiwan else "resident_id",
        id_number=resident_id(n, birth_date=birth_date, area="830000" if taiwan else "350206"),
        community=community or world.home_community,
        owner_agency=owner_agency,
    )


def make_worker(
    world,
    *,
    user=None,
    agency=None,
    level="intermediate",
    obtained=datetime.date(2020, 6, 1),
    employed_since=datetime.date(2020, 1, 1),
    birth_date=None,
    name="张社工",
    registration_start=None,
):
    admin = world.users["district_admin"]
    agency = agency or world.agency_a
    person = make_person(world, name=name, birth_date=birth_date)
    profile = profile_create(
        actor=admin,
        person=person,
        user=user,
        agency=agency,
        registration_start=registration_start,
    )
    if level:
        qualification_add(
            actor=admin,
            profile=profile,
            level=level,
            certificate_no=f"C{next(_numbers)}",
            obtained_on=obtained,
        )
    if employed_since:
        employment_add(actor=admin, profile=profile, agency=agency, started_on=employed_since)
    return profile


def make_resident(world, *, name="林台胞", business=True, birth_date=datetime.date(1995, 3, 3)):
    person = make_person(world, name=name, taiwan=True, birth_date=birth_date)
    return profile_create(
        actor=world.users["district_admin"],
        person=person,
        business_name="台青咖啡工作室" if business else "",
        business_community=world.home_community if business else None,
    )


def grant_title(world, profile, *, title="leading", tier="city", year=None):
    return title_add(
        actor=world.users["district_admin"],
        profile=profile,
        title=title,
        tier=tier,
        year=year or today().year,
    )


def make_policy(world, **overrides):
    data = {
        "name": "测试奖励",
        "year": today().year,
        "budget": Decimal("100000"),
        "opens_on": today() - datetime.timedelta(days=30),
        "closes_on": today() + datetime.timedelta(days=30),
        "amount_basis": "flat",
        "amounts": {"flat": "5000"},
        "notice_days": 5,
        "criteria": [{"kind": "qualification_min", "params": {"level": "assistant"}}],
        "steps": ["agency_admin", "street_admin", "district_admin"],
        "requires_attachment": True,
    }
    data.update(overrides)
    return policy_create(actor=world.users["district_admin"], district=world.district, **data)


def file_application(world, policy, profile, *, actor=None):
    actor = actor or profile.user or world.users["agency_admin"]
    return application_file(
        actor=actor, policy=policy, profile=profile, statement="申请说明", attachment=pdf()
    )


def months_ago(months: int, *, day=None) -> datetime.date:
    """The same day of the month ``months`` months before ``day`` (today)."""
    from shegong.talent.services.common import add_months

    return add_months(day or today(), -months)


def register_agency(world, agency, *, months_ago_: int | None = 24, on=None):
    """Record the agency's registration date through the agencies' service."""
    from shegong.agencies.services import agency_update

    registered = on or (months_ago(months_ago_) if months_ago_ is not None else None)
    return agency_update(
        actor=world.users["district_admin"], agency=agency, registered_on=registered
    )


def make_tenant(world, agency, *, start=None, end=None, code=None):
    """An active tenancy of ``agency`` in a park of the home community (through the park's
    services): from a year ago to two years ahead unless told."""
    from shegong.park.models import Park
    from shegong.park.services import contract_activate, contract_create, park_create, unit_create

    admin = world.users["district_admin"]
    park = Park.objects.filter(name="测试服务园").first() or park_create(
        actor=admin, community=world.home_community, name="测试服务园"
    )
    unit = unit_create(
        actor=admin,
        park=park,
        code=code or f"T{next(_numbers)}",
        kind="room",
        floor=1,
        area=Decimal("20"),
        rent_basis="per_m2",
        rent_rate=Decimal("40"),
    )
    contract = contract_create(
        actor=admin,
        park=park,
        units=[unit],
        agency=agency,
        start_date=start or months_ago(12),
        end_date=end or today() + datetime.timedelta(days=730),
    )
    return contract_activate(actor=admin, contract=contract)


def make_director(world, agency, *, username="director_b"):
    """A director (agency_admin) of ``agency``, created and granted by the district."""
    from shegong.accounts.services import role_grant, user_create

    admin = world.users["district_admin"]
    user = user_create(actor=admin, username=username, password="Director-b-2026!")
    role_grant(actor=admin, user=user, role="agency_admin", node=agency)
    return user


ORG_CRITERIA = [
    {"kind": "agency_registered_months", "params": {"months": 12}},
    {"kind": "park_tenant", "params": {}},
    {"kind": "not_paid_before", "params": {}},
]


def make_org_policy(world, **overrides):
    data = {
        "name": "园区租金减免",
        "applicant_kind": "organisation",
        "amounts": {"flat": "12000"},
        "criteria": ORG_CRITERIA,
        "steps": ["street_admin", "district_admin"],
    }
    data.update(overrides)
    return make_policy(world, **data)


def file_for_agency(world, policy, agency, *, actor=None):
    return application_file_for_agency(
        actor=actor or world.users["agency_admin"],
        policy=policy,
        agency=agency,
        statement="入驻服务园，申请租金减免。",
        attachment=pdf(),
    )
