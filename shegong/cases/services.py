"""Writes to case work. Pages, the API and the legacy import all come through here.

Every step asks the state machine (``cases.state``) first, checks the actor's scope on the case,
validates dates and content, saves, and writes the case's own history (``CaseEvent``) next to the
audit log. Refusals are ``ValidationError`` with field-level messages; nothing is written.
"""

import datetime

from auditlog.context import set_actor
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from shegong.cases import state
from shegong.cases.choices import (
    Attainment,
    CaseSource,
    CaseStatus,
    ClosureReason,
    EventKind,
    NeedDomain,
    NeedLevel,
    PlanStatus,
    ReferralStatus,
    ReviewKind,
    ReviewStatus,
    TaiwanItem,
)
from shegong.cases.models import (
    CASE_LEADS,
    CASE_WORKERS,
    Assessment,
    Case,
    CaseEvent,
    ClientFile,
    Evaluation,
    HouseholdMember,
    NoteAttachment,
    NoteComment,
    PlanGoal,
    PlanTask,
    Referral,
    Review,
    ServiceNote,
    ServicePlan,
    TaiwanFileItem,
)
from shegong.core.scope import CHANGE, CONTENT, VIEW, user_assignments
from shegong.notifications.services import notify
from shegong.people.choices import ConsentScope, IdType
from shegong.people.models import Person

MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024


# --- helpers ---------------------------------------------------------------------------------


def today() -> datetime.date:
    return timezone.localdate()


def _require(actor, obj, action: str = CHANGE) -> None:
    """The actor may act on this row: the same for_user check the views make."""
    if not type(obj).objects.for_user(actor, action).filter(pk=obj.pk).exists():
        raise PermissionDenied


def _check_date(value, *, field: str, not_before: datetime.date | None, label: str) -> dict:
    if value is None:
        return {field: [_("Enter the date.")]}
    if value > today():
        return {field: [_("%(label)s cannot be in the future.") % {"label": label}]}
    if not_before and value < not_before:
        return {
            field: [
                _("%(label)s cannot be before the intake date (%(date)s).")
                % {"label": label, "date": not_before.isoformat()}
            ]
        }
    return {}


def _raise(errors: dict) -> None:
    if errors:
        raise ValidationError(errors)


def _facts(case: Case, closure_reason: str = "") -> state.Facts:
    return state.Facts(
        has_approved_plan=case.plans.filter(status=PlanStatus.APPROVED).exists(),
        status_before_closure=case.status_before_closure,
        closure_reason=closure_reason,
    )


def _move(
    case: Case,
    action: str,
    *,
    actor,
    kind: str = EventKind.STATUS,
    note: str = "",
    facts: state.Facts | None = None,
) -> None:
    """Apply a transition and record it in the case history."""
    new_status = state.next_status(case.status, action, facts or _facts(case))
    if new_status != case.status or kind != EventKind.STATUS:
        CaseEvent.objects.create(
            case=case,
            kind=kind,
            from_status=case.status,
            to_status=new_status,
            actor=actor,
            note=note[:500],
        )
    case.status = new_status


def _leads_of(agency):
    """Supervisors and the director of an agency: who reviews its plans and closures."""
    from shegong.accounts.models import User

    return User.objects.filter(
        role_assignments__agency=agency,
        is_active=True,
        role_assignments__is_active=True,
        role_assignments__role__in=CASE_LEADS,
    ).distinct()


def _is_lead(user, agency) -> bool:
    return user.is_superuser or any(
        a.agency_id == agency.pk and a.role in CASE_LEADS for a in user_assignments(user)
    )


def _is_agency_member(user, agency) -> bool:
    return any(a.agency_id == agency.pk and a.role in CASE_WORKERS for a in user_assignments(user))


def _case_link(case: Case) -> str:
    return f"/cases/{case.pk}/"


# --- client file -----------------------------------------------------------------------------


