"""Case lifecycle operations: list, open, file, assessment, plan, notes, evaluation, closure."""

from io import BytesIO

from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.utils.translation import gettext as _
from ninja import File, Query, Status
from ninja.files import UploadedFile
from ninja.pagination import paginate

from shegong.api.filters import valid_filterset
from shegong.cases import selectors, services
from shegong.cases.api import router
from shegong.cases.api.render import (
    Page,
    call,
    case_detail,
    case_or_404,
    case_rows,
    name_of,
    note_or_404,
    note_out,
    plan_out,
    review_out,
    user_or_error,
)
from shegong.cases.api.schemas import (
    AssessmentIn,
    AssessmentOut,
    AttachmentOut,
    CaseDetailOut,
    CaseOpenIn,
    CaseOut,
    CaseQuery,
    ClosureIn,
    CommentIn,
    CommentOut,
    EvaluationIn,
    EvaluationOut,
    MyCaseOut,
    MyCasesQuery,
    NoteIn,
    NoteOut,
    PlanIn,
    PlanOut,
    ReassignIn,
    ReopenIn,
    ReviewOut,
    TaskDoneIn,
    TaskOut,
)
from shegong.cases.attachments import plain_size, read_plain
from shegong.cases.exports import case_list_xlsx, my_cases_xlsx
from shegong.cases.filters import CaseFilter
from shegong.cases.models import (
    Case,
    NoteAttachment,
    PlanTask,
    ServicePlan,
)
from shegong.core.access import log_access
from shegong.core.exports import xlsx_response
from shegong.core.models import AccessLog
from shegong.core.scope import CHANGE, CONTENT, VIEW, can
from shegong.people.models import Person

# --- cases -----------------------------------------------------------------------------------


@router.get("", response=list[CaseOut], summary="Cases in my scope")
@paginate
def list_cases(request, filters: Query[CaseQuery]):
    if not can(request.auth, Case, VIEW):
        raise Http404
    cases = selectors.cases_for(request.auth, VIEW)
    qs = valid_filterset(CaseFilter, filters, queryset=cases, user=request.auth).qs
    if not filters.sort:
        qs = qs.order_by("-intake_date", "-id")
    return Page(qs, lambda cases: case_rows(request.auth, cases))


@router.get(
    "/export.xlsx",
    response={200: None},
    summary="The filtered case list as Excel (masked, logged)",
    description="Same filters as the list; client and worker columns only for those who may "
    "read inside the cases.",
)
def export_cases(request, filters: Query[CaseQuery]):
    if not can(request.auth, Case, VIEW):
        raise Http404
    cases = selectors.cases_for(request.auth, VIEW)
    filterset = valid_filterset(CaseFilter, filters, queryset=cases, user=request.auth)
    content = case_list_xlsx(
        filterset.qs, user=request.auth, request=request, filters=filterset.describe()
    )
    return xlsx_response(content, "cases", stamped=False)


@router.get("/mine", response=list[MyCaseOut], summary="My open cases (My work)")
@paginate
def my_cases(request, filters: Query[MyCasesQuery]):
    if not can(request.auth, Case, CONTENT):
        raise Http404
    qs = _my_cases(request.auth, filters).select_related("worker", "agency")
    return Page(qs, lambda cases: case_rows(request.auth, cases, ("overdue_tasks", "no_contact")))


def _my_cases(user, filters: MyCasesQuery):
    qs = selectors.my_cases(user, no_contact_days=filters.no_contact_days)
    if filters.overdue_only:
        qs = qs.filter(overdue_tasks__gt=0)
    if filters.no_contact_only:
        qs = qs.filter(no_contact=True)
    return qs.order_by("-overdue_tasks", "last_contact_date", "id")


@router.get(
    "/mine/export.xlsx",
    response={200: None},
    summary="My open cases as Excel (masked, logged)",
    description="Same parameters as /cases/mine.",
)
def export_my_cases(request, filters: Query[MyCasesQuery]):
    if not can(request.auth, Case, CONTENT):
        raise Http404
    qs = _my_cases(request.auth, filters)
    described = "&".join(f"{k}={v}" for k, v in filters.dict(exclude_defaults=True).items())
    content = my_cases_xlsx(qs, user=request.auth, request=request, filters=described)
    return xlsx_response(content, "my-cases", stamped=False)


