from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from shegong.core.exports import xlsx_response
from shegong.core.forms import apply_service_errors
from shegong.core.lists import Column, headers, page_of
from shegong.core.ordering import field_label
from shegong.core.scope import CHANGE, VIEW, can
from shegong.pairing import selectors, services, state
from shegong.pairing.exports import agreements_xlsx
from shegong.pairing.forms import AgreementForm, CommitmentForm, ReviewForm, TransitionForm
from shegong.pairing.models import PairingAgreement

COLUMNS = [
    Column(field_label(PairingAgreement, "title"), sort="title"),
    Column(field_label(PairingAgreement, "community"), sort="community"),
    Column(field_label(PairingAgreement, "agency"), sort="agency"),
    Column(field_label(PairingAgreement, "starts_on"), sort="starts_on"),
    Column(field_label(PairingAgreement, "ends_on"), sort="ends_on"),
    Column(field_label(PairingAgreement, "status"), sort="status"),
]


def _filtered(filterset):
    # Bad filter input shows its errors and no rows, never an unfiltered list.
    if filterset.is_bound and not filterset.is_valid():
        return filterset.queryset.none()
    return filterset.qs


def _require_viewer(user):
    if not can(user, PairingAgreement, VIEW):
        raise PermissionDenied


@login_required
def agreement_list(request):
    _require_viewer(request.user)
    filterset = selectors.agreement_filter(request.user, request.GET)
    context = {
        "filter": filterset,
        "page_obj": page_of(request, _filtered(filterset)),
        "headers": headers(request, COLUMNS),
        "may_create": services.may_create_agreement(request.user),
        "query": request.GET.urlencode(),
    }
    template = "pairing/_agreement_table.html" if request.htmx else "pairing/agreement_list.html"
    return render(request, template, context)


@login_required
def agreement_export(request):
    _require_viewer(request.user)
    filterset = selectors.agreement_filter(request.user, request.GET)
    content = agreements_xlsx(
        _filtered(filterset).order_by("community__code", "starts_on", "pk"),
        user=request.user,
        request=request,
        filters=request.GET.urlencode(),
    )
    return xlsx_response(content, "pairing-agreements")


@login_required
def agreement_create(request):
    if not services.may_create_agreement(request.user):
        raise PermissionDenied
    form = AgreementForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            agreement = services.agreement_create(actor=request.user, **form.service_data())
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("Pairing agreement saved as a draft."))
            return redirect("pairing:detail", pk=agreement.pk)
    return render(request, "pairing/agreement_form.html", {"form": form})


def _detail_context(request, agreement, **forms):
    manage = selectors.may_manage(request.user, agreement)
    joint = selectors.joint_activities_of(request.user, agreement)
    return {
        "agreement": agreement,
        "joint_activities": joint[: selectors.JOINT_ACTIVITIES_SHOWN],
        "joint_activity_count": joint.count(),
        "commitments": selectors.commitments_of(request.user, agreement),
        "reviews": agreement.reviews.select_related("reviewed_by"),
        "may_manage": manage,
        "my_sides": services.sides_of(request.user, agreement),
        "commitment_form": forms.get("commitment_form") or (manage and CommitmentForm()),
        "transition_errors": forms.get("transition_errors", []),
        "mark_errors": forms.get("mark_errors", []),
    }


@login_required
def agreement_detail(request, pk):
    agreement = selectors.agreement_for_user_or_404(request.user, pk)
    return render(request, "pairing/agreement_detail.html", _detail_context(request, agreement))


@login_required
@require_POST
def agreement_transition(request, pk):
    agreement = selectors.agreement_for_user_or_404(request.user, pk, CHANGE)
    form = TransitionForm(request.POST)
    errors = [_("Choose an action.")]
    if form.is_valid():
        try:
            services.agreement_transition(
                actor=request.user, agreement=agreement, action=form.cleaned_data["action"]
            )
        except ValidationError as exc:
            errors = exc.messages
        else:
            done = {
                state.ACTIVATE: _("The agreement is now active."),
                state.END: _("The agreement has ended."),
            }
            messages.success(request, done[form.cleaned_data["action"]])
            return redirect("pairing:detail", pk=agreement.pk)
    context = _detail_context(request, agreement, transition_errors=errors)
    return render(request, "pairing/agreement_detail.html", context, status=400)


@login_required
@require_POST
def commitment_add(request, pk):
    agreement = selectors.agreement_for_user_or_404(request.user, pk, CHANGE)
    form = CommitmentForm(request.POST)
    if form.is_valid():
        try:
            services.commitment_add(actor=request.user, agreement=agreement, **form.cleaned_data)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("Commitment added."))
            return redirect("pairing:detail", pk=agreement.pk)
    context = _detail_context(request, agreement, commitment_form=form)
    return render(request, "pairing/agreement_detail.html", context, status=400)


@login_required
@require_POST
def commitment_mark(request, pk, commitment_pk):
    agreement = selectors.agreement_for_user_or_404(request.user, pk)
    commitment = selectors.commitment_for_user_or_404(request.user, agreement, commitment_pk)
    if not services.sides_of(request.user, agreement):
        raise PermissionDenied
    try:
        services.commitment_mark(
            actor=request.user, commitment=commitment, done=request.POST.get("done") != "0"
        )
    except ValidationError as exc:
        context = _detail_context(request, agreement, mark_errors=exc.messages)
        return render(request, "pairing/agreement_detail.html", context, status=400)
    return redirect("pairing:detail", pk=agreement.pk)


@login_required
def review_new(request, pk):
    agreement = selectors.agreement_for_user_or_404(request.user, pk, CHANGE)
    form = ReviewForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.review_record(actor=request.user, agreement=agreement, **form.cleaned_data)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(
                request,
                _("Annual review %(year)s recorded.") % {"year": form.cleaned_data["year"]},
            )
            return redirect("pairing:detail", pk=agreement.pk)
    return render(request, "pairing/review_form.html", {"form": form, "agreement": agreement})
