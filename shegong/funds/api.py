"""Charity funds API: the pages' list, ledger, donations, disbursements and reversals, with the
same scope, FilterSets and services. Ledger entries are never changed or deleted, so there is
no PATCH or DELETE."""

import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from shegong.api.filters import valid_filterset
from shegong.core.scope import CHANGE, VIEW, can
from shegong.funds import selectors
from shegong.funds.choices import DonationForm, DonorType, EntryKind
from shegong.funds.filters import EntryFilter, FundFilter
from shegong.funds.models import Fund
from shegong.funds.services import (
    disbursement_record,
    donation_record,
    entry_reverse,
    fund_open,
    may_open_fund,
    target_missing_error,
)
from shegong.places.models import Community
from shegong.resources.models import Need, Project

router = Router(tags=["funds"])


class FundOut(Schema):
    id: int
    name: str
    description: str
    community_id: int
    community_name: str = Field(..., alias="community.name")
    street_id: int = Field(..., alias="community.street_id")
    balance: Decimal
    entries: int = Field(..., alias="last_receipt_no")


class EntryOut(Schema):
    id: int
    receipt_no: int
    kind: EntryKind
    occurred_on: datetime.date
    money: Decimal
    in_kind_value: Decimal
    donor_name: str
    donor_type: str
    donor_person_id: int | None
    form: str
    goods_description: str
    goods_quantity: str
    purpose: str
    recipient: str
    need_id: int | None
    project_id: int | None
    reverses_id: int | None
    note: str


class FundQuery(Schema):
    q: str | None = None
    street: int | None = None
    community: int | None = None
    sort: str | None = Field(None, description="name, street, community, balance; '-' descends")


class EntryQuery(Schema):
    q: str | None = None
    kind: EntryKind | None = None
    date_from: datetime.date | None = None
    date_to: datetime.date | None = None
    sort: str | None = Field(None, description="receipt, date, kind, amount; '-' descends")


class FundIn(Schema):
    community_id: int
    name: str = ""
    description: str = ""


class DonationIn(Schema):
    donor_type: DonorType = DonorType.INDIVIDUAL
    donor_name: str = ""
    donor_person_id: int | None = None
    form: DonationForm = DonationForm.MONEY
    amount: Decimal | None = None
    goods_description: str = ""
    goods_quantity: str = ""
    estimated_value: Decimal | None = None
    occurred_on: datetime.date | None = None
    note: str = ""


class DisbursementIn(Schema):
    amount: Decimal
    purpose: str
    recipient: str = ""
    need_id: int | None = Field(None, description="The need of the fund's community it pays for")
    project_id: int | None = Field(None, description="Or the project it pays for")
    occurred_on: datetime.date | None = None
    note: str = ""


class ReversalIn(Schema):
    reason: str
    occurred_on: datetime.date | None = None


@router.get("", response=list[FundOut], summary="Charity funds in my scope")
@paginate
def list_funds(request, filters: Query[FundQuery]):
    if not can(request.auth, Fund, VIEW):
        raise Http404
    funds = valid_filterset(FundFilter, filters, queryset=selectors.funds_for(request.auth)).qs
    return funds if filters.sort else funds.order_by("community__code", "pk")


@router.post("", response={201: FundOut}, summary="Open a community's charity fund")
def open_fund(request, payload: FundIn):
    if not may_open_fund(request.auth):
        raise Http404
    community = Community.objects.filter(pk=payload.community_id).first()
    if community is None:
        raise ValidationError({"community": [_("Choose a community inside your own scope.")]})
    fund = fund_open(
        actor=request.auth,
        community=community,
        name=payload.name,
        description=payload.description,
    )
    return Status(201, selectors.fund_for_user_or_404(request.auth, fund.pk))


@router.get("/{fund_id}", response=FundOut, summary="One charity fund")
def get_fund(request, fund_id: int):
    return selectors.fund_for_user_or_404(request.auth, fund_id)


@router.get("/{fund_id}/entries", response=list[EntryOut], summary="A fund's ledger")
@paginate
def list_entries(request, fund_id: int, filters: Query[EntryQuery]):
    fund = selectors.fund_for_user_or_404(request.auth, fund_id)
    rows = valid_filterset(
        EntryFilter, filters, queryset=selectors.entries_of(request.auth, fund)
    ).qs
    return rows if filters.sort else rows.order_by("receipt_no")


@router.post("/{fund_id}/donations", response={201: EntryOut}, summary="Record a donation")
def create_donation(request, fund_id: int, payload: DonationIn):
    fund = selectors.fund_for_user_or_404(request.auth, fund_id, CHANGE)
    data = payload.dict()
    person_id = data.pop("donor_person_id")
    if person_id is not None:
        from shegong.people.selectors import people_for

        data["donor_person"] = people_for(request.auth).filter(pk=person_id).first()
        if data["donor_person"] is None:
            raise ValidationError({"donor_person": [_("No such person in your scope.")]})
    return Status(201, donation_record(actor=request.auth, fund=fund, **data))


@router.post("/{fund_id}/disbursements", response={201: EntryOut}, summary="Record a disbursement")
def create_disbursement(request, fund_id: int, payload: DisbursementIn):
    fund = selectors.fund_for_user_or_404(request.auth, fund_id, CHANGE)
    data = payload.dict()
    data["need"] = _target(Need, "need", data.pop("need_id"))
    data["project"] = _target(Project, "project", data.pop("project_id"))
    return Status(201, disbursement_record(actor=request.auth, fund=fund, **data))


def _target(model, field: str, pk):
    """The need or project named by id, or None; a missing id is refused like one out of
    view (the service checks the view)."""
    if pk is None:
        return None
    try:
        target = model.objects.filter(pk=pk).first()
    except OverflowError:  # an id beyond the database's integers
        target = None
    if target is None:
        raise target_missing_error(field)
    return target


@router.post(
    "/{fund_id}/entries/{entry_id}/reversal",
    response={201: EntryOut},
    summary="Reverse an entry with a new entry",
)
def reverse_entry(request, fund_id: int, entry_id: int, payload: ReversalIn):
    fund = selectors.fund_for_user_or_404(request.auth, fund_id, CHANGE)
    entry = selectors.entry_for_user_or_404(request.auth, fund, entry_id)
    reversal = entry_reverse(
        actor=request.auth, entry=entry, reason=payload.reason, occurred_on=payload.occurred_on
    )
    return Status(201, reversal)
