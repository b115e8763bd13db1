"""The receiving agency's referral inbox and its answers."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from shegong.cases import selectors, services
from shegong.cases.forms import ReferralDecisionForm
from shegong.cases.models import Referral
from shegong.cases.views._common import _require_lead
from shegong.core.forms import apply_service_errors
from shegong.core.scope import VIEW

# --- referrals inbox ------------------------------------------------------------------------------


def _referrals_page(request, *, bound=None):
    referrals = list(selectors.referral_inbox(request.user))
    # One query for each receiving agency (a lead usually leads one), not one per referral.
    workers = {}
    for referral in referrals:
        if referral.to_agency_id not in workers:
            workers[referral.to_agency_id] = list(selectors.agency_workers(referral.to_agency))
        if bound is not None and bound[0] == referral.pk:
            referral.form = bound[1]
        else:
            referral.form = ReferralDecisionForm(
                workers=workers[referral.to_agency_id],
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
        workers=list(selectors.agency_workers(referral.to_agency)),
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
            apply_service_errors(form, exc)
        else:
            if accept:
                messages.success(request, _("Referral accepted: a case was opened."))
            else:
                messages.success(request, _("Referral declined."))
            return redirect("cases:referrals")
    return _referrals_page(request, bound=(referral.pk, form))
