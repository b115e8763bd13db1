"""Writes to pairing agreements: create (with commitments), activate/end, add and tick off
commitments, record the annual review."""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from shegong.core.audit import set_actor
from shegong.core.scope import CHANGE, require, user_assignments, user_roles
from shegong.core.validators import model_errors
from shegong.pairing import state
from shegong.pairing.choices import AgreementStatus, Side
from shegong.pairing.models import (
    AGENCY_SIDE,
    COMMUNITY_SIDE,
    PAIRING_ADMINS,
    AnnualReview,
    Commitment,
    PairingAgreement,
)
from shegong.places.selectors import communities_within

MAX_COMMITMENTS = 50


def may_create_agreement(user) -> bool:
    return user.is_superuser or bool(user_roles(user) & PAIRING_ADMINS)


def _commitment_rows(rows, errors: dict) -> list[Commitment]:
    built = []
    if not isinstance(rows, list | tuple):
        errors["commitments"] = [_("Commitments must be a list.")]
        return built
    if len(rows) > MAX_COMMITMENTS:
        errors["commitments"] = [_("At most %(n)s commitments.") % {"n": MAX_COMMITMENTS}]
        return built
    for index, row in enumerate(rows, start=1):
        commitment = Commitment(
            text=str(row.get("text") or "").strip(),
            side=row.get("side") or "",
            due_on=row.get("due_on"),
        )
        problems = model_errors(commitment, exclude=("agreement", "done_by"))
        if problems:
            messages = [m for field_messages in problems.values() for m in field_messages]
            errors.setdefault("commitments", []).append(
                _("Commitment %(n)s: %(problems)s") % {"n": index, "problems": " ".join(messages)}
            )
        built.append(commitment)
    return built


def agreement_create(
    *,
    actor,
    community,
    agency,
    title: str,
    starts_on,
    ends_on,
    goals: str = "",
    commitments=(),
) -> PairingAgreement:
    if not may_create_agreement(actor):
        raise PermissionDenied(_("You may not create pairing agreements."))
    from shegong.agencies.selectors import agencies_for

    errors: dict[str, list[str]] = {}
    if community is None or not communities_within(actor).filter(pk=community.pk).exists():
        errors["community"] = [_("Choose a community inside your own scope.")]
    if agency is None or not agencies_for(actor).filter(pk=agency.pk, is_active=True).exists():
        errors["agency"] = [_("Choose an active agency you can see.")]
    agreement = PairingAgreement(
        title=(title or "").strip(),
        community=community,
        agency=agency,
        starts_on=starts_on,
        ends_on=ends_on,
        goals=(goals or "").strip(),
        created_by=actor,
    )
    for name, messages in model_errors(
        agreement, exclude=("community", "agency", "created_by")
    ).items():
        errors.setdefault(name, []).extend(messages)
    if (
        isinstance(starts_on, datetime.date)
        and isinstance(ends_on, datetime.date)
        and ends_on < starts_on
    ):
        errors.setdefault("ends_on", []).append(_("The end cannot come before the start."))
    rows = _commitment_rows(list(commitments or ()), errors)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic(), set_actor(actor):
        agreement.save()
        for row in rows:
            row.agreement = agreement
            row.save()
    return agreement


def agreement_transition(*, actor, agreement: PairingAgreement, action: str) -> PairingAgreement:
    require(actor, agreement, CHANGE)
    with transaction.atomic(), set_actor(actor):
        locked = PairingAgreement.objects.select_for_update().get(pk=agreement.pk)
        locked.status = state.next_status(locked.status, action)
        if action == state.ACTIVATE and not locked.commitments.exists():
            raise ValidationError(
                {"action": [_("Add at least one commitment before activating the agreement.")]}
            )
        locked.save(update_fields=["status", "updated_at"])
    agreement.status = locked.status
    return agreement


def commitment_add(
    *, actor, agreement: PairingAgreement, text: str, side: str, due_on
) -> Commitment:
    require(actor, agreement, CHANGE)
    if agreement.status == AgreementStatus.ENDED:
        raise ValidationError(
            {"text": [_("The agreement has ended; it takes no new commitments.")]}
        )
    commitment = Commitment(
        agreement=agreement, text=(text or "").strip(), side=side or "", due_on=due_on
    )
    errors = model_errors(commitment, exclude=("done_by",))
    if errors:
        raise ValidationError(errors)
    with transaction.atomic(), set_actor(actor):
        commitment.save()
    return commitment


def sides_of(user, agreement: PairingAgreement) -> set[str]:
    """Which side's commitments the user answers for: their community's, their agency's, or
    (the district and the street, who chair the agreement) both."""
    if user.is_superuser:
        return {Side.COMMUNITY, Side.AGENCY}
    sides: set[str] = set()
    community = agreement.community
    for a in user_assignments(user):
        if a.role in PAIRING_ADMINS and (
            a.district_id == community.street.district_id or a.street_id == community.street_id
        ):
            sides |= {Side.COMMUNITY, Side.AGENCY}
        elif a.role in COMMUNITY_SIDE and a.community_id == community.pk:
            sides.add(Side.COMMUNITY)
        elif a.role in AGENCY_SIDE and a.agency_id == agreement.agency_id:
            sides.add(Side.AGENCY)
    return sides


def commitment_mark(*, actor, commitment: Commitment, done: bool = True) -> Commitment:
    require(actor, commitment, CHANGE)
    agreement = commitment.agreement
    if commitment.side not in sides_of(actor, agreement):
        raise ValidationError(
            {"done": [_("Only the side that made this commitment may tick it off.")]}
        )
    if agreement.status != AgreementStatus.ACTIVE:
        raise ValidationError({"done": [_("Only commitments of an active agreement are ticked.")]})
    with transaction.atomic(), set_actor(actor):
        commitment.done = bool(done)
        commitment.done_on = timezone.localdate() if done else None
        commitment.done_by = actor if done else None
        commitment.save(update_fields=["done", "done_on", "done_by", "updated_at"])
    return commitment


def review_record(
    *, actor, agreement: PairingAgreement, year, score, comments: str = ""
) -> AnnualReview:
    require(actor, agreement, CHANGE)
    errors: dict[str, list[str]] = {}
    if agreement.status == AgreementStatus.DRAFT:
        errors["year"] = [_("A draft agreement is not reviewed; activate it first.")]
    elif isinstance(year, int):
        if not agreement.starts_on.year <= year <= agreement.ends_on.year:
            errors["year"] = [
                _("Choose a year of the agreement's period (%(start)s–%(end)s).")
                % {"start": agreement.starts_on.year, "end": agreement.ends_on.year}
            ]
        elif year > timezone.localdate().year:
            errors["year"] = [_("A year is reviewed once it has begun.")]
        elif AnnualReview.objects.filter(agreement=agreement, year=year).exists():
            errors["year"] = [_("This year has already been reviewed.")]
    review = AnnualReview(
        agreement=agreement,
        year=year,
        score=score,
        comments=(comments or "").strip(),
        reviewed_by=actor,
    )
    for name, messages in model_errors(review, exclude=("reviewed_by",)).items():
        if name not in errors and not (name == "__all__" and "year" in errors):
            errors[name] = messages
    if errors:
        raise ValidationError(errors)
    try:
        with transaction.atomic(), set_actor(actor):
            review.save()
    except IntegrityError:
        raise ValidationError({"year": [_("This year has already been reviewed.")]}) from None
    return review