@router.post("", response={201: CaseDetailOut}, summary="Open a case (接案)")
def open_case(request, payload: CaseOpenIn):
    from shegong.people.selectors import user_agency

    user = request.auth
    if not user.is_superuser and user_agency(user) is None:
        raise Http404  # before looking at the payload: no hint about what would be accepted
    # Through the scope: a person the user may not see is "missing", with the same answer.
    client = Person.objects.for_user(user, VIEW).filter(pk=payload.client_id).first()
    if client is None:
        raise ValidationError({"client_id": [_("Choose a client from your own records.")]})
    case = call(
        services.case_open,
        actor=user,
        client=client,
        source=payload.source,
        presenting_problem=payload.presenting_problem,
        risk_level=payload.risk_level,
        intake_date=payload.intake_date,
        worker=user_or_error(payload.worker_id, "worker_id"),
        is_taiwan_service=payload.is_taiwan_service,
    )
    return Status(201, case_detail(user, case_or_404(user, case.pk)))


@router.get("/{int:case_id}", response=CaseDetailOut, summary="A case file (logged)")
def get_case(request, case_id: int):
    case = case_or_404(request.auth, case_id)
    log_access(user=request.auth, action=AccessLog.Action.OPEN, obj=case, request=request)
    return case_detail(request.auth, case)


@router.post("/{int:case_id}/reassign", response=CaseDetailOut, summary="Hand to another worker")
def reassign_case(request, case_id: int, payload: ReassignIn):
    case = case_or_404(request.auth, case_id, CHANGE)
    if not request.auth.is_superuser and case.agency_id not in selectors.lead_agency_ids(
        request.auth
    ):
        raise Http404  # reassigning is a lead's decision: no hint from the payload either
    worker = user_or_error(payload.worker_id, "worker_id")
    if worker is None:
        raise ValidationError({"worker_id": [_("Choose a social worker.")]})
    call(services.case_reassign, actor=request.auth, case=case, worker=worker, note=payload.note)
    return case_detail(request.auth, case_or_404(request.auth, case_id))


@router.post(
    "/{int:case_id}/assessments", response={201: AssessmentOut}, summary="Record an assessment"
)
def create_assessment(request, case_id: int, payload: AssessmentIn):
    case = case_or_404(request.auth, case_id, CONTENT, CHANGE)
    data = payload.dict()
    assessment = call(services.assessment_record, actor=request.auth, case=case, **data)
    return Status(
        201,
        {
            "id": assessment.pk,
            "assessed_on": assessment.assessed_on,
            "needs": assessment.needs,
            "strengths": assessment.strengths,
            "risks": assessment.risks,
            "risk_level": assessment.risk_level,
            "summary": assessment.summary,
            "created_by": name_of(request.auth),
        },
    )


@router.post("/{int:case_id}/plans", response={201: PlanOut}, summary="Write a service plan")
def create_plan(request, case_id: int, payload: PlanIn):
    case = case_or_404(request.auth, case_id, CONTENT, CHANGE)
    data = payload.dict()
    plan = call(services.plan_create, actor=request.auth, case=case, **data)
    return Status(201, plan_out(plan))


@router.post(
    "/{int:case_id}/plans/{int:plan_id}/submit",
    response=ReviewOut,
    summary="Send a plan to the supervisors",
)
def submit_plan(request, case_id: int, plan_id: int):
    case = case_or_404(request.auth, case_id, CONTENT, CHANGE)
    plan = ServicePlan.objects.get_for_user_or_404(request.auth, CHANGE, pk=plan_id, case=case)
    review = call(services.plan_submit, actor=request.auth, plan=plan)
    return review_out(review)


@router.post(
    "/{int:case_id}/tasks/{int:task_id}/complete", response=TaskOut, summary="Mark a task done"
)
def complete_task(request, case_id: int, task_id: int, payload: TaskDoneIn):
    case = case_or_404(request.auth, case_id, CONTENT, CHANGE)
    task = PlanTask.objects.get_for_user_or_404(request.auth, CHANGE, pk=task_id, plan__case=case)
    task = call(services.task_complete, actor=request.auth, task=task, done_on=payload.done_on)
    return {
        "id": task.pk,
        "description": task.description,
        "due_date": task.due_date,
        "done_on": task.done_on,
        "goal_id": task.goal_id,
    }


@router.get("/{int:case_id}/notes", response=list[NoteOut], summary="Service notes")
@paginate
def list_notes(request, case_id: int):
    case = case_or_404(request.auth, case_id, CONTENT)
    log_access(
        user=request.auth, action=AccessLog.Action.OPEN, obj=case, detail="notes", request=request
    )
    notes = selectors.case_notes(request.auth, case)
    return Page(notes, lambda rows: [note_out(note) for note in rows])


