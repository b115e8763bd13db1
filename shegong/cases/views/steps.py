"""The steps on a case: assessment, plan, tasks, notes, evaluation, closure, reopening,
reassignment and referral.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from shegong.agencies.models import Agency
from shegong.cases import selectors, services, state
from shegong.cases.choices import CaseStatus
from shegong.cases.forms import (
    AssessmentForm,
    ClosureForm,
    EvaluationForm,
    NoteCommentForm,
    NoteForm,
    PlanRows,
    ReassignForm,
    ReferralForm,
    ReopenForm,
    TaskDoneForm,
)
from shegong.cases.models import Case, PlanTask, ServiceNote, ServicePlan
from shegong.cases.views._common import _case_or_404, _form_page, _refused, _to_case, _working_case
from shegong.cases.views.case_file import _detail_context
from shegong.core.access import log_access
from shegong.core.forms import apply_service_errors
from shegong.core.models import AccessLog
from shegong.core.scope import CHANGE, CONTENT, VIEW

# --- steps --------------------------------------------------------------------------------------


@login_required
def assessment_create(request, pk):
    case = _working_case(request.user, pk)
    if _refused(request, case, state.ASSESS):
        return _to_case(case)
    form = AssessmentForm(
        request.POST or None,
        initial={"assessed_on": timezone.localdate(), "risk_level": case.risk_level},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.assessment_record(actor=request.user, case=case, **form.service_data())
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("Assessment recorded."))
            return _to_case(case)
    return render(request, "cases/assessment_form.html", {"case": case, "form": form})


@login_required
def plan_create(request, pk):
    case = _working_case(request.user, pk)
    if _refused(request, case, state.PLAN):
        return _to_case(case)
    add = request.POST.get("add", "") if request.method == "POST" else ""
    rows = PlanRows(request.POST or None, add=add)
    if request.method == "POST" and not add and rows.is_valid():
        try:
            plan = services.plan_create(actor=request.user, case=case, **rows.service_data())
            if "submit" in request.POST:
                services.plan_submit(actor=request.user, plan=plan)
        except ValidationError as exc:
            apply_service_errors(rows.form, exc)
        else:
            if "submit" in request.POST:
                messages.success(request, _("Service plan sent for approval."))
            else:
                messages.success(request, _("Service plan saved as a draft."))
            return _to_case(case)
    context = {"case": case, "rows": rows, "form": rows.form}
    if add and request.htmx:
        return render(request, "cases/_plan_rows.html", context)
    return render(request, "cases/plan_form.html", context)


@login_required
@require_POST
def plan_submit(request, pk, plan_pk):
    case = _working_case(request.user, pk)
    plan = ServicePlan.objects.get_for_user_or_404(request.user, CONTENT, pk=plan_pk, case=case)
    try:
        services.plan_submit(actor=request.user, plan=plan)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("Service plan sent for approval."))
    return _to_case(case)


@login_required
@require_POST
def task_done(request, pk, task_pk):
    case = _working_case(request.user, pk)
    task = PlanTask.objects.get_for_user_or_404(request.user, CONTENT, pk=task_pk, plan__case=case)
    form = TaskDoneForm(request.POST)
    if form.is_valid():
        try:
            services.task_complete(actor=request.user, task=task, **form.cleaned_data)
        except ValidationError as exc:
            apply_service_errors(form, exc)
    if form.errors:
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
    else:
        messages.success(request, _("Task marked done."))
    return _to_case(case)


@login_required
def note_create(request, pk):
    case = _working_case(request.user, pk)
    if _refused(request, case, state.NOTE):
        return _to_case(case)
    form = NoteForm(
        request.POST or None,
        request.FILES or None,
        initial={"contact_date": timezone.localdate(), "participants": 1},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.note_add(actor=request.user, case=case, **form.cleaned_data)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("Service note saved."))
            return _to_case(case)
    return _form_page(
        request,
        case,
        form,
        title=_("New service note"),
        submit=_("Save note"),
        testid="note-form",
        multipart=True,
    )


@login_required
@require_POST
def note_comment(request, pk, note_pk):
    case = _case_or_404(request.user, pk, CONTENT)
    note = ServiceNote.objects.get_for_user_or_404(request.user, CONTENT, pk=note_pk, case=case)
    form = NoteCommentForm(request.POST, auto_id=f"id_note{note.pk}_%s")
    if form.is_valid():
        try:
            services.note_comment(actor=request.user, note=note, **form.cleaned_data)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("Comment added."))
            return redirect(reverse("cases:detail", args=[case.pk]) + f"#note-{note.pk}")
    log_access(user=request.user, action=AccessLog.Action.OPEN, obj=case, request=request)
    context = _detail_context(request, case, comment_errors={note.pk: form})
    return render(request, "cases/case_detail.html", context, status=200)


@login_required
def evaluation_create(request, pk):
    case = _working_case(request.user, pk)
    if _refused(request, case, state.EVALUATE):
        return _to_case(case)
    goals = selectors.approved_goals(case)
    form = EvaluationForm(
        request.POST or None, goals=goals, initial={"evaluated_on": timezone.localdate()}
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.evaluation_record(actor=request.user, case=case, **form.service_data())
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("Evaluation recorded."))
            return _to_case(case)
    return render(request, "cases/evaluation_form.html", {"case": case, "form": form})


@login_required
def closure_create(request, pk):
    case = _working_case(request.user, pk)
    if case.status in (CaseStatus.CLOSURE_PENDING, CaseStatus.CLOSED):
        _refused(request, case, state.REQUEST_CLOSURE)
        return _to_case(case)
    form = ClosureForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.closure_request(actor=request.user, case=case, **form.cleaned_data)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("Closure sent for approval."))
            return _to_case(case)
    return _form_page(
        request,
        case,
        form,
        title=_("Request closure"),
        submit=_("Send for approval"),
        testid="closure-form",
    )


@login_required
def reopen(request, pk):
    case = _working_case(request.user, pk)
    if _refused(request, case, state.REOPEN):
        return _to_case(case)
    form = ReopenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.case_reopen(actor=request.user, case=case, **form.cleaned_data)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("Case reopened."))
            return _to_case(case)
    return _form_page(
        request, case, form, title=_("Reopen the case"), submit=_("Reopen"), testid="reopen-form"
    )


@login_required
def reassign(request, pk):
    case = _case_or_404(request.user, pk, CHANGE)
    if not (request.user.is_superuser or case.agency_id in selectors.lead_agency_ids(request.user)):
        raise Http404
    form = ReassignForm(request.POST or None, workers=selectors.agency_workers(case.agency))
    if request.method == "POST" and form.is_valid():
        try:
            services.case_reassign(actor=request.user, case=case, **form.cleaned_data)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("Case reassigned."))
            if Case.objects.for_user(request.user, VIEW).filter(pk=case.pk).exists():
                return _to_case(case)
            return redirect("cases:list")
    return _form_page(
        request, case, form, title=_("Reassign"), submit=_("Reassign"), testid="reassign-form"
    )


@login_required
def referral_create(request, pk):
    case = _working_case(request.user, pk)
    if _refused(request, case, state.NOTE):
        return _to_case(case)
    agencies = Agency.objects.filter(is_active=True).exclude(pk=case.agency_id).order_by("name")
    consents = selectors.sharing_consents(case.client)
    form = ReferralForm(request.POST or None, agencies=agencies, consents=consents)
    if request.method == "POST" and form.is_valid():
        try:
            services.referral_create(actor=request.user, case=case, **form.cleaned_data)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("Referral sent."))
            return _to_case(case)
    return _form_page(
        request,
        case,
        form,
        title=_("Refer the case"),
        submit=_("Send referral"),
        testid="referral-form",
        no_consent=not consents.exists(),
    )
