"""Pairing agreements API: the pages' list, detail, create, transitions, commitments and
reviews, with the same scope, FilterSet and services."""

import datetime

from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from shegong.api.filters import valid_filterset
from shegong.core.scope import CHANGE, VIEW, can
from shegong.pairing import selectors, services
from shegong.pairing.choices import AgreementStatus, Side
from shegong.pairing.filters import AgreementFilter
from shegong.pairing.models import PairingAgreement
from shegong.places.models import Community

router = Router(tags=["pairing"])


class CommitmentOut(Schema):
    id: int
    text: str
    side: Side
    due_on: datetime.date
    done: bool
    done_on: datetime.date | None


class PairingReviewOut(Schema):
    id: int
    year: int
    score: int
    comments: str


class AgreementOut(Schema):
    id: int
    title: str
    community_id: int
    community_name: str = Field(..., alias="community.name")
    street_id: int = Field(..., alias="community.street_id")
    urban_village: bool = Field(..., alias="community.urban_village")
    agency_id: int
    agency_name: str = Field(..., alias="agency.name")
    starts_on: datetime.date
    ends_on: datetime.date
    goals: str
    status: AgreementStatus


class AgreementDetailOut(AgreementOut):
    commitments: list[CommitmentOut] = Field(..., alias="commitment_rows")
    reviews: list[PairingReviewOut] = Field(..., alias="review_rows")


class AgreementQuery(Schema):
    q: str | None = None
    street: int | None = None
    community: int | None = None
    agency: int | None = None
    year: int | None = None
    status: AgreementStatus | None = None
    review_due: bool | None = None
    urban_village: bool | None = None
    sort: str | None = Field(
        None, description="title, community, agency, starts_on, ends_on, status; '-' descends"
    )


class CommitmentIn(Schema):
    text: str
    side: Side
    due_on: datetime.date


class AgreementIn(Schema):
    title: str
    community_id: int
    agency_id: int
    starts_on: datetime.date
    ends_on: datetime.date
    goals: str = ""
    commitments: list[CommitmentIn] = Field(default_factory=list, max_length=50)


class TransitionIn(Schema):
    action: str = Field(..., description="activate or end")


class DoneIn(Schema):
    done: bool = True


class ReviewIn(Schema):
    year: int
    score: int
    comments: str = ""


def _detail(user, pk: int) -> PairingAgreement:
    agreement = selectors.agreement_for_user_or_404(user, pk)
    agreement.commitment_rows = list(selectors.commitments_of(user, agreement))
    agreement.review_rows = list(agreement.reviews.all())
    return agreement


@router.get("", response=list[AgreementOut], summary="Pairing agreements in my scope")
@paginate
def list_agreements(request, filters: Query[AgreementQuery]):
    if not can(request.auth, PairingAgreement, VIEW):
        raise Http404
    rows = valid_filterset(
        AgreementFilter,
        filters,
        queryset=selectors.agreements_for(request.auth),
        user=request.auth,
    ).qs
    return rows if filters.sort else rows.order_by("-starts_on", "pk")


@router.post("", response={201: AgreementDetailOut}, summary="Create a pairing agreement")
def create_agreement(request, payload: AgreementIn):
    from shegong.agencies.selectors import agencies_for

    if not services.may_create_agreement(request.auth):
        raise Http404
    community = Community.objects.filter(pk=payload.community_id).first()
    agency = agencies_for(request.auth).filter(pk=payload.agency_id).first()
    errors = {}
    if community is None:
        errors["community"] = [_("Choose a community inside your own scope.")]
    if agency is None:
        errors["agency"] = [_("Choose an active agency you can see.")]
    if errors:
        raise ValidationError(errors)
    data = payload.dict()
    agreement = services.agreement_create(
        actor=request.auth,
        community=community,
        agency=agency,
        title=data["title"],
        starts_on=data["starts_on"],
        ends_on=data["ends_on"],
        goals=data["goals"],
        commitments=data["commitments"],
    )
    return Status(201, _detail(request.auth, agreement.pk))


@router.get("/{agreement_id}", response=AgreementDetailOut, summary="One pairing agreement")
def get_agreement(request, agreement_id: int):
    return _detail(request.auth, agreement_id)


@router.post("/{agreement_id}/transition", response=AgreementDetailOut, summary="Activate or end")
def transition_agreement(request, agreement_id: int, payload: TransitionIn):
    agreement = selectors.agreement_for_user_or_404(request.auth, agreement_id, CHANGE)
    services.agreement_transition(actor=request.auth, agreement=agreement, action=payload.action)
    return _detail(request.auth, agreement_id)


@router.post(
    "/{agreement_id}/commitments", response={201: CommitmentOut}, summary="Add a commitment"
)
def add_commitment(request, agreement_id: int, payload: CommitmentIn):
    agreement = selectors.agreement_for_user_or_404(request.auth, agreement_id, CHANGE)
    commitment = services.commitment_add(actor=request.auth, agreement=agreement, **payload.dict())
    return Status(201, commitment)


@router.post(
    "/{agreement_id}/commitments/{commitment_id}/done",
    response=CommitmentOut,
    summary="Tick a commitment off (or back)",
)
def mark_commitment(request, agreement_id: int, commitment_id: int, payload: DoneIn):
    agreement = selectors.agreement_for_user_or_404(request.auth, agreement_id)
    commitment = selectors.commitment_for_user_or_404(request.auth, agreement, commitment_id)
    if not services.sides_of(request.auth, agreement):
        raise Http404
    return services.commitment_mark(actor=request.auth, commitment=commitment, done=payload.done)


@router.post(
    "/{agreement_id}/reviews", response={201: PairingReviewOut}, summary="Record the annual review"
)
def add_review(request, agreement_id: int, payload: ReviewIn):
    agreement = selectors.agreement_for_user_or_404(request.auth, agreement_id, CHANGE)
    review = services.review_record(actor=request.auth, agreement=agreement, **payload.dict())
    return Status(201, review)