@router.post("/{int:case_id}/notes", response={201: NoteOut}, summary="Record a service contact")
def create_note(request, case_id: int, payload: NoteIn):
    case = case_or_404(request.auth, case_id, CONTENT, CHANGE)
    note = call(services.note_add, actor=request.auth, case=case, **payload.dict())
    return Status(201, note_out(note_or_404(request.auth, case, note.pk)))


@router.post(
    "/{int:case_id}/notes/{int:note_id}/attachments",
    response={201: list[AttachmentOut]},
    summary="Attach files to a note (multipart, field 'file', 10 MB each)",
)
def upload_attachments(
    request,
    case_id: int,
    note_id: int,
    file: list[UploadedFile] = File(None),  # noqa: B008
):
    case = case_or_404(request.auth, case_id, CONTENT, CHANGE)
    note = note_or_404(request.auth, case, note_id)
    added = call(services.note_attach, actor=request.auth, note=note, uploads=file or [])
    return Status(201, [{"id": a.pk, "name": a.name, "size": plain_size(a)} for a in added])


@router.get(
    "/{int:case_id}/notes/{int:note_id}/attachments/{int:attachment_id}",
    response={200: None},
    summary="Download an attachment (logged)",
)
def download_attachment(request, case_id: int, note_id: int, attachment_id: int):
    case = case_or_404(request.auth, case_id, CONTENT)
    attachment = NoteAttachment.objects.get_for_user_or_404(
        request.auth, CONTENT, pk=attachment_id, note_id=note_id, note__case=case
    )
    try:
        content = read_plain(attachment)
    except OSError as exc:
        raise Http404 from exc
    log_access(
        user=request.auth,
        action=AccessLog.Action.OPEN,
        obj=attachment,
        detail=f"case {case.number}",
        request=request,
    )
    return FileResponse(BytesIO(content), as_attachment=True, filename=attachment.name)


@router.get(
    "/{int:case_id}/notes/{int:note_id}/comments",
    response=list[CommentOut],
    summary="Comments on a note",
)
def list_comments(request, case_id: int, note_id: int):
    case = case_or_404(request.auth, case_id, CONTENT)
    note = note_or_404(request.auth, case, note_id)
    return [
        {"id": c.pk, "author": name_of(c.author), "text": c.text, "created_at": c.created_at}
        for c in note.comments.all()  # note_or_404 loaded them, through the same scope
    ]


@router.post(
    "/{int:case_id}/notes/{int:note_id}/comments",
    response={201: CommentOut},
    summary="Comment on a note",
)
def create_comment(request, case_id: int, note_id: int, payload: CommentIn):
    case = case_or_404(request.auth, case_id, CONTENT)
    note = note_or_404(request.auth, case, note_id)
    comment = call(services.note_comment, actor=request.auth, note=note, text=payload.text)
    return Status(
        201,
        {
            "id": comment.pk,
            "author": name_of(request.auth),
            "text": comment.text,
            "created_at": comment.created_at,
        },
    )


@router.post(
    "/{int:case_id}/evaluations", response={201: EvaluationOut}, summary="Evaluate the goals"
)
def create_evaluation(request, case_id: int, payload: EvaluationIn):
    case = case_or_404(request.auth, case_id, CONTENT, CHANGE)
    evaluation = call(
        services.evaluation_record,
        actor=request.auth,
        case=case,
        evaluated_on=payload.evaluated_on,
        attainment={k: str(v) for k, v in payload.attainment.items()},
        summary=payload.summary,
    )
    return Status(
        201,
        {
            "id": evaluation.pk,
            "evaluated_on": evaluation.evaluated_on,
            "attainment": evaluation.attainment,
            "summary": evaluation.summary,
            "created_by": name_of(request.auth),
        },
    )


@router.post("/{int:case_id}/closure", response={201: ReviewOut}, summary="Request closure")
def request_closure(request, case_id: int, payload: ClosureIn):
    case = case_or_404(request.auth, case_id, CONTENT, CHANGE)
    review = call(
        services.closure_request,
        actor=request.auth,
        case=case,
        reason=payload.reason or "",
        note=payload.note,
    )
    return Status(201, review_out(review))


@router.post("/{int:case_id}/reopen", response=CaseDetailOut, summary="Reopen a closed case")
def reopen_case(request, case_id: int, payload: ReopenIn):
    case = case_or_404(request.auth, case_id, CONTENT, CHANGE)
    call(services.case_reopen, actor=request.auth, case=case, reason=payload.reason)
    return case_detail(request.auth, case_or_404(request.auth, case_id))
