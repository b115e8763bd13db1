"""Case-work objects for the authorization matrix (tests/test_authorization_matrix.py).

Built through the services, so each is in a legal state: agency A's case of the matrix person,
in planning with a plan waiting for the supervisor (a goal, a task), a note with an attachment
and a household member; and a referral from an agency-B case to agency A, waiting for an answer.
"""

import datetime

from django.core.files.base import ContentFile
from django.utils import timezone

from shegong.cases import services
from shegong.cases.choices import CaseSource, ContactMethod, NeedDomain, NeedLevel, RiskLevel
from shegong.places.models import Community


def case_work_objects(world, person) -> dict:
    from shegong.people.services import consent_record, person_create

    worker = world.users["social_worker"]
    intake = timezone.localdate() - datetime.timedelta(days=400)
    case = services.case_open(
        actor=worker,
        client=person,
        source=CaseSource.WALK_IN,
        presenting_problem="矩阵测试个案",
        risk_level=RiskLevel.LOW,
        intake_date=intake,
    )
    services.assessment_record(
        actor=worker,
        case=case,
        assessed_on=intake,
        needs={NeedDomain.LIVELIHOOD: {"level": NeedLevel.SOME}},
        risk_level=RiskLevel.LOW,
        summary="矩阵测试预估",
    )
    plan = services.plan_create(
        actor=worker,
        case=case,
        goals=[{"description": "矩阵测试目标"}],
        tasks=[{"description": "矩阵测试任务", "due_date": intake, "goal": 0}],
    )
    review = services.plan_submit(actor=worker, plan=plan)
    note = services.note_add(
        actor=worker,
        case=case,
        contact_date=intake,
        duration_minutes=30,
        method=ContactMethod.PHONE,
        content="矩阵测试记录",
        attachments=[ContentFile(b"matrix", name="matrix.txt")],
    )
    client_file = services.client_file_save(actor=worker, person=person)
    member = services.household_member_add(
        actor=worker, client_file=client_file, name="矩阵家属", relation="父亲"
    )

    # Agency B refers one of its cases to agency A.
    worker_b = world.users["social_worker_b"]
    community_b = Community.objects.filter(street=world.other_street).order_by("code").first()
    person_b = person_create(
        actor=world.users["district_admin"],
        name="矩阵转介",
        id_type="passport",
        id_number="M7654321",
        community=community_b,
        owner_agency=world.agency_b,
    )
    consent = consent_record(
        actor=worker_b,
        person=person_b,
        kind="separate",
        scope="sharing",
        given_on=intake,
        given_by="矩阵转介",
    )
    case_b = services.case_open(
        actor=worker_b,
        client=person_b,
        source=CaseSource.OUTREACH,
        presenting_problem="矩阵测试转介",
        risk_level=RiskLevel.LOW,
        intake_date=intake,
    )
    referral = services.referral_create(
        actor=worker_b,
        case=case_b,
        reason="矩阵测试转介",
        summary_for_receiver="矩阵测试",
        consent=consent,
        to_agency=world.agency_a,
    )
    return {
        "case_a": case.pk,
        "plan_a": plan.pk,
        "task_a": plan.tasks.get().pk,
        "note_a": note.pk,
        "attachment_a": note.attachments.get().pk,
        "review_a": review.pk,
        "household_member_a": member.pk,
        "taiwan_item": "documents",
        "referral_to_a": referral.pk,
        "case_export": _finished_export(worker).pk,
    }


def _finished_export(owner):
    """A background export of the worker's, written and waiting for its one download."""
    from django.core.files.base import ContentFile

    from shegong.cases.models import CaseExport

    export = CaseExport.objects.create(owner=owner, status=CaseExport.Status.DONE, total=1)
    export.file.save("matrix.xlsx", ContentFile(b"xlsx"))
    return export


def case_sentinels(world, people: dict) -> list:
    """Agency B's cases of the people sentinels (shegong/people/tests/matrix.py): one in
    兴隆社区, whose existence its place roles see, one in another street, each with a plan
    waiting for agency B's supervisors. Only agency B's worker may find them by whose they are
    (client name, ID number, mobile)."""
    from shegong.core.testing.matrix import Sentinel

    worker_b = world.users["social_worker_b"]
    home_place = frozenset({"district_admin", "street_admin", "community_staff"})
    content = frozenset({"social_worker_b"})
    visible = {
        "case_other_agency": home_place | content,
        "case_other_street": frozenset({"district_admin"}) | content,
    }
    clients = {
        "case_other_agency": people["person_other_agency"],
        "case_other_street": people["person_other_street"],
    }
    sentinels = []
    for key, client in clients.items():
        case = services.case_open(
            actor=worker_b,
            client=client,
            source=CaseSource.OUTREACH,
            presenting_problem="哨兵个案",
            risk_level=RiskLevel.LOW,
            intake_date=timezone.localdate() - datetime.timedelta(days=30),
        )
        # A plan waiting for agency B's supervisors: the supervision queues show the case.
        services.assessment_record(
            actor=worker_b,
            case=case,
            assessed_on=case.intake_date,
            needs={NeedDomain.LIVELIHOOD: {"level": NeedLevel.SOME}},
            risk_level=RiskLevel.LOW,
            summary="哨兵预估",
        )
        plan = services.plan_create(
            actor=worker_b,
            case=case,
            goals=[{"description": "哨兵目标"}],
            tasks=[{"description": "哨兵任务", "due_date": case.intake_date, "goal": 0}],
        )
        services.plan_submit(actor=worker_b, plan=plan)
        sentinels.append(
            Sentinel(
                key=key,
                kind="case",
                pk=case.pk,
                path=f"/cases/{case.pk}/",
                texts=(case.number, client.name),
                visible_to=visible[key],
                searches={
                    case.number: visible[key],
                    client.name: content,
                    client.id_number: content,
                    client.mobile: content,
                },
            )
        )
    return sentinels
