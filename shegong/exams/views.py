"""Pages of exam preparation: practice for every login, the bank and results for the academy."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from shegong.core.exports import xlsx_response
from shegong.core.forms import apply_service_errors
from shegong.core.lists import Column, headers, page_of
from shegong.core.ordering import field_label
from shegong.core.scope import CHANGE
from shegong.exams import registry
from shegong.exams.choices import MOCK_PASS_PERCENT, AttemptMode, ExamLevel, Subject
from shegong.exams.exports import questions_xlsx, results_xlsx
from shegong.exams.forms import AttemptStartForm, QuestionForm, ResultForm
from shegong.exams.models import ExamResult, Question
from shegong.exams.selectors import (
    attempt_for_user_or_404,
    attempt_items,
    attempts_for,
    bank_counts,
    last_attempts,
    pass_rates,
    progress_for,
    question_filter,
    question_for_user_or_404,
    result_filter,
    result_for_user_or_404,
    results_for,
    trainee_comparison,
)
from shegong.exams.services import (
    QUESTION_FIELDS,
    RESULT_FIELDS,
    attempt_close_if_expired,
    attempt_start,
    attempt_submit,
    may_manage_exams,
    may_practise,
    question_create,
    question_retire,
    question_update,
    result_create,
    result_update,
    scoring_rule,
)

QUESTION_COLUMNS = [
    Column(gettext_lazy("Number"), sort="number"),
    Column(field_label(Question, "subject"), sort="subject"),
    Column(field_label(Question, "level"), sort="level"),
    Column(field_label(Question, "kind"), sort="kind"),
    Column(field_label(Question, "stem")),
    Column(field_label(Question, "answer")),
    Column(field_label(Question, "is_active"), sort="is_active"),
]
RESULT_COLUMNS = [
    Column(field_label(ExamResult, "year"), sort="year"),
    Column(field_label(ExamResult, "person"), sort="person"),
    Column(gettext_lazy("ID number")),
    Column(field_label(ExamResult, "level"), sort="level"),
    Column(field_label(ExamResult, "subject"), sort="subject"),
    Column(field_label(ExamResult, "score"), sort="score"),
    Column(field_label(ExamResult, "passed"), sort="passed"),
]


def _require_learner(user):
    if not may_practise(user):
        raise PermissionDenied


def _require_admin(user):
    if not may_manage_exams(user):
        raise PermissionDenied


# --- practice ---------------------------------------------------------------------------------
def _home(request, form):
    return render(
        request,
        "exams/home.html",
        {
            "form": form,
            "progress": progress_for(request.user),
            "attempts": last_attempts(request.user),
            "results": results_for(request.user).filter(person__user_account=request.user),
            "bank": [
                ((ExamLevel(level).label, Subject(subject).label), count)
                for (level, subject), count in sorted(bank_counts().items())
            ],
            "scoring_rule": scoring_rule(),
            "may_manage": may_manage_exams(request.user),
        },
    )


@login_required
def home(request):
    _require_learner(request.user)
    return _home(request, AttemptStartForm())


@login_required
@require_POST
def attempt_start_view(request):
    _require_learner(request.user)
    form = AttemptStartForm(request.POST)
    if form.is_valid():
        try:
            attempt = attempt_start(actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            return redirect("exams:attempt", pk=attempt.pk)
    return _home(request, form)


@login_required
def attempt_list(request):
    _require_learner(request.user)
    rows = attempts_for(request.user)
    if request.GET.get("open"):
        rows = rows.filter(finished_at__isnull=True).filter(
            Q(deadline__isnull=True) | Q(deadline__gt=timezone.now())
        )
    return render(
        request,
        "exams/attempt_list.html",
        {
            "page_obj": page_of(request, rows.order_by("-started_at", "-pk")),
            "open": bool(request.GET.get("open")),
        },
    )


def _answers_from_post(post, items) -> dict:
    """q<position> -> letters; a multiple-choice question sends one value per ticked box."""
    answers = {}
    for item in items:
        chosen = post.getlist(f"q{item.position}")
        if chosen:
            answers[item.position] = "".join(chosen)
    return answers


@login_required
def attempt_detail(request, pk):
    attempt = attempt_for_user_or_404(request.user, pk)
    attempt = attempt_close_if_expired(actor=request.user, attempt=attempt)
    items = attempt_items(attempt)
    errors = []
    if request.method == "POST":
        if attempt.is_finished:
            return redirect("exams:attempt", pk=attempt.pk)
        try:
            attempt = attempt_submit(
                actor=request.user, attempt=attempt, answers=_answers_from_post(request.POST, items)
            )
        except ValidationError as exc:
            attempt.refresh_from_db(fields=["finished_at"])
            if attempt.is_finished:
                # Handed in by another request meanwhile (a double click): show it scored.
                return redirect("exams:attempt", pk=attempt.pk)
            errors = exc.messages
        else:
            if attempt.late_answers_ignored:
                messages.warning(
                    request,
                    _("Time was up: the answers handed in after the deadline were not counted."),
                )
            return redirect("exams:attempt", pk=attempt.pk)
    given = {item.position: item.chosen for item in items}
    if request.method == "POST":
        given.update(_answers_from_post(request.POST, items))
    return render(
        request,
        "exams/attempt.html",
        {
            "attempt": attempt,
            "items": [(item, given.get(item.position, "")) for item in items],
            "errors": errors,
            "scoring_rule": scoring_rule(),
            "is_mock": attempt.mode == AttemptMode.MOCK,
            "passed": attempt.percent is not None and attempt.percent >= MOCK_PASS_PERCENT,
            "seconds_left": max(0, int((attempt.deadline - timezone.now()).total_seconds()))
            if attempt.deadline and not attempt.is_finished
            else None,
        },
    )


# --- question bank ----------------------------------------------------------------------------
@login_required
def question_list(request):
    _require_admin(request.user)
    filterset = question_filter(request.user, request.GET)
    context = {
        "filter": filterset,
        "page_obj": page_of(request, filterset.qs),
        "headers": headers(request, QUESTION_COLUMNS),
        "query": request.GET.urlencode(),
    }
    template = "exams/_question_table.html" if request.htmx else "exams/question_list.html"
    return render(request, template, context)


@login_required
def question_create_view(request):
    _require_admin(request.user)
    form = QuestionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            question = question_create(actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("Question %(n)s added.") % {"n": question.number})
            return redirect("exams:questions")
    return render(request, "exams/question_form.html", {"form": form, "question": None})


@login_required
def question_edit(request, pk):
    question = question_for_user_or_404(request.user, pk, CHANGE)
    initial = {name: getattr(question, name) for name in QUESTION_FIELDS}
    initial["is_active"] = question.is_active
    form = QuestionForm(request.POST or None, initial=initial, editing=True)
    if request.method == "POST" and form.is_valid():
        try:
            question_update(actor=request.user, question=question, **form.cleaned_data)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("Question %(n)s saved.") % {"n": question.number})
            return redirect("exams:questions")
    return render(request, "exams/question_form.html", {"form": form, "question": question})


@login_required
@require_POST
def question_retire_view(request, pk):
    question = question_for_user_or_404(request.user, pk, CHANGE)
    try:
        question_retire(actor=request.user, question=question)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request,
            _("Question %(n)s retired: new quizzes no longer draw it.") % {"n": question.number},
        )
    return redirect("exams:question_edit", pk=question.pk)


@login_required
def question_export(request):
    _require_admin(request.user)
    filterset = question_filter(request.user, request.GET)
    content = questions_xlsx(
        filterset.qs.order_by("subject", "level", "pk"),
        user=request.user,
        request=request,
        filters=request.GET.urlencode(),
    )
    return xlsx_response(content, "exam-questions")


# --- national exam results --------------------------------------------------------------------
@login_required
def result_list(request):
    """The academy's administrator sees the district's results; anyone else their own."""
    _require_learner(request.user)
    filterset = result_filter(request.user, request.GET)
    context = {
        "filter": filterset,
        "page_obj": page_of(request, filterset.qs),
        "headers": headers(request, RESULT_COLUMNS),
        "query": request.GET.urlencode(),
        "may_manage": may_manage_exams(request.user),
    }
    template = "exams/_result_table.html" if request.htmx else "exams/result_list.html"
    return render(request, template, context)


@login_required
def result_export(request):
    _require_learner(request.user)
    filterset = result_filter(request.user, request.GET)
    content = results_xlsx(
        filterset.qs.order_by("-year", "person__name", "pk"),
        user=request.user,
        request=request,
        filters=request.GET.urlencode(),
    )
    return xlsx_response(content, "exam-results")


@login_required
def result_create_view(request):
    _require_admin(request.user)
    form = ResultForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            result_create(actor=request.user, request=request, **form.service_data())
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("Result recorded."))
            return redirect("exams:results")
    return render(request, "exams/result_form.html", {"form": form, "result": None})


@login_required
def result_edit(request, pk):
    result = result_for_user_or_404(request.user, pk, CHANGE)
    initial = {name: getattr(result, name) for name in RESULT_FIELDS}
    initial["passed"] = "true" if result.passed else "false"
    form = ResultForm(request.POST or None, initial=initial, editing=True)
    if request.method == "POST" and form.is_valid():
        try:
            result_update(actor=request.user, result=result, **form.service_data())
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("Result saved."))
            return redirect("exams:results")
    return render(request, "exams/result_form.html", {"form": form, "result": result})


@login_required
def pass_rate_view(request):
    _require_admin(request.user)
    filterset = result_filter(request.user, request.GET)
    results = filterset.qs
    return render(
        request,
        "exams/pass_rates.html",
        {
            "filter": filterset,
            "tables": [
                (_("By level"), pass_rates(results, ("level",)), "rate-level"),
                (
                    _("By level and subject"),
                    pass_rates(results, ("level", "subject")),
                    "rate-subject",
                ),
                (_("By year"), pass_rates(results, ("year",)), "rate-year"),
                (_("By year and level"), pass_rates(results, ("year", "level")), "rate-year-level"),
            ],
            "trainees": trainee_comparison(results),
            "has_sources": registry.has_trainee_sources(),
        },
    )