@transaction.atomic
def client_file_save(
    *,
    actor,
    person: Person,
    target_groups=(),
    address: str = "",
    living_situation: str = "",
    notes: str = "",
) -> ClientFile:
    if not Person.objects.for_user(actor, CHANGE).filter(pk=person.pk).exists():
        raise PermissionDenied
    with set_actor(actor):
        client_file, _created = ClientFile.objects.get_or_create(person=person)
        client_file.address = address.strip()
        client_file.living_situation = living_situation.strip()
        client_file.notes = notes.strip()
        client_file.full_clean()
        client_file.save()
        client_file.target_groups.set(target_groups)
    return client_file


@transaction.atomic
def household_member_add(
    *,
    actor,
    client_file: ClientFile,
    name: str,
    relation: str,
    phone: str = "",
    lives_with_client: bool = True,
    is_guardian: bool = False,
    is_emergency_contact: bool = False,
    person: Person | None = None,
) -> HouseholdMember:
    from shegong.people.validators import validate_mobile

    _require(actor, client_file)
    errors = {}
    if not name.strip():
        errors["name"] = [_("Enter the name.")]
    if not relation.strip():
        errors["relation"] = [_("Say how this person is related to the client.")]
    if phone:
        try:
            phone = validate_mobile(phone)
        except ValidationError as exc:
            errors["phone"] = exc.messages
    _raise(errors)
    with set_actor(actor):
        member = HouseholdMember(
            client_file=client_file,
            name=name.strip(),
            relation=relation.strip(),
            phone=phone,
            person=person,
            lives_with_client=lives_with_client,
            is_guardian=is_guardian,
            is_emergency_contact=is_emergency_contact,
        )
        member.full_clean()
        member.save()
    return member


@transaction.atomic
def household_member_remove(*, actor, member: HouseholdMember) -> None:
    _require(actor, member)
    with set_actor(actor):
        member.delete()


@transaction.atomic
def taiwan_item_set(
    *, actor, person: Person, item: str, status: str, note: str = ""
) -> TaiwanFileItem:
    if not Person.objects.for_user(actor, CHANGE).filter(pk=person.pk).exists():
        raise PermissionDenied
    if person.id_type != IdType.TAIWAN_PERMIT:
        raise ValidationError(
            {"item": [_("The Taiwan file is for holders of a Taiwan residence permit (830000…).")]}
        )
    if item not in TaiwanItem.values:
        raise ValidationError({"item": [_("Unknown checklist item.")]})
    with set_actor(actor):
        entry, _created = TaiwanFileItem.objects.get_or_create(person=person, item=item)
        entry.status = status
        entry.note = note.strip()
        entry.full_clean()
        entry.save()
    return entry


# --- intake, assignment ----------------------------------------------------------------------


@transaction.atomic
def case_open(
    *,
    actor,
    client: Person,
    source: str,
    presenting_problem: str,
    risk_level: str,
    intake_date: datetime.date,
    worker=None,
    agency=None,
    is_taiwan_service: bool = False,
    shared_by_referral: bool = False,
) -> Case:
    """接案: open a case for a client of the actor's agency.

    ``shared_by_referral``: the client comes from another agency's accepted referral (with the
    client's consent to sharing), so they need not be in the receiving agency's own records.
    """
    from shegong.people.selectors import user_agency

    agency = agency or user_agency(actor)
    if agency is None or not (actor.is_superuser or _is_agency_member(actor, agency)):
        raise PermissionDenied
    worker = worker or actor
    errors = _check_date(
        intake_date, field="intake_date", not_before=None, label=_("The intake date")
    )
    if (
        not shared_by_referral
        and not Person.objects.for_user(actor, VIEW).filter(pk=client.pk).exists()
    ):
        errors["client"] = [_("Choose a client from your own records.")]
    elif client.community_id is None:
        errors["client"] = [_("Record the client's home community before opening a case.")]
    if not _is_agency_member(worker, agency):
        errors["worker"] = [_("The social worker must work for the case's agency.")]
    if not presenting_problem.strip():
        errors["presenting_problem"] = [_("Describe the presenting problem.")]
    if source not in CaseSource.values:
        errors["source"] = [_("Choose where the case came from.")]
    if is_taiwan_service and client.id_type != IdType.TAIWAN_PERMIT:
        errors["is_taiwan_service"] = [
            _("Taiwan compatriot services are for holders of a Taiwan residence permit (830000…).")
        ]
    _raise(errors)
    with set_actor(actor):
        case = Case(
            client=client,
            agency=agency,
            community_id=client.community_id,
            worker=worker,
            source=source,
            presenting_problem=presenting_problem.strip(),
            risk_level=risk_level,
            intake_date=intake_date,
            is_taiwan_service=is_taiwan_service,
            number=f"tmp-{timezone.now().timestamp()}-{actor.pk}",
        )
        case.full_clean(exclude=["number"])
        case.save()
        case.number = f"{intake_date.year}-{agency.pk:03d}-{case.pk:06d}"
        case.save(update_fields=["number"])
        CaseEvent.objects.create(
            case=case, kind=EventKind.OPENED, to_status=case.status, actor=actor
        )
    if worker != actor:
        notify(
            worker,
            _("Case %(number)s was assigned to you.") % {"number": case.number},
            _case_link(case),
        )
    return case


