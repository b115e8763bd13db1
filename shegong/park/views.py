"""Pages of the incubation park: the overview (occupancy and arrears), units, contracts with
their rent schedule and payments. Thin: a predicate, a selector or a service, a template."""

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
from shegong.park import selectors, state
from shegong.park.exports import arrears_xlsx
from shegong.park.forms import (
    ContractForm,
    ParkForm,
    PaymentForm,
    ReversalForm,
    TerminateForm,
    UnitForm,
)
from shegong.park.models import Contract, Park, Unit
from shegong.park.services import (
    contract_activate,
    contract_cancel,
    contract_create,
    contract_end,
    contract_terminate,
    may_run_park,
    park_create,
    payment_record,
    payment_reverse,
    unit_create,
    unit_set_status,
)

UNIT_COLUMNS = [
    Column(field_label(Unit, "code"), sort="code"),
    Column(field_label(Unit, "park")),
    Column(field_label(Unit, "floor"), sort="floor"),
    Column(field_label(Unit, "area"), sort="area", css="text-end"),
    Column(gettext_lazy("Monthly list rent (yuan)"), sort="rent", css="text-end"),
    Column(field_label(Unit, "status")),
    Column(gettext_lazy("Tenant today")),
]
CONTRACT_COLUMNS = [
    Column(field_label(Contract, "tenant_name"), sort="tenant"),
    Column(field_label(Contract, "units")),
    Column(field_label(Contract, "start_date"), sort="start"),
    Column(field_label(Contract, "end_date"), sort="end"),
    Column(field_label(Contract, "status")),
    Column(gettext_lazy("Monthly list rent (yuan)"), sort="rent", css="text-end"),
    Column(gettext_lazy("Arrears (yuan)"), css="text-end"),
]


def _filtered(filterset):
    # Bad filter input shows its errors and no rows, never an unfiltered list.
    if filterset.is_bound and not filterset.is_valid():
        return filterset.queryset.none()
    return filterset.qs


def _require(user, model):
    if not can(user, model, VIEW):
        raise PermissionDenied


@login_required
def overview(request):
    _require(request.user, Contract)
    filterset = selectors.contract_filter(request.user, request.GET)
    rows = selectors.arrears_rows(_filtered(filterset))
    context = {
        "filter": filterset,
        "parks": selectors.occupancy(request.user) if can(request.user, Park, VIEW) else [],
        "arrears": rows,
        "arrears_total": sum((row.standing.arrears for row in rows), 0),
        "may_run": may_run_park(request.user),
        "may_see_units": can(request.user, Unit, VIEW),
        "query": request.GET.urlencode(),
    }
    return render(request, "park/overview.html", context)


@login_required
def arrears_export(request):
    _require(request.user, Contract)
    filterset = selectors.contract_filter(request.user, request.GET)
    content = arrears_xlsx(
        selectors.arrears_rows(_filtered(filterset)),
        user=request.user,
        request=request,
        filters=request.GET.urlencode(),
    )
    return xlsx_response(content, "park-arrears")


@login_required
def park_new(request):
    if not may_run_park(request.user):
        raise PermissionDenied
    form = ParkForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            park = park_create(actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("Park %(name)s created.") % {"name": park.name})
            return redirect("park:overview")
    return render(request, "park/form.html", {"form": form, "title": _("New park")})


@login_required
def unit_list(request):
    _require(request.user, Unit)
    filterset = selectors.unit_filter(request.user, request.GET)
    page = page_of(request, _filtered(filterset))
    tenants = selectors.tenants_today([unit.pk for unit in page])
    for unit in page:
        unit.tenant_today = tenants.get(unit.pk)
    context = {
        "filter": filterset,
        "page_obj": page,
        "headers": headers(request, UNIT_COLUMNS),
        "may_run": may_run_park(request.user),
    }
    template = "park/_unit_table.html" if request.htmx else "park/unit_list.html"
    return render(request, template, context)


@login_required
def unit_new(request):
    parks = selectors.parks_for(request.user, CHANGE)
    if not may_run_park(request.user):
        raise PermissionDenied
    form = UnitForm(request.POST or None, parks=parks)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            unit = unit_create(actor=request.user, **data)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("Unit %(code)s added.") % {"code": unit.code})
            return redirect("park:units")
    return render(request, "park/form.html", {"form": form, "title": _("New unit")})


@login_required
@require_POST
def unit_status(request, pk):
    unit = selectors.unit_for_user_or_404(request.user, pk, CHANGE)
    try:
        unit_set_status(actor=request.user, unit=unit, status=request.POST.get("status", ""))
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(
            request,
            _("Unit %(code)s is now %(status)s.")
            % {"code": unit.code, "status": unit.get_status_display()},
        )
    return redirect("park:units")


