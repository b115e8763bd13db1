from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from shegong.core.exports import xlsx_response
from shegong.core.forms import apply_service_errors
from shegong.core.lists import Column, headers, page_of
from shegong.core.ordering import field_label
from shegong.core.scope import CHANGE, VIEW, can
from shegong.funds import selectors
from shegong.funds.exports import funds_xlsx, ledger_xlsx
from shegong.funds.forms import DisbursementForm, DonationEntryForm, FundOpenForm, ReversalForm
from shegong.funds.models import Entry, Fund
from shegong.funds.services import (
    disbursement_record,
    donation_record,
    entry_reverse,
    fund_open,
    may_open_fund,
)
from shegong.places.selectors import communities_within

FUND_COLUMNS = [
    Column(field_label(Fund, "name"), sort="name"),
    Column(gettext_lazy("Street"), sort="street"),
    Column(field_label(Fund, "community"), sort="community"),
    Column(gettext_lazy("Balance (yuan)"), sort="balance", css="text-end"),
]
ENTRY_COLUMNS = [
    Column(field_label(Entry, "receipt_no"), sort="receipt"),
    Column(field_label(Entry, "occurred_on"), sort="date"),
    Column(field_label(Entry, "kind"), sort="kind"),
    Column(gettext_lazy("Amount (yuan)"), sort="amount", css="text-end"),
    Column(gettext_lazy("Details")),
    Column(gettext_lazy("Actions")),
]


def _filtered(filterset):
    # Bad filter input shows its errors and no rows, never an unfiltered list.
    if filterset.is_bound and not filterset.is_valid():
        return filterset.queryset.none()
    return filterset.qs


def _require_viewer(user):
    if not can(user, Fund, VIEW):
        raise PermissionDenied


@login_required
def fund_list(request):
    _require_viewer(request.user)
    filterset = selectors.fund_filter(request.user, request.GET)
    context = {
        "filter": filterset,
        "page_obj": page_of(request, _filtered(filterset)),
        "headers": headers(request, FUND_COLUMNS),
        "may_open": may_open_fund(request.user)
        and communities_within(request.user).filter(charity_fund__isnull=True).exists(),
        "query": request.GET.urlencode(),
    }
    template = "funds/_fund_table.html" if request.htmx else "funds/fund_list.html"
    return render(request, template, context)


@login_required
def fund_export(request):
    _require_viewer(request.user)
    filterset = selectors.fund_filter(request.user, request.GET)
    content = funds_xlsx(
        _filtered(filterset).order_by("community__code"),
        user=request.user,
        request=request,
        filters=request.GET.urlencode(),
    )
    return xlsx_response(content, "charity-funds")


@login_required
def fund_create(request):
    if not may_open_fund(request.user):
        raise PermissionDenied
    form = FundOpenForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            fund = fund_open(actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("Charity fund %(name)s opened.") % {"name": fund.name})
            return redirect("funds:detail", pk=fund.pk)
    return render(request, "funds/fund_form.html", {"form": form})


@login_required
def fund_detail(request, pk):
    fund = selectors.fund_for_user_or_404(request.user, pk)
    filterset = selectors.entry_filter(request.user, fund, request.GET)
    rows = _filtered(filterset)
    rows = rows if request.GET.get("sort") else rows.order_by("-receipt_no")
    context = {
        "fund": fund,
        "filter": filterset,
        "page_obj": page_of(request, rows),
        "headers": headers(request, ENTRY_COLUMNS),
        "may_keep": selectors.may_keep(request.user, fund),
        "totals": selectors.fund_totals(fund),
        "query": request.GET.urlencode(),
    }
    template = "funds/_ledger_table.html" if request.htmx else "funds/fund_detail.html"
    return render(request, template, context)


@login_required
def ledger_export(request, pk):
    fund = selectors.fund_for_user_or_404(request.user, pk)
    filterset = selectors.entry_filter(request.user, fund, request.GET)
    content = ledger_xlsx(
        fund,
        _filtered(filterset).order_by("receipt_no"),
        user=request.user,
        request=request,
        filters=request.GET.urlencode(),
    )
    return xlsx_response(content, f"fund-{fund.pk}-ledger")


def _entry_form_view(request, pk, form_class, service, *, title, done):
    fund = selectors.fund_for_user_or_404(request.user, pk, CHANGE)
    kwargs = {"user": request.user} if form_class is DonationEntryForm else {}
    if form_class is DisbursementForm:
        kwargs = {"user": request.user, "fund": fund}
    form = form_class(request.POST or None, initial={"occurred_on": timezone.localdate()}, **kwargs)
    if request.method == "POST" and form.is_valid():
        try:
            entry = service(actor=request.user, fund=fund, **form.cleaned_data)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, done % {"receipt": entry.receipt})
            return redirect("funds:detail", pk=fund.pk)
    return render(request, "funds/entry_form.html", {"form": form, "fund": fund, "title": title})


@login_required
def donation_new(request, pk):
    return _entry_form_view(
        request,
        pk,
        DonationEntryForm,
        donation_record,
        title=_("Record a donation"),
        done=_("Donation recorded, receipt %(receipt)s."),
    )


@login_required
def disbursement_new(request, pk):
    return _entry_form_view(
        request,
        pk,
        DisbursementForm,
        disbursement_record,
        title=_("Record a disbursement"),
        done=_("Disbursement recorded, receipt %(receipt)s."),
    )


@login_required
def reversal_new(request, pk, entry_pk):
    fund = selectors.fund_for_user_or_404(request.user, pk, CHANGE)
    entry = selectors.entry_for_user_or_404(request.user, fund, entry_pk)
    form = ReversalForm(request.POST or None, initial={"occurred_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            reversal = entry_reverse(
                actor=request.user,
                entry=entry,
                reason=form.cleaned_data["note"],
                occurred_on=form.cleaned_data["occurred_on"],
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(
                request,
                _("Receipt %(original)s reversed by receipt %(receipt)s.")
                % {"original": entry.receipt, "receipt": reversal.receipt},
            )
            return redirect("funds:detail", pk=fund.pk)
    return render(
        request,
        "funds/entry_form.html",
        {
            "form": form,
            "fund": fund,
            "entry": entry,
            "title": _("Reverse receipt %(receipt)s") % {"receipt": entry.receipt},
        },
    )