@transaction.atomic
def case_reassign(*, actor, case: Case, worker, note: str = "") -> Case:
    """Hand the case to another worker of the same agency (a lead's decision)."""
    if not _is_lead(actor, case.agency):
        raise PermissionDenied
    if not _is_agency_member(worker, case.agency):
        raise ValidationError({"worker": [_("The social worker must work for the case's agency.")]})
    if worker.pk == case.worker_id:
        raise ValidationError({"worker": [_("This worker already has the case.")]})
    with set_actor(actor):
        previous = case.worker
        case.worker = worker
        case.save(update_fields=["worker", "updated_at"])
        CaseEvent.objects.create(
            case=case,
            kind=EventKind.ASSIGNED,
            actor=actor,
            note=(note or f"{previous} → {worker}")[:500],
        )
    notify(
        worker,
        _("Case %(number)s was assigned to you.") % {"number": case.number},
        _case_link(case),
    )
    return case


# --- assessment, plan, supervision -----------------------------------------------------------


def _clean_needs(needs: dict) -> tuple[dict, list[str]]:
    cleaned, problems = {}, []
    for domain, entry in (needs or {}).items():
        if domain not in NeedDomain.values:
            problems.append(_("Unknown needs domain: %(domain)s") % {"domain": domain})
            continue
        level = (entry or {}).get("level", NeedLevel.NONE)
        if level not in NeedLevel.values:
            problems.append(
                _("Unknown need level for %(domain)s.") % {"domain": NeedDomain(domain).label}
            )
            continue
        cleaned[domain] = {"level": level, "note": str((entry or {}).get("note", ""))[:500]}
    return cleaned, problems


@transaction.atomic
def assessment_record(
    *,
    actor,
    case: Case,
    assessed_on: datetime.date,
    needs: dict,
    risk_level: str,
    summary: str,
    strengths: str = "",
    risks: str = "",
) -> Assessment:
    """预估: record the structured assessment; the case moves on from intake."""
    _require(actor, case, CONTENT)
    _require(actor, case, CHANGE)
    state.next_status(case.status, state.ASSESS, _facts(case))
    errors = _check_date(
        assessed_on,
        field="assessed_on",
        not_before=case.intake_date,
        label=_("The assessment date"),
    )
    cleaned_needs, problems = _clean_needs(needs)
    if problems:
        errors["needs"] = problems
    elif not any(v["level"] != NeedLevel.NONE for v in cleaned_needs.values()):
        errors["needs"] = [_("Rate at least one needs domain.")]
    if not summary.strip():
        errors["summary"] = [_("Write the assessment summary.")]
    _raise(errors)
    with set_actor(actor):
        assessment = Assessment(
            case=case,
            assessed_on=assessed_on,
            needs=cleaned_needs,
            strengths=strengths.strip(),
            risks=risks.strip(),
            risk_level=risk_level,
            summary=summary.strip(),
            created_by=actor,
        )
        assessment.full_clean()
        assessment.save()
        _move(case, state.ASSESS, actor=actor)
        case.risk_level = risk_level
        case.save(update_fields=["status", "risk_level", "updated_at"])
    return assessment