@login_required
def contract_list(request):
    _require(request.user, Contract)
    filterset = selectors.contract_filter(request.user, request.GET)
    page = page_of(request, _filtered(filterset))
    results = selectors.standings(page)
    for contract in page:
        contract.standing = results[contract.pk]
    context = {
        "filter": filterset,
        "page_obj": page,
        "headers": headers(request, CONTRACT_COLUMNS),
        "may_run": may_run_park(request.user),
        "may_see_units": can(request.user, Unit, VIEW),
    }
    template = "park/_contract_table.html" if request.htmx else "park/contract_list.html"
    return render(request, template, context)


@login_required
def contract_new(request):
    if not may_run_park(request.user):
        raise PermissionDenied
    parks = selectors.parks_for(request.user, CHANGE)
    units = selectors.units_for(request.user, CHANGE).filter(status="in_service")
    form = ContractForm(request.POST or None, user=request.user, parks=parks, units=units)
    if request.method == "POST" and form.is_valid():
        try:
            contract = contract_create(actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("Contract drafted. Check the schedule, then activate it."))
            return redirect("park:contract", pk=contract.pk)
    return render(request, "park/form.html", {"form": form, "title": _("New contract")})


@login_required
def contract_detail(request, pk):
    contract = selectors.contract_for_user_or_404(request.user, pk)
    payments = list(selectors.payments_of(request.user, contract))
    standing = selectors.standings([contract])[contract.pk]
    may_run = selectors.may_run(request.user, contract)
    context = {
        "contract": contract,
        "units": contract.units.order_by("code"),
        "standing": standing,
        "payments": payments,
        "may_run": may_run,
        "actions": state.allowed(contract.status) if may_run else [],
        "may_pay": may_run and contract.status not in ("draft", "cancelled"),
        "terminate_form": TerminateForm(initial={"last_day": timezone.localdate()}),
    }
    return render(request, "park/contract_detail.html", context)


def _flow(request, pk, service, done):
    contract = selectors.contract_for_user_or_404(request.user, pk, CHANGE)
    try:
        service(actor=request.user, contract=contract)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, done)
    return redirect("park:contract", pk=contract.pk)


@login_required
@require_POST
def contract_activate_view(request, pk):
    return _flow(request, pk, contract_activate, _("The contract is in force."))


@login_required
@require_POST
def contract_end_view(request, pk):
    return _flow(request, pk, contract_end, _("The contract has ended."))


@login_required
@require_POST
def contract_cancel_view(request, pk):
    return _flow(request, pk, contract_cancel, _("The draft is cancelled; its units are free."))


@login_required
def contract_terminate_view(request, pk):
    contract = selectors.contract_for_user_or_404(request.user, pk, CHANGE)
    form = TerminateForm(request.POST or None, initial={"last_day": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            contract_terminate(actor=request.user, contract=contract, **form.cleaned_data)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("The contract is terminated."))
            return redirect("park:contract", pk=contract.pk)
    title = _("Terminate the contract of %(tenant)s") % {"tenant": contract.tenant_name}
    return render(request, "park/form.html", {"form": form, "title": title, "contract": contract})


@login_required
def payment_new(request, pk):
    contract = selectors.contract_for_user_or_404(request.user, pk, CHANGE)
    form = PaymentForm(request.POST or None, initial={"paid_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            payment = payment_record(actor=request.user, contract=contract, **form.cleaned_data)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(
                request,
                _("Payment of %(amount)s yuan recorded (entry %(no)s).")
                % {"amount": payment.amount, "no": payment.entry_no},
            )
            return redirect("park:contract", pk=contract.pk)
    standing = selectors.standings([contract])[contract.pk]
    title = _("Record rent from %(tenant)s") % {"tenant": contract.tenant_name}
    return render(
        request,
        "park/form.html",
        {"form": form, "title": title, "contract": contract, "standing": standing},
    )


@login_required
def payment_reverse_view(request, pk, payment_pk):
    contract = selectors.contract_for_user_or_404(request.user, pk, CHANGE)
    payment = selectors.payment_for_user_or_404(request.user, contract, payment_pk)
    form = ReversalForm(request.POST or None, initial={"paid_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            payment_reverse(actor=request.user, payment=payment, **form.cleaned_data)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("Entry %(no)s reversed.") % {"no": payment.entry_no})
            return redirect("park:contract", pk=contract.pk)
    title = _("Reverse entry %(no)s (%(amount)s yuan)") % {
        "no": payment.entry_no,
        "amount": payment.amount,
    }
    return render(request, "park/form.html", {"form": form, "title": title, "contract": contract})
