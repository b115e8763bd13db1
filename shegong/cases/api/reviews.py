"""Supervision (督导) and referrals (转介)."""

from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from ninja import Status

from shegong.cases import selectors, services
from shegong.cases.api import router
from shegong.cases.api.render import (
    call,
    case_or_404,
    referral_out,
    review_out,
    user_or_error,
)
from shegong.cases.api.schemas import (
    DecisionIn,
    ReferralDecisionIn,
    ReferralIn,
    ReferralOut,
    ReviewOut,
)
from shegong.cases.models import (
    Referral,
    Review,
)
from shegong.core.scope import CHANGE, CONTENT, VIEW

# --- supervision -----------------------------------------------------------------------------


@router.get("/supervision", response=list[ReviewOut], summary="Plans and closures to decide")
def supervision_queue(request):
    if not request.auth.is_superuser and not selectors.lead_agency_ids(request.auth):
        raise Http404
    return [review_out(r) for r in selectors.supervision_queue(request.auth)]


@router.post(
    "/reviews/{int:review_id}/decide", response=ReviewOut, summary="Approve or return (督导)"
)
def decide_review(request, review_id: int, payload: DecisionIn):
    review = Review.objects.select_related("case__agency", "plan").get_for_user_or_404(
        request.auth, CONTENT, pk=review_id
    )
    if not services.may_review(request.auth, review.case):
        raise Http404
    review = call(
        services.review_decide,
        actor=request.auth,
        review=review,
        approve=payload.approve,
        comment=payload.comment,
    )
    return review_out(review)


# --- referrals -------------------------------------------------------------------------------


@router.post("/{int:case_id}/referrals", response={201: ReferralOut}, summary="Refer (转介)")
def create_referral(request, case_id: int, payload: ReferralIn):
    from shegong.agencies.models import Agency
    from shegong.people.models import Consent

    case = case_or_404(request.auth, case_id, CONTENT, CHANGE)
    to_agency = None
    if payload.to_agency_id is not None:
        to_agency = Agency.objects.filter(pk=payload.to_agency_id, is_active=True).first()
        if to_agency is None:
            raise ValidationError({"to_agency_id": [_("Choose an active agency.")]})
    consent = None
    if payload.consent_id is not None:
        consent = Consent.objects.filter(pk=payload.consent_id, person=case.client).first()
    referral = call(
        services.referral_create,
        actor=request.auth,
        case=case,
        reason=payload.reason,
        summary_for_receiver=payload.summary_for_receiver,
        consent=consent,
        to_agency=to_agency,
        to_service=payload.to_service,
    )
    return Status(201, referral_out(referral))


@router.get("/referrals/inbox", response=list[ReferralOut], summary="Referrals to my agency")
def referral_inbox(request, pending_only: bool = True):
    if not request.auth.is_superuser and not selectors.lead_agency_ids(request.auth):
        raise Http404
    return [
        referral_out(r) for r in selectors.referral_inbox(request.auth, pending_only=pending_only)
    ]


@router.post(
    "/referrals/{int:referral_id}/decide", response=ReferralOut, summary="Accept or decline"
)
def decide_referral(request, referral_id: int, payload: ReferralDecisionIn):
    referral = Referral.objects.select_related(
        "case__agency", "case__client", "to_agency"
    ).get_for_user_or_404(request.auth, VIEW, pk=referral_id)
    if referral.to_agency_id not in selectors.lead_agency_ids(request.auth) and not (
        request.auth.is_superuser and referral.to_agency_id
    ):
        raise Http404
    referral = call(
        services.referral_decide,
        actor=request.auth,
        referral=referral,
        accept=payload.accept,
        decline_reason=payload.decline_reason,
        worker=user_or_error(payload.worker_id, "worker_id"),
    )
    return referral_out(referral)