@transaction.atomic
def plan_create(
    *, actor, case: Case, goals: list[dict], tasks: list[dict] = (), summary: str = ""
) -> ServicePlan:
    """计划: a new version of the service plan, as a draft.

    ``goals``: [{"description", "measure"}]; ``tasks``: [{"description", "due_date",
    "goal": index into goals or None}].
    """
    _require(actor, case, CONTENT)
    _require(actor, case, CHANGE)
    state.next_status(case.status, state.PLAN, _facts(case))
    errors: dict[str, list[str]] = {}
    goals = [g for g in goals if (g.get("description") or "").strip()]
    if not goals:
        errors["goals"] = [_("A service plan needs at least one goal.")]
    task_errors = []
    for number, task in enumerate(tasks, start=1):
        if not (task.get("description") or "").strip():
            task_errors.append(_("Task %(n)s: describe the task.") % {"n": number})
        due = task.get("due_date")
        if due is None:
            task_errors.append(_("Task %(n)s: enter the due date.") % {"n": number})
        elif due < case.intake_date:
            task_errors.append(
                _("Task %(n)s: the due date is before the intake date.") % {"n": number}
            )
        goal_index = task.get("goal")
        if goal_index is not None and not (0 <= goal_index < len(goals)):
            task_errors.append(_("Task %(n)s: choose one of the plan's goals.") % {"n": number})
    if task_errors:
        errors["tasks"] = task_errors
    _raise(errors)
    with set_actor(actor):
        version = (
            case.plans.order_by("-version").values_list("version", flat=True).first() or 0
        ) + 1
        plan = ServicePlan.objects.create(
            case=case, version=version, summary=summary.strip(), created_by=actor
        )
        goal_rows = [
            PlanGoal.objects.create(
                plan=plan,
                description=g["description"].strip(),
                measure=(g.get("measure") or "").strip(),
            )
            for g in goals
        ]
        for task in tasks:
            goal_index = task.get("goal")
            PlanTask.objects.create(
                plan=plan,
                description=task["description"].strip(),
                due_date=task["due_date"],
                goal=goal_rows[goal_index] if goal_index is not None else None,
            )
        _move(case, state.PLAN, actor=actor)
        case.save(update_fields=["status", "updated_at"])
    return plan


@transaction.atomic
def plan_submit(*, actor, plan: ServicePlan) -> Review:
    """Send the plan to the agency's supervisors."""
    case = plan.case
    _require(actor, case, CHANGE)
    if plan.status not in (PlanStatus.DRAFT, PlanStatus.RETURNED):
        raise ValidationError({"plan": [_("Only a draft or returned plan can be submitted.")]})
    state.next_status(case.status, state.PLAN, _facts(case))
    # One plan at a time in the supervisor's queue: two pending versions could both be approved.
    if case.reviews.filter(kind=ReviewKind.PLAN, status=ReviewStatus.PENDING).exists():
        raise ValidationError(
            {"plan": [_("Another version of the plan is already awaiting approval.")]}
        )
    with set_actor(actor):
        plan.status = PlanStatus.SUBMITTED
        plan.save(update_fields=["status", "updated_at"])
        review = Review.objects.create(
            case=case, kind=ReviewKind.PLAN, plan=plan, requested_by=actor
        )
    for lead in _leads_of(case.agency):
        if lead != actor:
            notify(
                lead,
                _("Service plan of case %(number)s awaits your approval.")
                % {"number": case.number},
                "/cases/supervision/",
            )
    return review


@transaction.atomic
def closure_request(*, actor, case: Case, reason: str, note: str = "") -> Review:
    """结案 request: the supervisor decides."""
    _require(actor, case, CHANGE)
    errors = {}
    if not reason:
        # Said on the field, not only by the state machine, so forms and the API can show it.
        errors["reason"] = [_("Give the reason for closing the case.")]
    elif reason not in ClosureReason.values:
        errors["reason"] = [_("Choose a closure reason.")]
    if reason == ClosureReason.OTHER and not note.strip():
        errors["note"] = [_("Explain the reason for closing the case.")]
    _raise(errors)
    facts = _facts(case, closure_reason=reason)
    with set_actor(actor):
        previous = case.status
        _move(case, state.REQUEST_CLOSURE, actor=actor, facts=facts, note=note)
        case.status_before_closure = previous
        case.closure_reason = reason
        case.closure_note = note.strip()
        case.save(
            update_fields=[
                "status",
                "status_before_closure",
                "closure_reason",
                "closure_note",
                "updated_at",
            ]
        )
        review = Review.objects.create(case=case, kind=ReviewKind.CLOSURE, requested_by=actor)
    for lead in _leads_of(case.agency):
        if lead != actor:
            notify(
                lead,
                _("Closure of case %(number)s awaits your approval.") % {"number": case.number},
                "/cases/supervision/",
            )
    return review


