"""Demo talent and subsidies: social workers of the demo agencies with qualifications, titles,
employment and continuing-education hours; the district's six talent policies, a grant for new
organisations and a top-talent selection round; applications at every step of their review
chains (one in 公示, one paid, one returned, one rejected), a Taiwan compatriot's start-up
application, and two agencies applying for themselves (agency A, a park tenant, for the park's
rent relief; agency B for the new organisation's grant). Written through the services, by the
demo logins, and dated relative to today.

The logins' profiles (``social_worker`` at agency A, ``social_worker_b`` at agency B) are the
ones the demo users sign in with: ``social_worker`` sees what they qualify for and why.
"""

import datetime
from decimal import Decimal

from django.core.files.base import ContentFile
from django.utils import timezone

from shegong.people.models import Person
from shegong.talent.models import Policy
from shegong.talent.services import (
    application_file,
    application_file_for_agency,
    application_review,
    cpd_add,
    employment_add,
    notice_close,
    objection_record,
    objection_resolve,
    payment_record,
    policy_create,
    profile_create,
    qualification_add,
    title_add,
)
from shegong.talent.services.profiles import cpd_review

# The six subsidy policies of the issue; the demo adds a grant for new organisations and a
# top-talent selection round.
SUBSIDIES = ("reward", "retention", "leading", "housing", "taiwan", "park")

# key (a login, or a role in the stories), agency index, level, certificate year, months
# employed, title. The people are demo residents born 1986–2000 (the people step's), so the
# district's register holds one identity each.
WORKERS = (
    ("social_worker", 0, "intermediate", 2019, 30, ""),
    ("social_worker_b", 1, "assistant", 2023, 8, ""),
    ("senior", 0, "senior", 2014, 96, "leading"),
    ("top", 0, "intermediate", 2017, 60, "top"),
    ("newcomer", 0, "assistant", 2024, 13, ""),
    ("retained", 0, "intermediate", 2021, 26, ""),
    ("housing", 0, "assistant", 2022, 20, ""),
    ("other_agency", 2, "intermediate", 2018, 48, ""),
    ("taiwan_worker", 0, "taiwan", 2015, 40, ""),
)


def _pdf(name: str) -> ContentFile:
    return ContentFile(b"%PDF-1.4 demo\n", name=name)


def _demo_residents(count: int) -> list[Person]:
    return list(
        Person.objects.filter(
            id_type="resident_id",
            birth_date__range=(datetime.date(1986, 1, 1), datetime.date(2000, 12, 31)),
            talent_profile__isnull=True,
        ).order_by("pk")[:count]
    )


def _months_ago(today, months):
    month = today.month - 1 - months
    year = today.year + month // 12
    return datetime.date(year, month % 12 + 1, min(today.day, 28))


def _workers(world, admin, today) -> dict:
    profiles = {}
    people = _demo_residents(len(WORKERS))
    for index, ((key, agency_index, level, year, months, title), person) in enumerate(
        zip(WORKERS, people, strict=False), start=1
    ):
        agency = world.agencies[agency_index]
        user = world.users.get(key) if key in ("social_worker", "social_worker_b") else None
        profile = profile_create(
            actor=admin,
            person=person,
            user=user,
            agency=agency,
            registration_start=datetime.date(max(year, today.year - 2), 1, 1),
        )
        qualification_add(
            actor=admin,
            profile=profile,
            level=level,
            certificate_no=f"{'TW' if level == 'taiwan' else 'S'}{year}{350206 + index:07d}",
            obtained_on=datetime.date(year, 6, 20),
            subjects=f"{year} 综合能力、实务" + ("、法规与政策" if level != "assistant" else ""),
        )
        employment_add(
            actor=admin,
            profile=profile,
            agency=agency,
            started_on=_months_ago(today, months),
            position="一线社工" if level in ("assistant", "taiwan") else "项目主管",
        )
        if title:
            title_add(
                actor=admin,
                profile=profile,
                title=title,
                tier="city" if title == "leading" else "district",
                year=today.year - 1,
                years=3,
            )
        for hours, label, days in ((12, "个案督导专题培训", 200), (6, "社区治理讲座", 40)):
            entry = cpd_add(
                actor=user or admin,
                profile=profile,
                date=today - datetime.timedelta(days=days + index),
                hours=Decimal(hours + index % 3),
                label=label,
                evidence=_pdf(f"cpd-{index}-{days}.pdf"),
            )
            # The older hours were accepted on their evidence; the recent ones wait for review.
            if days == 200:
                cpd_review(actor=admin, entry=entry, decision="accepted")
        profiles[key] = profile
    return profiles


