"""Writes to talent profiles: the profile, qualifications, titles, employment history and
continuing-education entries."""

from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from shegong.core.audit import set_actor
from shegong.core.scope import CHANGE, VIEW, require
from shegong.core.sealed_files import sealed
from shegong.core.validators import model_errors, visible_text
from shegong.talent.models import (
    CpdEntry,
    Employment,
    Qualification,
    TalentProfile,
    TitleGrant,
)
from shegong.talent.services.common import roles_of, upload_errors


def _community_of(person, agency):
    return agency.community if agency is not None else person.community


def profile_create(
    *,
    actor,
    person,
    user=None,
    agency=None,
    registration_start=None,
    business_name: str = "",
    business_community=None,
) -> TalentProfile:
    """A talent profile for ``person`` (a worker of ``agency``, or a resident with a business).
    The actor must see the person and keep profiles at the agency (or the district)."""
    require(actor, person, VIEW)
    errors: dict[str, list[str]] = {}
    if agency is not None:
        require(actor, agency, VIEW)
    community = _community_of(person, agency)
    if community is None:
        errors["agency"] = [_("Choose the agency, or give the person a home community first.")]
    elif TalentProfile.objects.filter(person=person).exists():
        errors["person"] = [_("This person already has a talent profile.")]
    if user is not None and TalentProfile.objects.filter(user=user).exists():
        errors["user"] = [_("This login already belongs to another profile.")]
    if errors:
        raise ValidationError(errors)
    profile = TalentProfile(
        person=person,
        user=user,
        agency=agency,
        community=community,
        registration_start=registration_start,
        business_name=(business_name or "").strip(),
        business_community=business_community,
    )
    errors = model_errors(profile)
    if errors:
        raise ValidationError(errors)
    if not _may_keep_new(actor, profile):
        raise PermissionDenied(_("You may not keep this talent profile."))
    try:
        with transaction.atomic(), set_actor(actor):
            profile.save()
    except IntegrityError:
        raise ValidationError(
            {"person": [_("This person already has a talent profile.")]}
        ) from None
    return profile


def _may_keep_new(actor, profile) -> bool:
    """The district keeps every profile; an agency director those of their agency."""
    if actor.is_superuser or "district_admin" in roles_of(actor):
        return True
    if profile.agency_id is None:
        return False
    from shegong.core.scope import user_assignments

    return any(
        a.role == "agency_admin" and a.agency_id == profile.agency_id
        for a in user_assignments(actor)
    )


def _save_row(actor, row, *, exclude=("profile",)):
    errors = model_errors(row, exclude=exclude)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic(), set_actor(actor):
        row.save()
    return row


def qualification_add(
    *, actor, profile, level, certificate_no, obtained_on, subjects: str = ""
) -> Qualification:
    require(actor, profile, CHANGE)
    row = Qualification(
        profile=profile,
        level=level or "",
        certificate_no=(certificate_no or "").strip(),
        obtained_on=obtained_on,
        subjects=(subjects or "").strip(),
    )
    # Before the model's checks: its unique pair would say so only as a form-wide error.
    if Qualification.objects.filter(level=row.level, certificate_no=row.certificate_no).exists():
        raise ValidationError({"certificate_no": [_("This certificate is already on record.")]})
    errors = model_errors(row, exclude=("profile",))
    if errors:
        raise ValidationError(errors)
    try:
        return _save_row(actor, row)
    except IntegrityError:
        raise ValidationError(
            {"certificate_no": [_("This certificate is already on record.")]}
        ) from None


def title_add(*, actor, profile, title, tier, year, years=3, application=None) -> TitleGrant:
    """Titles are granted by the district (or by a selection round's final approval)."""
    require(actor, profile, VIEW)
    if not (actor.is_superuser or "district_admin" in roles_of(actor)):
        raise PermissionDenied(_("Only the district grants talent titles."))
    row = TitleGrant(
        profile=profile,
        title=title or "",
        tier=tier or "",
        year=year,
        years=years,
        application=application,
    )
    return _save_row(actor, row, exclude=("profile", "application"))