def may_review(user, case: Case) -> bool:
    """Supervisors and the director of the case's agency; never the case's own worker."""
    return user.pk != case.worker_id and _is_lead(user, case.agency)


@transaction.atomic
def review_decide(*, actor, review: Review, approve: bool, comment: str = "") -> Review:
    """督导 decision on a plan or a closure; returning needs a comment the worker can act on."""
    case = review.case
    if not may_review(actor, case):
        raise PermissionDenied
    if review.status != ReviewStatus.PENDING:
        raise ValidationError({"review": [_("This request has already been decided.")]})
    if not approve and not comment.strip():
        raise ValidationError({"comment": [_("Say what needs to change.")]})
    with set_actor(actor):
        if review.kind == ReviewKind.PLAN:
            plan = review.plan
            if approve:
                _move(case, state.APPROVE_PLAN, actor=actor, kind=EventKind.REVIEW, note=comment)
                plan.status = PlanStatus.APPROVED
            else:
                CaseEvent.objects.create(
                    case=case,
                    kind=EventKind.REVIEW,
                    from_status=case.status,
                    to_status=case.status,
                    actor=actor,
                    note=comment[:500],
                )
                plan.status = PlanStatus.RETURNED
            plan.save(update_fields=["status", "updated_at"])
        else:
            action = state.APPROVE_CLOSURE if approve else state.RETURN_CLOSURE
            _move(case, action, actor=actor, kind=EventKind.REVIEW, note=comment)
            if approve:
                case.closed_on = today()
            else:
                case.closure_reason = ""
                case.closure_note = ""
            case.status_before_closure = ""
        case.save()
        review.status = ReviewStatus.APPROVED if approve else ReviewStatus.RETURNED
        review.decided_by = actor
        review.decided_at = timezone.now()
        review.comment = comment.strip()
        review.save()
    verdict = _("approved") if approve else _("returned")
    notify(
        case.worker,
        _("%(what)s of case %(number)s was %(verdict)s.")
        % {"what": review.get_kind_display(), "number": case.number, "verdict": verdict},
        _case_link(case),
    )
    return review


# --- intervention, evaluation, closure ----------------------------------------------------------


@transaction.atomic
def note_add(
    *,
    actor,
    case: Case,
    contact_date: datetime.date,
    duration_minutes: int,
    method: str,
    content: str,
    participants: int = 1,
    attachments=(),
) -> ServiceNote:
    """介入: record one service contact; it adds its participants to the person-times."""
    _require(actor, case, CONTENT)
    _require(actor, case, CHANGE)
    state.next_status(case.status, state.NOTE, _facts(case))
    errors = _check_date(
        contact_date, field="contact_date", not_before=case.intake_date, label=_("The contact date")
    )
    if not (content or "").strip():
        errors["content"] = [_("Write what happened in the contact.")]
    for upload in attachments:
        if upload.size > MAX_ATTACHMENT_BYTES:
            errors["attachments"] = [_("An attachment may be at most 10 MB.")]
    _raise(errors)
    with set_actor(actor):
        note = ServiceNote(
            case=case,
            contact_date=contact_date,
            duration_minutes=duration_minutes,
            method=method,
            content=content.strip(),
            participants=participants,
            created_by=actor,
        )
        note.full_clean()
        note.save()
        for upload in attachments:
            NoteAttachment.objects.create(note=note, file=upload, name=upload.name[:200])
        Case.objects.filter(pk=case.pk).update(
            person_times=F("person_times") + participants, updated_at=timezone.now()
        )
        if case.last_contact_date is None or contact_date > case.last_contact_date:
            Case.objects.filter(pk=case.pk).update(last_contact_date=contact_date)
        case.refresh_from_db(fields=["person_times", "last_contact_date", "updated_at"])
    return note


