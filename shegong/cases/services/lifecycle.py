"""The case's own steps: intake, assignment, assessment, plan, notes, evaluation, reopening."""

import datetime

from auditlog.context import disable_auditlog
from auditlog.receivers import log_create
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from shegong.cases import attachments as attachment_files
from shegong.cases import selectors, state
from shegong.cases.choices import (
    Attainment,
    EventKind,
    NeedDomain,
    NeedLevel,
)
from shegong.cases.models import (
    Assessment,
    Case,
    Evaluation,
    NoteAttachment,
    NoteComment,
    PlanGoal,
    PlanTask,
    ServiceNote,
    ServicePlan,
)
from shegong.cases.services._common import (
    _allowed,
    _case_link,
    _check_date,
    _is_agency_member,
    _is_lead,
    _move,
    _raise,
    _require,
    count_contacts,
    event_create,
)
from shegong.cases.services.clean import clean_case_fields, clean_note_fields
from shegong.core.audit import set_actor
from shegong.core.scope import CHANGE, CONTENT, VIEW, OutOfScope, require
from shegong.core.validators import (
    field_errors,
    model_errors,
    multi_line_text,
    validated_create,
)
from shegong.notifications.services import notify
from shegong.people.models import Person

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
        raise OutOfScope
    worker = worker or actor
    if not shared_by_referral:
        # A client outside the actor's scope is refused exactly like a missing one, before any
        # other check could say something about the person (their ID type, their home).
        try:
            require(actor, client, VIEW)
        except OutOfScope:
            raise ValidationError(
                {"client": [_("Choose a client from your own records.")]}
            ) from None
    cleaned, errors = clean_case_fields(
        client_community_id=client.community_id,
        client_id_type=client.id_type,
        source=source,
        presenting_problem=presenting_problem,
        risk_level=risk_level,
        intake_date=intake_date,
        is_taiwan_service=is_taiwan_service,
    )
    if not _is_agency_member(worker, agency):
        errors["worker"] = [_("The social worker must work for the case's agency.")]
    elif worker != actor and not _is_lead(actor, agency):
        # Handing a case to someone else is a lead's decision, as reassigning is; and a worker
        # could not read the case they had just opened for a colleague.
        errors["worker"] = [
            _("Only the agency's supervisors and director give a case to another worker.")
        ]
    _raise(errors)
    with set_actor(actor):
        case = Case(
            client=client,
            agency=agency,
            community_id=client.community_id,
            worker=worker,
            source=cleaned["source"],
            presenting_problem=cleaned["presenting_problem"],
            risk_level=cleaned["risk_level"],
            intake_date=intake_date,
            is_taiwan_service=is_taiwan_service,
            number=f"tmp-{timezone.now().timestamp()}-{actor.pk}",
        )
        case.full_clean(exclude=["number"])
        # The number needs the row's id: the two saves are recorded as one creation under the
        # final number, never under the placeholder.
        with disable_auditlog():
            case.save()
            case.number = f"{intake_date.year}-{agency.pk:03d}-{case.pk:06d}"
            case.save(update_fields=["number"])
        log_create(sender=Case, instance=case, created=True)
        event_create(case=case, kind=EventKind.OPENED, to_status=case.status, actor=actor)
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
        raise OutOfScope
    if not _is_agency_member(worker, case.agency):
        raise ValidationError({"worker": [_("The social worker must work for the case's agency.")]})
    if worker.pk == case.worker_id:
        raise ValidationError({"worker": [_("This worker already has the case.")]})
    with set_actor(actor):
        previous = case.worker
        case.worker = worker
        case.save(update_fields=["worker", "updated_at"])
        event_create(
            case=case,
            kind=EventKind.ASSIGNED,
            actor=actor,
            note=note or f"{previous} → {worker}",
        )
    notify(
        worker,
        _("Case %(number)s was assigned to you.") % {"number": case.number},
        _case_link(case),
    )
    return case


# --- assessment, plan ------------------------------------------------------------------------


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
    _require(actor, case, CONTENT, CHANGE)
    facts = _allowed(case, state.ASSESS)
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
        _move(case, state.ASSESS, actor=actor, facts=facts)
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
    _require(actor, case, CONTENT, CHANGE)
    facts = _allowed(case, state.PLAN)
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
    _raise(errors if not task_errors else {**errors, "tasks": task_errors})
    # Every row is built and validated before any is saved: a bad goal leaves no plan behind.
    version = (case.plans.order_by("-version").values_list("version", flat=True).first() or 0) + 1
    plan = ServicePlan(case=case, version=version, summary=summary.strip(), created_by=actor)
    errors = model_errors(plan)
    goal_rows = [
        PlanGoal(
            plan=plan,
            description=g["description"].strip(),
            measure=(g.get("measure") or "").strip(),
        )
        for g in goals
    ]
    for number, goal in enumerate(goal_rows, start=1):
        for message in _messages(model_errors(goal, exclude=["plan"])):
            errors.setdefault("goals", []).append(
                _("Goal %(n)s: %(error)s") % {"n": number, "error": message}
            )
    task_rows = []
    for number, task in enumerate(tasks, start=1):
        goal_index = task.get("goal")
        row = PlanTask(
            plan=plan,
            description=task["description"].strip(),
            due_date=task["due_date"],
            goal=goal_rows[goal_index] if goal_index is not None else None,
        )
        for message in _messages(model_errors(row, exclude=["plan", "goal"])):
            errors.setdefault("tasks", []).append(
                _("Task %(n)s: %(error)s") % {"n": number, "error": message}
            )
        task_rows.append(row)
    _raise(errors)
    with set_actor(actor):
        plan.save()
        for row in goal_rows + task_rows:
            row.save()
        _move(case, state.PLAN, actor=actor, facts=facts)
        case.save(update_fields=["status", "updated_at"])
    return plan


