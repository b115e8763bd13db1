"""Case-work pages. Thin: reads through selectors and ``for_user``, writes through the services.

Two layers of access (DESIGN §4.2): a case the user may VIEW exists for them (place roles see
its statistics); its content (notes, assessments, plans, history) is for CONTENT holders only.
Anything outside the user's scope answers 404, like a missing page. Every open of a case file
is written to the access log.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_tables2 import RequestConfig

from shegong.agencies.models import Agency
from shegong.cases import selectors, services, state
from shegong.cases.choices import CaseStatus, ClosureReason, TaiwanItem
from shegong.cases.exports import cases_xlsx
from shegong.cases.filters import CaseFilter
from shegong.cases.forms import (
    AssessmentForm,
    CaseOpenForm,
    ClientFileForm,
    ClosureForm,
    EvaluationForm,
    HouseholdMemberForm,
    NoteCommentForm,
    NoteForm,
    PlanRows,
    ReassignForm,
    ReferralDecisionForm,
    ReferralForm,
    ReopenForm,
    ReviewDecisionForm,
    TaiwanItemForm,
    TaskDoneForm,
    apply_errors,
)
from shegong.cases.models import (
    CASE_WORKERS,
    Case,
    HouseholdMember,
    NoteAttachment,
    PlanTask,
    Referral,
    Review,
    ServiceNote,
    ServicePlan,
)
from shegong.cases.tables import CaseTable, MyCaseTable
from shegong.core.access import log_access
from shegong.core.models import AccessLog
from shegong.core.scope import CHANGE, CONTENT, VIEW, can, user_roles
from shegong.people.choices import IdType
from shegong.people.models import Person
from shegong.people.permissions import may_list_people
from shegong.people.selectors import consents_of, people_for, people_search, user_agency

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PER_PAGE = 25

# The MZ/T 094 steps of the indicator on the case file.
STEPS = (
    CaseStatus.INTAKE,
    CaseStatus.ASSESSMENT,
    CaseStatus.PLANNING,
    CaseStatus.INTERVENTION,
    CaseStatus.EVALUATION,
    CaseStatus.CLOSED,
)


# --- helpers ------------------------------------------------------------------------------------


def _case_or_404(user, pk, action: str = VIEW) -> Case:
    return Case.objects.select_related(
        "client", "community__street", "agency", "worker", "referred_from"
    ).get_for_user_or_404(user, action, pk=pk)


def _working_case(user, pk) -> Case:
    """A case the user may read inside and change: the assigned worker and the agency leads."""
    case = _case_or_404(user, pk, CONTENT)
    if not Case.objects.for_user(user, CHANGE).filter(pk=case.pk).exists():
        raise Http404
    return case


def _require_view_cases(user):
    if not can(user, Case, VIEW):
        raise Http404


def _require_agency_role(user):
    if not (user.is_superuser or user_roles(user) & CASE_WORKERS):
        raise Http404


def _require_lead(user):
    if not (user.is_superuser or selectors.lead_agency_ids(user)):
        raise Http404


def _facts(case: Case, closure_reason: str = "") -> state.Facts:
    return state.Facts(
        has_approved_plan=selectors.approved_plan(case) is not None,
        status_before_closure=case.status_before_closure,
        closure_reason=closure_reason,
    )


def allowed_actions(case: Case) -> set[str]:
    """The state machine's answer for each step, now: which buttons the case file shows."""
    facts = _facts(case, closure_reason=ClosureReason.OTHER)
    allowed = set()
    for action in state.ACTIONS:
        try:
            state.next_status(case.status, action, facts)
        except ValidationError:
            continue
        allowed.add(action)
    return allowed


def _refused(request, case: Case, action: str) -> bool:
    """Whether the state machine refuses ``action`` now; if so the reason becomes a message."""
    try:
        state.next_status(case.status, action, _facts(case, closure_reason=ClosureReason.OTHER))
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
        return True
    return False