def _policies(world, admin, today, *, keys=None) -> dict:
    """The demo policies (``keys``: some of them, e.g. the six subsidies without the selection
    round), created through ``policy_create``."""
    window = {
        "year": today.year,
        "opens_on": today - datetime.timedelta(days=90),
        "closes_on": today + datetime.timedelta(days=60),
    }
    chain = ["agency_admin", "street_admin", "district_admin"]
    specs = {
        "reward": dict(
            name="社工人才奖励",
            description="持证社工按职业资格等级一次性奖励。",
            budget=Decimal("200000"),
            amount_basis="level",
            amounts={"assistant": "1000", "intermediate": "2000", "senior": "3000"},
            criteria=[
                {
                    "kind": "qualification_min",
                    "params": {"level": "assistant", "taiwan_as": "intermediate"},
                },
                {"kind": "employed_months", "params": {"months": 0}},
                {"kind": "not_paid_before", "params": {}},
            ],
            steps=chain,
        ),
        "retention": dict(
            name="新入职留任补贴",
            description="新入职社工在本区机构连续工作满一年，按等级一次性补贴。",
            budget=Decimal("300000"),
            amount_basis="level",
            amounts={"assistant": "5000", "intermediate": "10000", "senior": "20000"},
            criteria=[
                {"kind": "qualification_min", "params": {"level": "assistant"}},
                {"kind": "employed_months", "params": {"months": 12}},
                {"kind": "not_paid_before", "params": {}},
            ],
            steps=chain,
        ),
        "leading": dict(
            name="领军人才奖励",
            description="获评领军人才、拔尖人才的社工给予一次性奖励。",
            budget=Decimal("500000"),
            amount_basis="title",
            amounts={"leading": "50000", "top": "20000"},
            criteria=[
                {"kind": "title_held", "params": {}},
                {"kind": "cumulative_cap", "params": {"cap": "50000"}},
            ],
            steps=chain,
        ),
        "housing": dict(
            name="住房保障",
            description="在本区机构工作的持证社工每月住房补贴，连续发放36个月。",
            budget=Decimal("600000"),
            amount_basis="level",
            amounts={"assistant": "80", "intermediate": "150", "senior": "200"},
            payment_mode="monthly",
            months=36,
            criteria=[
                {"kind": "qualification_min", "params": {"level": "assistant"}},
                {"kind": "employed_months", "params": {"months": 6}},
                {"kind": "age_max", "params": {"age": 40}},
            ],
            steps=chain,
        ),
        "taiwan": dict(
            name="台胞青年创业补贴",
            description="在本区注册创业的台湾青年一次性创业补贴。",
            budget=Decimal("150000"),
            applicant_kind="resident",
            amounts={"flat": "30000"},
            criteria=[
                {"kind": "taiwan_permit", "params": {}},
                {"kind": "business_in_district", "params": {}},
                {"kind": "age_max", "params": {"age": 45}},
                {"kind": "not_paid_before", "params": {}},
            ],
            steps=["street_admin", "district_admin"],
        ),
        "park": dict(
            name="社会组织服务园租金减免",
            description="入驻社会组织服务园、在本区登记满一年的社会组织，由机构负责人以机构名义"
            "申请年度租金减免。",
            budget=Decimal("120000"),
            applicant_kind="organisation",
            amounts={"flat": "12000"},
            criteria=[
                {"kind": "agency_registered_months", "params": {"months": 12}},
                {"kind": "park_tenant", "params": {}},
                {"kind": "not_paid_before", "params": {}},
            ],
            steps=["street_admin", "district_admin"],
        ),
        "new_org": dict(
            name="新办社会组织补贴",
            description="在本区登记满6个月、不超过3年的新办社会组织，一次性开办补贴。",
            budget=Decimal("200000"),
            applicant_kind="organisation",
            amounts={"flat": "20000"},
            criteria=[
                {"kind": "agency_registered_months", "params": {"months": 6, "at_most": 36}},
                {"kind": "not_paid_before", "params": {}},
            ],
            steps=["street_admin", "district_admin"],
        ),
        "selection": dict(
            name="拔尖人才评选",
            description="由机构提名中级及以上社工参评区级拔尖人才，获评者授予称号三年。",
            kind="selection",
            applicant_kind="agency",
            budget=Decimal("0"),
            amounts={},
            grants_title="top",
            grants_tier="district",
            title_years=3,
            criteria=[
                {"kind": "qualification_min", "params": {"level": "intermediate"}},
                {"kind": "employed_months", "params": {"months": 24}},
            ],
            steps=chain,
        ),
    }
    return {
        key: policy_create(actor=admin, district=world.district, **window, **spec)
        for key, spec in specs.items()
        if keys is None or key in keys
    }


def _review(world, application, personas, *, on=None, decision="approve", comment=""):
    for persona in personas:
        application = application_review(
            actor=world.users[persona],
            application=application,
            decision=decision if persona == personas[-1] else "approve",
            comment=comment if persona == personas[-1] else "",
            on=on,
        )
    return application