def _messages(errors: dict) -> list[str]:
    return [message for messages in errors.values() for message in messages]


# --- intervention, evaluation, closure ----------------------------------------------------------


def _sealed_uploads(uploads, *, field: str) -> list:
    """Check and encrypt uploads before any transaction: a refused file changes nothing, and
    the encryption never holds the database's write lock."""
    errors = [message for upload in uploads for message in attachment_files.upload_errors(upload)]
    # The file name is shown on the case file: the same text rules as every name (no bidi
    # override turning "abc\u202etxt.exe" into "abcexe.txt").
    for upload in uploads:
        name_errors = field_errors(NoteAttachment(name=upload.name[:200]), ["name"])
        errors += _messages(name_errors)
    if errors:
        raise ValidationError({field: errors})
    return [(attachment_files.sealed(upload), upload.name[:200]) for upload in uploads]


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
    sealed = _sealed_uploads(list(attachments), field="attachments")
    with transaction.atomic():
        return _note_add(
            actor=actor,
            case=case,
            contact_date=contact_date,
            duration_minutes=duration_minutes,
            method=method,
            content=content,
            participants=participants,
            sealed=sealed,
        )


def _note_add(
    *, actor, case, contact_date, duration_minutes, method, content, participants, sealed
) -> ServiceNote:
    _require(actor, case, CONTENT, CHANGE)
    _allowed(case, state.NOTE)
    cleaned, errors = clean_note_fields(
        contact_date=contact_date,
        duration_minutes=duration_minutes,
        method=method,
        content=content,
        participants=participants,
        intake_date=case.intake_date,
        closed_on=case.closed_on,
    )
    _raise(errors)
    with set_actor(actor):
        note = ServiceNote(case=case, created_by=actor, **cleaned)
        note.full_clean()
        note.save()
        for file, name in sealed:
            NoteAttachment.objects.create(note=note, file=file, name=name)
        count_contacts(ServiceNote.objects.filter(pk=note.pk))
        case.refresh_from_db(fields=["person_times", "last_contact_date", "updated_at"])
    return note


def note_attach(*, actor, note: ServiceNote, uploads) -> list[NoteAttachment]:
    """Add files to a note written earlier (a scan brought back from a home visit)."""
    uploads = list(uploads or ())
    if not uploads:
        raise ValidationError({"file": [_("Choose a file to upload.")]})
    sealed = _sealed_uploads(uploads, field="file")
    with transaction.atomic():
        case = note.case
        _require(actor, case, CONTENT, CHANGE)
        _allowed(case, state.NOTE)
        with set_actor(actor):
            return [
                NoteAttachment.objects.create(note=note, file=file, name=name)
                for file, name in sealed
            ]


@transaction.atomic
def note_comment(*, actor, note: ServiceNote, text: str) -> NoteComment:
    _require(actor, note.case, CONTENT)
    if not text.strip():
        raise ValidationError({"text": [_("Write the comment.")]})
    with set_actor(actor):
        comment = validated_create(NoteComment, note=note, author=actor, text=text.strip())
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


@transaction.atomic
def evaluation_record(
    *, actor, case: Case, evaluated_on: datetime.date, attainment: dict, summary: str
) -> Evaluation:
    """评估: rate every goal of the approved plan."""
    _require(actor, case, CONTENT, CHANGE)
    facts = _allowed(case, state.EVALUATE)
    errors = _check_date(
        evaluated_on,
        field="evaluated_on",
        not_before=case.intake_date,
        label=_("The evaluation date"),
    )
    plan = selectors.approved_plan(case)
    goal_ids = {str(pk) for pk in plan.goals.values_list("pk", flat=True)}
    given = {str(k): v for k, v in (attainment or {}).items()}
    if set(given) != goal_ids or any(v not in Attainment.values for v in given.values()):
        errors["attainment"] = [_("Rate every goal of the approved plan.")]
    if not summary.strip():
        errors["summary"] = [_("Write the evaluation summary.")]
    _raise(errors)
    with set_actor(actor):
        evaluation = validated_create(
            Evaluation,
            case=case,
            evaluated_on=evaluated_on,
            attainment=given,
            summary=summary.strip(),
            created_by=actor,
        )
        _move(case, state.EVALUATE, actor=actor, facts=facts)
        case.save(update_fields=["status", "updated_at"])
    return evaluation


REOPEN_REASON_LENGTH = MaxLengthValidator(500)


@transaction.atomic
def case_reopen(*, actor, case: Case, reason: str) -> Case:
    _require(actor, case, CHANGE)
    if not reason.strip():
        raise ValidationError({"reason": [_("Give the reason for reopening the case.")]})
    # The reason is kept only in the case history, which holds 500 characters of one line.
    for validator in (multi_line_text, REOPEN_REASON_LENGTH):
        try:
            validator(reason.strip())
        except ValidationError as error:
            raise ValidationError({"reason": error.messages}) from None
    with set_actor(actor):
        _move(case, state.REOPEN, actor=actor, kind=EventKind.REOPENED, note=reason)
        case.closed_on = None
        case.closure_reason = ""
        case.closure_note = ""
        case.save()
    return case
