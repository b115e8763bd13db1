"""Pages of purchased services: thin, every read through the selectors' scope, every write
through the services. "Not yours" answers 404 like "not found"."""

from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from shegong.core.exports import xlsx_response
from shegong.core.forms import apply_service_errors
from shegong.core.lists import Column, headers, page_of
from shegong.core.ordering import field_label
from shegong.core.scope import CHANGE, VIEW, can
from shegong.purchasing import exports, selectors, services
from shegong.purchasing.forms import (
    AssignForm,
    BudgetForm,
    CloseForm,
    ContractChangeForm,
    EvaluationForm,
    PayForm,
    ProjectForm,
    SignForm,
)
from shegong.purchasing.models import Budget, Project, Tranche

PROJECT_COLUMNS = [
    Column(field_label(Project, "title"), sort="title"),
    Column(field_label(Project, "agency"), sort="agency"),
    Column(gettext_lazy("Street")),
    Column(field_label(Project, "starts_on"), sort="start"),
    Column(field_label(Project, "contract_amount"), sort="amount", css="text-end"),
    Column(gettext_lazy("Paid (yuan)"), css="text-end"),
    Column(gettext_lazy("Latest grade")),
]
BUDGET_COLUMNS = [
    Column(field_label(Budget, "year"), sort="year"),
    Column(gettext_lazy("Funding source"), sort="source"),
    Column(field_label(Budget, "amount"), sort="amount", css="text-end"),
    Column(gettext_lazy("Committed (yuan)"), css="text-end"),
    Column(gettext_lazy("Paid (yuan)"), css="text-end"),
    Column(gettext_lazy("Remaining (yuan)"), css="text-end"),
    Column(gettext_lazy("Projects"), css="text-end"),
]


def _filtered(filterset):
    # Bad filter input shows its errors and no rows, never an unfiltered list.
    if filterset.is_bound and not filterset.is_valid():
        return filterset.queryset.none()
    return filterset.qs


def _require(user, model, action=VIEW):
    if not can(user, model, action):
        raise PermissionDenied


# Projects ----------------------------------------------------------------------------------


@login_required
def project_list(request):
    _require(request.user, Project)
    filterset = selectors.project_filter(request.user, request.GET)
    context = {
        "filter": filterset,
        "page_obj": page_of(request, _filtered(filterset)),
        "headers": headers(request, PROJECT_COLUMNS),
        "may_create": can(request.user, Project, CHANGE),
        "due": selectors.evaluations_due(request.user),
        "query": request.GET.urlencode(),
    }
    template = "purchasing/_project_table.html" if request.htmx else "purchasing/project_list.html"
    return render(request, template, context)


@login_required
def project_export(request):
    _require(request.user, Project)
    filterset = selectors.project_filter(request.user, request.GET)
    content = exports.projects_xlsx(
        _filtered(filterset).order_by("-starts_on", "id"),
        user=request.user,
        request=request,
        filters=request.GET.urlencode(),
    )
    return xlsx_response(content, "purchased-service-projects")


@login_required
def project_create(request):
    _require(request.user, Project, CHANGE)
    form = ProjectForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            project = services.project_create(actor=request.user, **form.service_data())
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("Project %(title)s created.") % {"title": project.title})
            return redirect("purchasing:project_detail", pk=project.pk)
    return render(
        request, "purchasing/form.html", {"form": form, "title": _("New service project")}
    )


@login_required
def project_detail(request, pk):
    project = selectors.project_page_or_404(request.user, pk)
    communities = list(project.communities.order_by("code"))
    # The evaluations are read once: for the page, the tranches' gates and the satisfaction.
    evaluations = list(selectors.evaluations_of(project))
    actuals = selectors.kpi_actuals(project, [c.pk for c in communities], evaluations)
    # The district keeps every project it sees: the roles say it, no query (services check).
    may_keep = can(request.user, Project, CHANGE)
    tranches = selectors.tranches_of(project, evaluations)
    # What was paid, from the tranches' payments already loaded.
    project.paid = sum((t.payment.amount for t in tranches if t.is_paid), Decimal("0.00"))
    context = {
        "project": project,
        "communities": communities,
        "kpis": selectors.kpi_rows(project, actuals),
        "actuals": actuals,
        "tranches": tranches,
        "evaluations": evaluations,
        "changes": list(project.changes.select_related("changed_by")),
        "evaluators": list(project.evaluators.all()),
        "may_keep": may_keep,
        "may_evaluate": selectors.is_assigned_evaluator(request.user, project),
        # A plain list of (id, name): the page needs no form object to offer the evaluators.
        "evaluator_choices": selectors.evaluator_choices() if may_keep else (),
        "today": timezone.localdate(),
    }
    return render(request, "purchasing/project_detail.html", context)


def _form_page(request, project, form, service, *, title, done, **kwargs):
    if request.method == "POST" and form.is_valid():
        data = form.service_data() if hasattr(form, "service_data") else form.cleaned_data
        try:
            service(actor=request.user, project=project, **data, **kwargs)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, done)
            return redirect("purchasing:project_detail", pk=project.pk)
    return render(
        request, "purchasing/form.html", {"form": form, "title": title, "project": project}
    )


@login_required
def project_sign(request, pk):
    project = selectors.project_for_user_or_404(request.user, pk, CHANGE)
    form = SignForm(request.POST or None, initial={"signed_on": timezone.localdate()})
    return _form_page(
        request,
        project,
        form,
        services.project_sign,
        title=_("Record the contract's signing"),
        done=_("Contract signing recorded."),
    )


