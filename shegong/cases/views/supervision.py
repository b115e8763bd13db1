"""The supervisors' queue of plans and closures awaiting a decision."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from shegong.cases import selectors, services
from shegong.cases.forms import ReviewDecisionForm
from shegong.cases.models import Review
from shegong.cases.views._common import _require_lead
from shegong.core.forms import apply_service_errors
from shegong.core.scope import CONTENT

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
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("Decision recorded."))
            return redirect("cases:supervision")
    return _supervision_page(request, bound=(review.pk, form))