def _applications(world, profiles, policies, today):
    users = world.users
    director = users["agency_admin"]
    admin = users["district_admin"]

    def file(policy, profile, actor, statement):
        return application_file(
            actor=actor,
            policy=policies[policy],
            profile=profile,
            statement=statement,
            attachment=_pdf(f"{policy}-{profile.pk}.pdf"),
        )

    # Paid: the senior worker's reward went through 公示 last month and was paid.
    paid = file("reward", profiles["senior"], director, "本人持高级社会工作师证书，申请人才奖励。")
    past = today - datetime.timedelta(days=30)
    paid = _review(world, paid, ["agency_admin", "street_admin", "district_admin"], on=past)
    paid = notice_close(actor=admin, application=paid, on=paid.notice_ends + datetime.timedelta(1))
    payment_record(
        actor=admin,
        payment=paid.payments.get(),
        paid_on=paid.notice_ends + datetime.timedelta(days=3),
        reference="湖财拨〔2026〕18号",
    )
    # In 公示 now, with an objection dismissed.
    notice = file("retention", profiles["retained"], director, "入职满两年，申请留任补贴。")
    notice = _review(world, notice, ["agency_admin", "street_admin", "district_admin"])
    objection = objection_record(
        actor=users["street_admin"],
        application=notice,
        raised_by="来电群众",
        content="反映申请人曾在外区机构任职。",
    )
    objection_resolve(
        actor=admin,
        objection=objection,
        upheld=False,
        resolution="经核实，申请人现任机构在本区登记，连续工作满一年，异议不成立。",
    )
    # Waiting for the district, the street and agency A's director.
    _review(
        world,
        file("housing", profiles["top"], director, "申请住房保障。"),
        ["agency_admin", "street_admin"],
    )
    _review(
        world, file("reward", profiles["retained"], director, "申请人才奖励。"), ["agency_admin"]
    )
    file("reward", profiles["social_worker"], users["social_worker"], "本人持社会工作师证书。")
    file("leading", profiles["top"], director, "获评区级拔尖人才，申请奖励。")
    # Returned for changes, and rejected.
    _review(
        world,
        file("housing", profiles["housing"], director, "申请住房保障。"),
        ["agency_admin", "street_admin"],
        decision="return",
        comment="请补充本人无自有住房的承诺书。",
    )
    _review(
        world,
        file("retention", profiles["newcomer"], director, "入职满一年。"),
        ["agency_admin"],
        decision="reject",
        comment="申请人此前已在本区另一机构领取过留任补贴，不重复享受。",
    )
    # A nomination for the top-talent round, and the Taiwan compatriot's start-up.
    _review(world, file("selection", profiles["social_worker"], director, "推荐参评拔尖人才。"), [])
    # The Taiwan compatriot of the case stories opens a studio in the district.
    compatriot = Person.objects.filter(id_type="tw_permit", talent_profile__isnull=True).first()
    if compatriot is None:
        return
    startup = profile_create(
        actor=admin,
        person=compatriot,
        business_name="宜蓁文创工作室",
        business_community=world.home_community,
    )
    qualification_add(
        actor=admin,
        profile=startup,
        level="taiwan",
        certificate_no="TW2020-0451",
        obtained_on=datetime.date(2020, 8, 1),
    )
    _review(
        world,
        file("taiwan", startup, admin, "在湖里区注册文创工作室，申请台胞青年创业补贴。"),
        ["street_admin"],
    )


# When the demo agencies were registered (months ago), by index: the demo agency long ago and
# in the park for four years (rent relief); the second agency new, in its free years in the
# park (a new organisation's grant). The agencies step leaves the dates empty.
REGISTERED_MONTHS_AGO = {0: 70, 1: 14}


def _organisations(world, policies, today):
    """The demo agencies' registration dates (through the agencies' service), and each
    director's application for their agency: agency A's for the park's rent relief waits for
    the district, agency B's for the new-organisation grant for the street."""
    from shegong.agencies.services import agency_update

    admin = world.users["district_admin"]
    for index, months in REGISTERED_MONTHS_AGO.items():
        agency = world.agencies[index]
        if agency.registered_on is None:
            agency_update(actor=admin, agency=agency, registered_on=_months_ago(today, months))
    filed = 0
    for policy, agency, director, reviewers, statement in (
        (
            "park",
            world.agency_a,
            "agency_admin",
            ["street_admin"],
            "本机构入驻服务园A201室，申请本年度租金减免。",
        ),
        ("new_org", world.agency_b, "agency_admin_b", [], "本机构成立一年，申请新办社会组织补贴。"),
    ):
        if director not in world.users:
            continue  # the other agencies' directors are not in this world
        application = application_file_for_agency(
            actor=world.users[director],
            policy=policies[policy],
            agency=agency,
            statement=statement,
            attachment=_pdf(f"{policy}-{agency.pk}.pdf"),
        )
        _review(world, application, reviewers)
        filed += 1
    return filed


def build(world) -> None:
    if Policy.objects.exists():
        return
    today = timezone.localdate()
    admin = world.users["district_admin"]
    profiles = _workers(world, admin, today)
    if len(profiles) < len(WORKERS):
        return  # too few demo residents (a trimmed demo): no stories
    policies = _policies(world, admin, today)
    _applications(world, profiles, policies, today)
    organisations = _organisations(world, policies, today)
    world.report.append(
        f"talent: {len(WORKERS)} social workers with qualifications, titles and hours; "
        f"{len(policies)} policies; applications at every review step (one in 公示, one paid); "
        f"{organisations} park tenants' applications for their organisations"
    )