@transaction.atomic
def note_attach(*, actor, note: ServiceNote, uploads) -> list[NoteAttachment]:
    """Add files to a note written earlier (a scan brought back from a home visit)."""
    case = note.case
    _require(actor, case, CONTENT)
    _require(actor, case, CHANGE)
    state.next_status(case.status, state.NOTE, _facts(case))
    uploads = list(uploads or ())
    if not uploads:
        raise ValidationError({"file": [_("Choose a file to upload.")]})
    if any(upload.size > MAX_ATTACHMENT_BYTES for upload in uploads):
        raise ValidationError({"file": [_("An attachment may be at most 10 MB.")]})
    with set_actor(actor):
        return [
            NoteAttachment.objects.create(note=note, file=upload, name=upload.name[:200])
            for upload in uploads
        ]


@transaction.atomic
def note_comment(*, actor, note: ServiceNote, text: str) -> NoteComment:
    _require(actor, note.case, CONTENT)
    if not text.strip():
        raise ValidationError({"text": [_("Write the comment.")]})
    with set_actor(actor):
        comment = NoteComment.objects.create(note=note, author=actor, text=text.strip())
    if actor.pk != note.case.worker_id:
        notify(
            note.case.worker,
            _("New comment on a note of case %(number)s.") % {"number": note.case.number},
            _case_link(note.case),
        )
    return comment


@transaction.atomic
def task_complete(*, actor, task: PlanTask, done_on: datetime.date) -> PlanTask:
    case = task.plan.case
    _require(actor, case, CHANGE)
    _raise(
        _check_date(
            done_on, field="done_on", not_before=case.intake_date, label=_("The completion date")
        )
    )
    with set_actor(actor):
        task.done_on = done_on
        task.save(update_fields=["done_on", "updated_at"])
    return task


def approved_plan(case: Case) -> ServicePlan | None:
    return case.plans.filter(status=PlanStatus.APPROVED).order_by("-version").first()


@transaction.atomic
def evaluation_record(
    *, actor, case: Case, evaluated_on: datetime.date, attainment: dict, summary: str
) -> Evaluation:
    """评估: rate every goal of the approved plan."""
    _require(actor, case, CONTENT)
    _require(actor, case, CHANGE)
    state.next_status(case.status, state.EVALUATE, _facts(case))
    errors = _check_date(
        evaluated_on,
        field="evaluated_on",
        not_before=case.intake_date,
        label=_("The evaluation date"),
    )
    plan = approved_plan(case)
    goal_ids = {str(pk) for pk in plan.goals.values_list("pk", flat=True)}
    given = {str(k): v for k, v in (attainment or {}).items()}
    if set(given) != goal_ids or any(v not in Attainment.values for v in given.values()):
        errors["attainment"] = [_("Rate every goal of the approved plan.")]
    if not summary.strip():
        errors["summary"] = [_("Write the evaluation summary.")]
    _raise(errors)
    with set_actor(actor):
        evaluation = Evaluation.objects.create(
            case=case,
            evaluated_on=evaluated_on,
            attainment=given,
            summary=summary.strip(),
            created_by=actor,
        )
        _move(case, state.EVALUATE, actor=actor)
        case.save(update_fields=["status", "updated_at"])
    return evaluation


@transaction.atomic
def case_reopen(*, actor, case: Case, reason: str) -> Case:
    _require(actor, case, CHANGE)
    if not reason.strip():
        raise ValidationError({"reason": [_("Give the reason for reopening the case.")]})
    with set_actor(actor):
        _move(case, state.REOPEN, actor=actor, kind=EventKind.REOPENED, note=reason)
        case.closed_on = None
        case.closure_reason = ""
        case.closure_note = ""
        case.save()
    return case


# --- referral ---------------------------------------------------------------------------------