def employment_add(
    *, actor, profile, agency, started_on, ended_on=None, position: str = ""
) -> Employment:
    """A period at an agency; an open period (no end) makes it the profile's current agency."""
    require(actor, profile, CHANGE)
    if agency is None:
        raise ValidationError({"agency": [_("Choose the agency.")]})
    require(actor, agency, VIEW)
    row = Employment(
        profile=profile,
        agency=agency,
        started_on=started_on,
        ended_on=ended_on,
        position=(position or "").strip(),
    )
    errors = model_errors(row, exclude=("profile",))
    if not errors and ended_on and ended_on < started_on:
        errors["ended_on"] = [_("The end cannot be before the start.")]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic(), set_actor(actor):
        row.save()
        if ended_on is None and profile.agency_id != agency.pk:
            profile.agency = agency
            profile.community = agency.community
            profile.save(update_fields=["agency", "community", "updated_at"])
    return row


def cpd_add(*, actor, profile, date, hours, label, evidence) -> CpdEntry:
    """Hours of continuing education recorded by hand; evidence is required. The worker records
    their own, the profile's keepers anyone's."""
    own = profile.user_id is not None and profile.user_id == actor.pk
    if not own:
        require(actor, profile, CHANGE)
    errors: dict[str, list[str]] = {}
    try:
        hours = Decimal(str(hours))
        if not hours.is_finite():
            raise InvalidOperation
    except (InvalidOperation, ValueError, TypeError):
        errors["hours"] = [_("Enter the hours, e.g. 6 or 1.5.")]
        hours = None
    if evidence is None:
        errors["evidence"] = [_("Attach the certificate or attendance record as evidence.")]
    else:
        problems = upload_errors(evidence)
        if problems:
            errors["evidence"] = problems
    if date in (None, ""):
        errors["date"] = [_("Enter the date.")]
    row = CpdEntry(profile=profile, date=date, hours=hours, label=(label or "").strip())
    for field, messages in model_errors(row, exclude=("profile", "evidence")).items():
        errors.setdefault(field, messages)
    if hours is not None and "hours" not in errors and hours != hours.quantize(Decimal("0.1")):
        errors["hours"] = [_("Hours are recorded to one decimal.")]
    if errors:
        raise ValidationError(errors)
    row.evidence = sealed(evidence, keep_extension=True)  # encrypted before the write lock
    with transaction.atomic(), set_actor(actor):
        row.save()
    return row


def cpd_review(*, actor, entry: CpdEntry, decision: str, reason: str = "") -> CpdEntry:
    """A keeper of the profile (its agency's director, the district) accepts hand-recorded hours
    after reading the evidence, or says why not; only accepted hours count. A decision can be
    changed later (the change history keeps each one); nobody reviews their own hours."""
    from django.urls import reverse
    from django.utils import timezone

    from shegong.core.validators import field_errors
    from shegong.notifications.services import notify
    from shegong.talent.choices import CpdReview

    require(actor, entry, CHANGE)
    reason = (reason or "").strip()
    errors: dict[str, list[str]] = {}
    if decision not in (CpdReview.ACCEPTED, CpdReview.REJECTED):
        errors["decision"] = [_("Choose accept or reject.")]
    elif decision == CpdReview.REJECTED and not _shows_something(reason):
        errors["reason"] = [_("Say why the hours are not accepted, so the worker can correct it.")]
    if entry.profile.user_id is not None and entry.profile.user_id == actor.pk:
        errors["decision"] = [_("Your own hours are reviewed by someone else.")]
    entry.review, entry.review_reason = decision, reason
    rename = {"review_reason": "reason"}
    for field, messages in field_errors(entry, ("review_reason",), rename=rename).items():
        errors.setdefault(field, messages)
    if errors:
        entry.refresh_from_db()
        raise ValidationError(errors)
    entry.reviewed_by, entry.reviewed_at = actor, timezone.now()
    if decision == CpdReview.ACCEPTED:
        message = _("Your %(hours)s hours for %(label)s were accepted.")
    else:
        message = _("Your %(hours)s hours for %(label)s were not accepted: %(reason)s")
    message %= {"hours": entry.hours, "label": entry.label, "reason": reason}
    with transaction.atomic(), set_actor(actor):
        entry.save(update_fields=["review", "review_reason", "reviewed_by", "reviewed_at"])
        if entry.profile.user_id:
            notify(entry.profile.user, message, reverse("talent:me"))
    return entry


def _shows_something(text: str) -> bool:
    """Whether a reason has a visible character (not only blanks or zero-width ones)."""
    try:
        visible_text(text)
    except ValidationError:
        return False
    return bool(text)