def _steps(case: Case) -> list[dict]:
    current = (
        len(STEPS) - 1
        if case.status in (CaseStatus.CLOSURE_PENDING, CaseStatus.CLOSED)
        else STEPS.index(case.status)
    )
    return [
        {
            "label": CaseStatus(status).label,
            "done": index < current or case.status == CaseStatus.CLOSED,
            "current": index == current,
        }
        for index, status in enumerate(STEPS)
    ]


def _to_case(case: Case):
    return redirect("cases:detail", pk=case.pk)


def _form_page(request, case, form, *, title: str, submit: str, testid: str, status=200, **extra):
    context = {"case": case, "form": form, "title": title, "submit": submit, "testid": testid}
    context.update(extra)
    return render(request, "cases/step_form.html", context, status=status)


# --- lists --------------------------------------------------------------------------------------


def _list_filter(request, queryset) -> CaseFilter:
    return CaseFilter(request.GET or None, queryset=queryset, user=request.user)


def _filtered(filterset: CaseFilter):
    # Bad filter input shows its errors and no rows, never an unfiltered list.
    if filterset.is_bound and not filterset.is_valid():
        return filterset.queryset.none()
    return filterset.qs


@login_required
def case_list(request):
    _require_view_cases(request.user)
    filterset = _list_filter(request, selectors.cases_for(request.user))
    rows = selectors.with_content_flag(_filtered(filterset), request.user)
    show_content = selectors.may_list_content(request.user)
    table = CaseTable(rows, show_content=show_content)
    RequestConfig(request, paginate={"per_page": PER_PAGE}).configure(table)
    context = {
        "filter": filterset,
        "table": table,
        "query": request.GET.urlencode(),
        "may_open": user_agency(request.user) is not None,
    }
    template = "cases/_case_table.html" if request.htmx else "cases/case_list.html"
    return render(request, template, context)


@login_required
def case_export(request):
    _require_view_cases(request.user)
    filterset = _list_filter(request, selectors.cases_for(request.user))
    rows = selectors.with_content_flag(_filtered(filterset), request.user)
    content = cases_xlsx(
        rows.order_by("community__code", "intake_date", "id"),
        user=request.user,
        with_content=selectors.may_list_content(request.user),
        request=request,
        filters=filterset.describe(),
    )
    response = HttpResponse(content, content_type=XLSX)
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    response["Content-Disposition"] = f'attachment; filename="cases-{stamp}.xlsx"'
    return response


def _no_contact_days(request) -> int:
    try:
        days = int(request.GET.get("days", ""))
    except ValueError:
        return selectors.no_contact_days_default()
    return max(1, min(days, 3650))


@login_required
def my_work(request):
    _require_agency_role(request.user)
    days = _no_contact_days(request)
    today = timezone.localdate()
    queryset = selectors.my_cases(request.user, today=today, no_contact_days=days)
    show = request.GET.get("show", "")
    if show == "overdue":
        queryset = queryset.filter(overdue_tasks__gt=0)
    elif show == "no_contact":
        queryset = queryset.filter(no_contact=True)
    filterset = _list_filter(request, queryset)
    # The list is the worker's own: the worker filter would only offer themselves.
    filterset.form.fields.pop("worker", None)
    table = MyCaseTable(_filtered(filterset).order_by("-risk_level", "last_contact_date", "id"))
    RequestConfig(request, paginate={"per_page": PER_PAGE}).configure(table)
    context = {
        "filter": filterset,
        "table": table,
        "days": days,
        "show": show,
        "overdue": selectors.overdue_tasks_of(request.user, today=today)[:50],
        "extra_hidden": [("days", days)] + ([("show", show)] if show else []),
        "query": request.GET.urlencode(),
    }
    template = "cases/_my_table.html" if request.htmx else "cases/my_work.html"
    return render(request, template, context)


# --- open a case --------------------------------------------------------------------------------


