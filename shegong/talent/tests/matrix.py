"""Talent for the authorization matrix (tests/test_authorization_matrix.py).

Objects: the demo social worker's profile at agency A (``talent_profile_a``), a policy
(``talent_policy_a``) and four of the worker's applications: one waiting for agency A's
director (``talent_app_review``), one returned for changes (``talent_app_returned``), one in
公示 with an open objection (``talent_app_notice``, ``talent_objection_a``) and one scheduled
with its payment (``talent_app_paid``, ``talent_payment_a``), and a continuing-education
entry the worker recorded with evidence (``talent_cpd_a``).

Sentinels: a worker of agency B (another street) and a resident of a neighbouring community
with no agency, each with a profile and an application, which only the district (and, for the
neighbour, the street) may find; and two organisations' own applications: agency A's, which its
director and its reviewers (the street, the district) find and its supervisor and social worker
do not, and agency B's, which only the district finds.
"""

import datetime

from shegong.core.testing.matrix import Sentinel
from shegong.places.models import Community
from shegong.talent.models import Payment
from shegong.talent.services import (
    application_review,
    notice_close,
    objection_record,
)
from shegong.talent.tests.factories import (
    file_application,
    make_person,
    make_policy,
    make_worker,
)


def _through(world, application, personas):
    for persona in personas:
        application = application_review(
            actor=world.users[persona],
            application=application,
            decision="return" if persona == "return" else "approve",
        )
    return application


def talent_objects(world) -> dict:
    worker = make_worker(world, user=world.users["social_worker"], name="矩阵社工")
    policies = [make_policy(world, name=f"矩阵政策{i}") for i in range(4)]
    review = file_application(world, policies[0], worker)
    returned = file_application(world, policies[1], worker)
    returned = application_review(
        actor=world.users["agency_admin"], application=returned, decision="return", comment="补充"
    )
    chain = ("agency_admin", "street_admin", "district_admin")
    notice = _through(world, file_application(world, policies[2], worker), chain)
    objection = objection_record(
        actor=world.users["street_admin"], application=notice, raised_by="矩阵", content="异议"
    )
    paid = _through(world, file_application(world, policies[3], worker), chain)
    paid = notice_close(
        actor=world.users["district_admin"],
        application=paid,
        on=paid.notice_ends + datetime.timedelta(days=1),
    )
    return {
        "talent_profile_a": worker.pk,
        "talent_policy_a": policies[0].pk,
        "talent_app_review": review.pk,
        "talent_app_returned": returned.pk,
        "talent_app_notice": notice.pk,
        "talent_objection_a": objection.pk,
        "talent_app_paid": paid.pk,
        "talent_payment_a": Payment.objects.get(application=paid).pk,
        "talent_cpd_a": _cpd_entry(worker).pk,
    }


def _cpd_entry(worker):
    from shegong.talent.services import cpd_add
    from shegong.talent.tests.factories import pdf, today

    return cpd_add(
        actor=worker.user, profile=worker, date=today(), hours="6", label="矩阵讲座", evidence=pdf()
    )


def talent_sentinels(world) -> list[Sentinel]:
    from shegong.talent.services import application_file, profile_create
    from shegong.talent.tests.factories import pdf

    admin = world.users["district_admin"]
    neighbour = (
        Community.objects.filter(street=world.home_street)
        .exclude(pk=world.home_community.pk)
        .order_by("code")
        .first()
    )
    policy = make_policy(world, name="哨兵政策", applicant_kind="resident", criteria=[])
    far = make_worker(world, agency=world.agency_b, name="哨兵人才乙")
    person = make_person(world, name="哨兵居民邻", community=neighbour)
    near = profile_create(actor=admin, person=person)
    marks = []
    for key, profile, name, visible in (
        ("talent_other_street", far, "哨兵人才乙", {"district_admin"}),
        ("talent_neighbour", near, "哨兵居民邻", {"district_admin", "street_admin"}),
    ):
        application = application_file(
            actor=admin, policy=policy, profile=profile, attachment=pdf()
        )
        visible = frozenset(visible)
        marks.append(
            Sentinel(
                key=f"{key}_profile",
                kind="talent_profile",
                pk=profile.pk,
                path=f"/talent/profiles/{profile.pk}/",
                texts=(name,),
                visible_to=visible,
                searches={name: visible},
            )
        )
        marks.append(
            Sentinel(
                key=f"{key}_application",
                kind="talent_application",
                pk=application.pk,
                path=f"/talent/applications/{application.pk}/",
                texts=(name, application.number),
                visible_to=visible,
                searches={name: visible, application.number: visible},
            )
        )
    marks.extend(_organisation_sentinels(world))
    return marks


def _organisation_sentinels(world) -> list[Sentinel]:
    from shegong.talent.tests.factories import file_for_agency, make_director, make_org_policy

    policy = make_org_policy(world, name="哨兵机构政策", criteria=[])
    director_b = make_director(world, world.agency_b, username="sentinel_director_b")
    marks = []
    for key, agency, actor, visible in (
        (
            "talent_agency_home",
            world.agency_a,
            world.users["agency_admin"],
            {"district_admin", "street_admin", "agency_admin"},
        ),
        ("talent_agency_other_street", world.agency_b, director_b, {"district_admin"}),
    ):
        application = file_for_agency(world, policy, agency, actor=actor)
        visible = frozenset(visible)
        marks.append(
            Sentinel(
                key=f"{key}_application",
                kind="talent_application",
                pk=application.pk,
                path=f"/talent/applications/{application.pk}/",
                texts=(application.number,),
                visible_to=visible,
                searches={application.number: visible},
            )
        )
    return marks
