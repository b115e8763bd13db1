"""Writes to agencies."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from shegong.agencies.models import AGENCY_CREATORS, Agency
from shegong.agencies.validators import validate_uscc
from shegong.core.audit import set_actor
from shegong.core.scope import CHANGE, user_roles
from shegong.people.validators import validate_mobile
from shegong.places.selectors import communities_within

AGENCY_FIELDS = (
    "name",
    "kind",
    "uscc",
    "community",
    "address",
    "legal_representative",
    "contact_name",
    "contact_phone",
    "email",
    "registered_on",
    "is_active",
)


def _clean(actor, data: dict, *, instance: Agency | None = None) -> dict:
    errors: dict[str, list[str]] = {}
    cleaned = dict(data)
    if "uscc" in data:
        try:
            cleaned["uscc"] = validate_uscc(data["uscc"])
        except ValidationError as exc:
            errors["uscc"] = exc.messages
        else:
            clash = Agency.objects.filter(uscc=cleaned["uscc"])
            if instance is not None:
                clash = clash.exclude(pk=instance.pk)
            if clash.exists():
                errors["uscc"] = [_("An agency with this unified social credit code exists.")]
    if data.get("contact_phone"):
        try:
            cleaned["contact_phone"] = validate_mobile(data["contact_phone"])
        except ValidationError as exc:
            errors["contact_phone"] = exc.messages
    if (
        "is_active" in data
        and instance is not None
        and data["is_active"] != instance.is_active
        and not may_create_agency(actor)
    ):
        # Closing or reopening an agency is the registrar's decision, not the director's.
        errors["is_active"] = [_("Only the district or street may change whether it is active.")]
    community = data.get("community")
    if community is not None and not (
        communities_within(actor).filter(pk=community.pk).exists()
        or _community_unchanged(instance, community)
    ):
        errors["community"] = [_("Choose a community inside your own scope.")]
    if errors:
        raise ValidationError(errors)
    return cleaned


def _community_unchanged(instance, community) -> bool:
    # An agency director may edit their agency without the right to move it.
    return instance is not None and instance.community_id == community.pk


def may_create_agency(user) -> bool:
    return user.is_superuser or bool(user_roles(user) & AGENCY_CREATORS)


@transaction.atomic
def agency_create(*, actor, **data) -> Agency:
    if not may_create_agency(actor):
        raise PermissionDenied(_("You may not register agencies."))
    cleaned = _clean(actor, data)
    with set_actor(actor):
        agency = Agency(**{k: v for k, v in cleaned.items() if k in AGENCY_FIELDS})
        agency.full_clean()
        agency.save()
    return agency


@transaction.atomic
def agency_update(*, actor, agency: Agency, **data) -> Agency:
    if not Agency.objects.for_user(actor, CHANGE).filter(pk=agency.pk).exists():
        raise PermissionDenied(_("You may not change this agency."))
    cleaned = _clean(actor, data, instance=agency)
    with set_actor(actor):
        for key, value in cleaned.items():
            if key in AGENCY_FIELDS:
                setattr(agency, key, value)
        agency.full_clean()
        agency.save()
    return agency