@login_required
def case_create(request):
    if user_agency(request.user) is None and not request.user.is_superuser:
        raise Http404
    clients = people_for(request.user, VIEW)
    client_pk = request.POST.get("client") or request.GET.get("client")
    chosen = None
    if client_pk:
        chosen = clients.filter(pk=client_pk).first() if str(client_pk).isdigit() else None
        if chosen is None and request.method == "GET":
            raise Http404
    initial = {"intake_date": timezone.localdate(), "client": chosen}
    if chosen is not None and chosen.id_type == IdType.TAIWAN_PERMIT:
        initial["is_taiwan_service"] = True
    form = CaseOpenForm(request.POST or None, clients=clients, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            case = services.case_open(actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        except PermissionDenied as exc:
            raise Http404 from exc
        else:
            messages.success(request, _("Case %(number)s opened.") % {"number": case.number})
            return _to_case(case)
    query = request.GET.get("q", "").strip()
    matches = people_search(clients, query)[:20] if query and chosen is None else []
    context = {"form": form, "client": chosen, "query": query, "matches": matches}
    return render(request, "cases/case_form.html", context)


# --- the case file ------------------------------------------------------------------------------


@login_required
def case_detail(request, pk):
    case = _case_or_404(request.user, pk, VIEW)
    log_access(user=request.user, action=AccessLog.Action.OPEN, obj=case, request=request)
    return render(request, "cases/case_detail.html", _detail_context(request, case))


def _detail_context(request, case: Case, **extra) -> dict:
    user = request.user
    context = {
        "case": case,
        "steps": _steps(case),
        "stats": selectors.case_statistics(case),
        "has_content": selectors.may_read_content(user, case),
    }
    if context["has_content"]:
        may_change = Case.objects.for_user(user, CHANGE).filter(pk=case.pk).exists()
        context.update(selectors.case_content(user, case))
        context.update(
            {
                "may_change": may_change,
                "actions": allowed_actions(case) if may_change else set(),
                "editable_plan": selectors.editable_plan(case) if may_change else None,
                "pending_review": selectors.pending_review(case),
                "may_review": services.may_review(user, case),
                "may_reassign": user.is_superuser
                or case.agency_id in selectors.lead_agency_ids(user),
                "task_form": TaskDoneForm(initial={"done_on": timezone.localdate()}),
                "today": timezone.localdate(),
            }
        )
    context.update(extra)
    if context["has_content"]:
        bound = context.pop("comment_errors", {})
        notes = list(context["notes"])
        for note in notes:
            note.comment_form = bound.get(note.pk) or NoteCommentForm(
                auto_id=f"id_note{note.pk}_%s"
            )
        context["notes"] = notes
    return context


@login_required
def case_print(request, pk):
    case = _case_or_404(request.user, pk, CONTENT)
    log_access(
        user=request.user, action=AccessLog.Action.OPEN, obj=case, detail="print", request=request
    )
    context = {
        "case": case,
        "stats": selectors.case_statistics(case),
        "printed_at": timezone.localtime(),
        **selectors.case_content(request.user, case),
    }
    return render(request, "cases/case_print.html", context)


@login_required
def attachment_download(request, pk, attachment_pk):
    attachment = NoteAttachment.objects.select_related("note__case").get_for_user_or_404(
        request.user, CONTENT, pk=attachment_pk, note__case_id=pk
    )
    log_access(
        user=request.user,
        action=AccessLog.Action.OPEN,
        obj=attachment,
        detail=attachment.note.case.number,
        request=request,
    )
    try:
        handle = attachment.file.open("rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    return FileResponse(handle, as_attachment=True, filename=attachment.name)


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
            apply_errors(form, exc)
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
            apply_errors(rows.form, exc)
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
            apply_errors(form, exc)
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
            apply_errors(form, exc)
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
            apply_errors(form, exc)
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
            apply_errors(form, exc)
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
            apply_errors(form, exc)
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
            apply_errors(form, exc)
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
            apply_errors(form, exc)
        except PermissionDenied as exc:
            raise Http404 from exc
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
            apply_errors(form, exc)
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


# --- supervision --------------------------------------------------------------------------------


def _supervision_page(request, *, bound=None, status=200):
    reviews = list(selectors.supervision_queue(request.user))
    for review in reviews:
        review.may_decide = services.may_review(request.user, review.case)
        if bound is not None and bound[0] == review.pk:
            review.form = bound[1]
        else:
            review.form = ReviewDecisionForm(auto_id=f"id_review{review.pk}_%s")
    context = {"reviews": reviews}
    return render(request, "cases/supervision.html", context, status=status)


@login_required
def supervision(request):
    _require_lead(request.user)
    return _supervision_page(request)


@login_required
@require_POST
def review_decide(request, review_pk):
    _require_lead(request.user)
    review = Review.objects.select_related("case", "plan").get_for_user_or_404(
        request.user, CONTENT, pk=review_pk
    )
    if not services.may_review(request.user, review.case):
        raise Http404
    form = ReviewDecisionForm(request.POST, auto_id=f"id_review{review.pk}_%s")
    if form.is_valid():
        try:
            services.review_decide(
                actor=request.user,
                review=review,
                approve=form.cleaned_data["decision"] == "approve",
                comment=form.cleaned_data["comment"],
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Decision recorded."))
            return redirect("cases:supervision")
    return _supervision_page(request, bound=(review.pk, form))


# --- referrals inbox ------------------------------------------------------------------------------


def _referrals_page(request, *, bound=None):
    referrals = list(selectors.referral_inbox(request.user))
    for referral in referrals:
        if bound is not None and bound[0] == referral.pk:
            referral.form = bound[1]
        else:
            referral.form = ReferralDecisionForm(
                workers=selectors.agency_workers(referral.to_agency),
                auto_id=f"id_referral{referral.pk}_%s",
            )
    answered = selectors.referral_inbox(request.user, pending_only=False).exclude(status="pending")[
        :20
    ]
    return render(request, "cases/referrals.html", {"referrals": referrals, "answered": answered})


@login_required
def referral_inbox(request):
    _require_lead(request.user)
    return _referrals_page(request)


@login_required
@require_POST
def referral_decide(request, referral_pk):
    _require_lead(request.user)
    referral = Referral.objects.select_related("case", "to_agency").get_for_user_or_404(
        request.user, VIEW, pk=referral_pk, to_agency_id__in=selectors.lead_agency_ids(request.user)
    )
    form = ReferralDecisionForm(
        request.POST,
        workers=selectors.agency_workers(referral.to_agency),
        auto_id=f"id_referral{referral.pk}_%s",
    )
    if form.is_valid():
        accept = form.cleaned_data["decision"] == "accept"
        try:
            services.referral_decide(
                actor=request.user,
                referral=referral,
                accept=accept,
                decline_reason=form.cleaned_data["decline_reason"],
                worker=form.cleaned_data["worker"] if accept else None,
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        except PermissionDenied as exc:
            raise Http404 from exc
        else:
            if accept:
                messages.success(request, _("Referral accepted: a case was opened."))
            else:
                messages.success(request, _("Referral declined."))
            return redirect("cases:referrals")
    return _referrals_page(request, bound=(referral.pk, form))


# --- client file ----------------------------------------------------------------------------------


def _person_or_404(user, person_pk, action: str = VIEW) -> Person:
    # Staff only: a volunteer may read their own person record, but a client file is case work.
    if not may_list_people(user):
        raise Http404
    return Person.objects.select_related("community", "owner_agency").get_for_user_or_404(
        user, action, pk=person_pk
    )


def _client_context(request, person: Person, **bound) -> dict:
    user = request.user
    client_file = selectors.client_file_of(person)
    may_change = Person.objects.for_user(user, CHANGE).filter(pk=person.pk).exists()
    is_taiwan = person.id_type == IdType.TAIWAN_PERMIT
    context = {
        "person": person,
        "client_file": client_file,
        "household": selectors.household_of(client_file),
        "cases": selectors.with_content_flag(selectors.person_cases(user, person), user),
        "consents": consents_of(person),
        "may_change": may_change,
        "may_open": may_change and user_agency(user) is not None,
        "is_taiwan": is_taiwan,
    }
    if may_change:
        context["file_form"] = bound.get("file_form") or ClientFileForm(
            initial={
                "target_groups": list(client_file.target_groups.all()) if client_file.pk else [],
                "address": client_file.address,
                "living_situation": client_file.living_situation,
                "notes": client_file.notes,
            }
        )
        context["member_form"] = bound.get("member_form") or HouseholdMemberForm()
    if is_taiwan:
        items = selectors.taiwan_items_of(person)
        rows = []
        for item in TaiwanItem:
            entry = items.get(item.value)
            form = bound.get("taiwan", {}).get(item.value) or TaiwanItemForm(
                prefix=f"tw-{item.value}",
                initial={"status": entry.status, "note": entry.note} if entry else None,
            )
            rows.append({"item": item, "entry": entry, "form": form})
        context["taiwan_rows"] = rows
    return context


@login_required
def client_file(request, person_pk):
    person = _person_or_404(request.user, person_pk)
    if request.method == "POST":
        person = _person_or_404(request.user, person_pk, CHANGE)
        form = ClientFileForm(request.POST)
        if form.is_valid():
            try:
                services.client_file_save(actor=request.user, person=person, **form.cleaned_data)
            except ValidationError as exc:
                apply_errors(form, exc)
            except PermissionDenied as exc:
                raise Http404 from exc
            else:
                messages.success(request, _("Client file saved."))
                return redirect("cases:client_file", person_pk=person.pk)
        return render(
            request, "cases/client_file.html", _client_context(request, person, file_form=form)
        )
    return render(request, "cases/client_file.html", _client_context(request, person))


@login_required
@require_POST
def household_add(request, person_pk):
    person = _person_or_404(request.user, person_pk, CHANGE)
    form = HouseholdMemberForm(request.POST)
    if form.is_valid():
        try:
            client_file = selectors.client_file_of(person)
            if client_file.pk is None:
                client_file = services.client_file_save(actor=request.user, person=person)
            services.household_member_add(
                actor=request.user, client_file=client_file, **form.cleaned_data
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        except PermissionDenied as exc:
            raise Http404 from exc
        else:
            messages.success(request, _("Household member added."))
            return redirect(reverse("cases:client_file", args=[person.pk]) + "#household")
    return render(
        request, "cases/client_file.html", _client_context(request, person, member_form=form)
    )


@login_required
@require_POST
def household_remove(request, person_pk, member_pk):
    person = _person_or_404(request.user, person_pk, CHANGE)
    member = HouseholdMember.objects.get_for_user_or_404(
        request.user, CHANGE, pk=member_pk, client_file__person=person
    )
    try:
        services.household_member_remove(actor=request.user, member=member)
    except PermissionDenied as exc:
        raise Http404 from exc
    messages.success(request, _("Household member removed."))
    return redirect(reverse("cases:client_file", args=[person.pk]) + "#household")


@login_required
@require_POST
def taiwan_item(request, person_pk, item):
    person = _person_or_404(request.user, person_pk, CHANGE)
    if item not in TaiwanItem.values:
        raise Http404
    form = TaiwanItemForm(request.POST, prefix=f"tw-{item}")
    if form.is_valid():
        try:
            services.taiwan_item_set(
                actor=request.user, person=person, item=item, **form.cleaned_data
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        except PermissionDenied as exc:
            raise Http404 from exc
        else:
            messages.success(request, _("Checklist updated."))
            return redirect(reverse("cases:client_file", args=[person.pk]) + "#taiwan")
    if person.id_type != IdType.TAIWAN_PERMIT:
        for error in form.non_field_errors() or form.errors.get("status", []):
            messages.error(request, error)
        return redirect("cases:client_file", person_pk=person.pk)
    return render(
        request, "cases/client_file.html", _client_context(request, person, taiwan={item: form})
    )