@login_required
def contract_change(request, pk):
    project = selectors.project_for_user_or_404(request.user, pk, CHANGE)
    form = ContractChangeForm(
        request.POST or None,
        initial={"amount": project.contract_amount, "ends_on": project.ends_on},
    )
    return _form_page(
        request,
        project,
        form,
        services.project_change_contract,
        title=_("Change the contract"),
        done=_("Contract change recorded."),
    )


@login_required
@require_POST
def evaluator_assign(request, pk):
    project = selectors.project_for_user_or_404(request.user, pk, CHANGE)
    form = AssignForm(request.POST)
    if form.is_valid():
        try:
            services.project_assign_evaluator(
                actor=request.user, project=project, evaluator=form.cleaned_data["evaluator"]
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Evaluator assigned."))
    else:
        messages.error(request, _("Choose an evaluator."))
    return redirect("purchasing:project_detail", pk=project.pk)


@login_required
def tranche_pay(request, pk):
    tranche = Tranche.objects.select_related("project").get_for_user_or_404(
        request.user, CHANGE, pk=pk
    )
    project = tranche.project
    form = PayForm(request.POST or None, initial={"paid_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            services.tranche_pay(actor=request.user, tranche=tranche, **form.cleaned_data)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("Tranche %(n)s paid.") % {"n": tranche.seq})
            return redirect("purchasing:project_detail", pk=project.pk)
    return render(
        request,
        "purchasing/form.html",
        {
            "form": form,
            "project": project,
            "title": _("Pay tranche %(n)s (%(percent)s %%)")
            % {"n": tranche.seq, "percent": tranche.percent},
            "note": services.gate_text(tranche),
        },
    )


@login_required
def evaluation_new(request, pk):
    project = selectors.project_for_user_or_404(request.user, pk)
    if not selectors.is_assigned_evaluator(request.user, project):
        raise PermissionDenied
    form = EvaluationForm(request.POST or None, initial={"evaluated_on": timezone.localdate()})
    return _form_page(
        request,
        project,
        form,
        services.evaluation_submit,
        title=_("Evaluate the project"),
        done=_("Evaluation recorded."),
    )


@login_required
def payable(request):
    _require(request.user, Tranche, CHANGE)
    rows = selectors.payable_tranches(request.user).select_related("project__agency")
    return render(
        request,
        "purchasing/payable.html",
        {"page_obj": page_of(request, rows.order_by("project__starts_on", "id"))},
    )


# Rectification items -------------------------------------------------------------------------


@login_required
def rectification_list(request):
    from shegong.purchasing.models import Rectification

    _require(request.user, Rectification)
    rows = (
        Rectification.objects.for_user(request.user)
        .select_related("project", "evaluation")
        .order_by("closed_on", "deadline", "id")
    )
    return render(
        request,
        "purchasing/rectification_list.html",
        {
            "page_obj": page_of(request, rows),
            "today": timezone.localdate(),
            "may_close": can(request.user, Rectification, CHANGE),
        },
    )


@login_required
def rectification_close(request, pk):
    item = selectors.rectification_for_user_or_404(request.user, pk, CHANGE)
    form = CloseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.rectification_close(actor=request.user, item=item, **form.cleaned_data)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("Rectification item closed."))
            return redirect("purchasing:rectification_list")
    return render(
        request,
        "purchasing/form.html",
        {"form": form, "title": _("Close a rectification item"), "note": item.description},
    )


# Budgets and portfolio -----------------------------------------------------------------------


@login_required
def budget_list(request):
    _require(request.user, Budget)
    filterset = selectors.budget_filter(request.user, request.GET)
    rows = _filtered(filterset)
    context = {
        "filter": filterset,
        "years": selectors.execution_by_year(rows.order_by("-year", "street__code")),
        "headers": headers(request, BUDGET_COLUMNS),
        "may_create": can(request.user, Budget, CHANGE),
        "query": request.GET.urlencode(),
    }
    return render(request, "purchasing/budget_list.html", context)


@login_required
def budget_export(request):
    _require(request.user, Budget)
    filterset = selectors.budget_filter(request.user, request.GET)
    content = exports.budgets_xlsx(
        _filtered(filterset).order_by("-year", "street__code"),
        user=request.user,
        request=request,
        filters=request.GET.urlencode(),
    )
    return xlsx_response(content, "budget-execution")


@login_required
def budget_create(request):
    _require(request.user, Budget, CHANGE)
    form = BudgetForm(request.POST or None, initial={"year": timezone.localdate().year})
    if request.method == "POST" and form.is_valid():
        try:
            services.budget_create(actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("Budget created."))
            return redirect("purchasing:budget_list")
    return render(request, "purchasing/form.html", {"form": form, "title": _("New budget")})


@login_required
def portfolio(request):
    _require(request.user, Project)
    return render(
        request,
        "purchasing/portfolio.html",
        {"rows": selectors.agency_portfolio(request.user), "year": timezone.localdate().year},
    )


@login_required
def portfolio_export(request):
    _require(request.user, Project)
    content = exports.portfolio_xlsx(
        selectors.agency_portfolio(request.user), user=request.user, request=request
    )
    return xlsx_response(content, "agency-portfolio")