@transaction.atomic
def referral_create(
    *,
    actor,
    case: Case,
    reason: str,
    summary_for_receiver: str,
    consent,
    to_agency=None,
    to_service: str = "",
) -> Referral:
    """转介: only with the client's recorded, unwithdrawn consent to sharing."""
    _require(actor, case, CONTENT)
    _require(actor, case, CHANGE)
    state.next_status(case.status, state.NOTE, _facts(case))  # open and not awaiting closure
    errors: dict[str, list[str]] = {}
    if (to_agency is None) == (not to_service.strip()):
        errors["to_agency"] = [_("Refer either to an agency or to a community service.")]
    elif to_agency is not None and to_agency.pk == case.agency_id:
        errors["to_agency"] = [_("Reassign within the agency instead of referring to it.")]
    if consent is None or consent.person_id != case.client_id or not consent.is_active:
        errors["consent"] = [_("A referral needs the client's recorded consent to sharing.")]
    elif consent.scope != ConsentScope.SHARING:
        errors["consent"] = [_("The consent must cover sharing with partner organisations.")]
    if not reason.strip():
        errors["reason"] = [_("Give the reason for the referral.")]
    if not summary_for_receiver.strip():
        errors["summary_for_receiver"] = [_("Write what the receiver needs to know.")]
    _raise(errors)
    with set_actor(actor):
        referral = Referral(
            case=case,
            to_agency=to_agency,
            to_service=to_service.strip(),
            reason=reason.strip(),
            summary_for_receiver=summary_for_receiver.strip(),
            consent=consent,
            requested_by=actor,
        )
        if to_agency is None:
            # A community service has no account here: the referral is recorded as delivered.
            referral.status = ReferralStatus.ACCEPTED
            referral.decided_at = timezone.now()
        referral.full_clean()
        referral.save()
        CaseEvent.objects.create(
            case=case,
            kind=EventKind.REFERRED,
            actor=actor,
            from_status=case.status,
            to_status=case.status,
            note=str(to_agency or to_service)[:500],
        )
    if to_agency is not None:
        for lead in _leads_of(to_agency):
            notify(
                lead,
                _("A case referral from %(agency)s awaits your answer.") % {"agency": case.agency},
                "/cases/referrals/",
            )
    return referral


@transaction.atomic
def referral_decide(
    *, actor, referral: Referral, accept: bool, decline_reason: str = "", worker=None
) -> Referral:
    """The receiving agency accepts (opening its own case for the client) or declines."""
    agency = referral.to_agency
    if agency is None or not _is_lead(actor, agency):
        raise PermissionDenied
    if referral.status != ReferralStatus.PENDING:
        raise ValidationError({"referral": [_("This referral has already been answered.")]})
    if not accept and not decline_reason.strip():
        raise ValidationError({"decline_reason": [_("Say why the referral is declined.")]})
    case = referral.case
    with set_actor(actor):
        if accept:
            new_case = case_open(
                actor=actor,
                client=case.client,
                agency=agency,
                worker=worker or actor,
                source=CaseSource.REFERRAL,
                presenting_problem=referral.summary_for_receiver,
                risk_level=case.risk_level,
                intake_date=today(),
                is_taiwan_service=case.is_taiwan_service,
                shared_by_referral=True,
            )
            new_case.referred_from = case
            new_case.save(update_fields=["referred_from"])
            referral.new_case = new_case
            referral.status = ReferralStatus.ACCEPTED
        else:
            referral.status = ReferralStatus.DECLINED
            referral.decline_reason = decline_reason.strip()
        referral.decided_by = actor
        referral.decided_at = timezone.now()
        referral.save()
        CaseEvent.objects.create(
            case=case,
            kind=EventKind.REFERRAL_DECIDED,
            actor=actor,
            from_status=case.status,
            to_status=case.status,
            note=referral.get_status_display(),
        )
    notify(
        case.worker,
        _("The referral of case %(number)s was %(status)s.")
        % {"number": case.number, "status": referral.get_status_display()},
        _case_link(case),
    )
    return referral


def case_statuses_open() -> list[str]:
    return [s for s in CaseStatus.values if s != CaseStatus.CLOSED]
