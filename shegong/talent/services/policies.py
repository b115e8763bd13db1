"""Writes to policies: the policy with its amount table, criteria and review chain, created
together so a policy is never half-defined."""

from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from shegong.core.audit import set_actor
from shegong.core.validators import model_errors
from shegong.talent.choices import (
    AmountBasis,
    ApplicantKind,
    QualificationLevel,
    ReviewRole,
    Title,
)
from shegong.talent.criteria import KINDS, clean_criterion, fits_applicant, money_param
from shegong.talent.models import Criterion, Policy, ReviewStep
from shegong.talent.services.common import roles_of

AMOUNT_KEYS = {
    AmountBasis.FLAT: ("flat",),
    AmountBasis.LEVEL: (
        QualificationLevel.ASSISTANT,
        QualificationLevel.INTERMEDIATE,
        QualificationLevel.SENIOR,
    ),
    AmountBasis.TITLE: (Title.LEADING, Title.TOP),
}


def may_keep_policies(user) -> bool:
    return user.is_superuser or "district_admin" in roles_of(user)


def clean_amounts(basis: str, amounts) -> dict:
    """The amount table for ``basis``: yuan per key, as strings (exact in JSON)."""
    if basis not in AMOUNT_KEYS:
        raise ValidationError({"amount_basis": [_("Choose how the amount is decided.")]})
    if not isinstance(amounts, dict):
        raise ValidationError({"amounts": [_("Give the amounts as a table.")]})
    unknown = set(amounts) - set(AMOUNT_KEYS[basis])
    if unknown:
        raise ValidationError(
            {
                "amounts": [
                    _("Unknown keys for this basis: %(keys)s.")
                    % {"keys": ", ".join(sorted(unknown))}
                ]
            }
        )
    cleaned = {}
    for key in AMOUNT_KEYS[basis]:
        if key in amounts and amounts[key] not in (None, ""):
            cleaned[str(key)] = str(money_param(amounts[key], f"amounts.{key}"))
    return cleaned


def _applicant_errors(applicant_kind, criteria, roles) -> dict[str, list[str]]:
    """A policy's criteria must be able to judge its applicants, and an organisation does not
    confirm its own application."""
    errors = {}
    organisation = applicant_kind == ApplicantKind.ORGANISATION
    for index, item in enumerate(criteria):
        kind = item.get("kind") if isinstance(item, dict) else None
        if kind in KINDS and not fits_applicant(kind, applicant_kind or ApplicantKind.WORKER):
            errors[f"criteria.{index}.kind"] = [
                _("This criterion judges organisations; the policy is for people.")
                if not organisation
                else _("This criterion judges people; the policy is for organisations.")
            ]
    if organisation and ReviewRole.AGENCY in roles:
        errors["steps"] = [
            _(
                "An organisation does not confirm its own application: start the chain at "
                "the street or the district."
            )
        ]
    return errors


# A policy combines a handful of criteria; every worker's eligibility page evaluates them all.
MAX_CRITERIA = 20


def clean_steps(steps) -> list[str]:
    if not isinstance(steps, (list, tuple)) or not steps:
        raise ValidationError({"steps": [_("Give at least one review step.")]})
    if any(not isinstance(role, str) or role not in ReviewRole.values for role in steps):
        raise ValidationError(
            {"steps": [_("Each step is the agency, the street or the district.")]}
        )
    if len(set(steps)) != len(steps):
        raise ValidationError({"steps": [_("Each level reviews once in the chain.")]})
    if steps[-1] != ReviewRole.DISTRICT:
        raise ValidationError({"steps": [_("The district approves last.")]})
    return list(steps)


def policy_create(*, actor, district, criteria=(), steps=(), **data) -> Policy:
    """``criteria``: [{"kind": ..., "params": {...}}]; ``steps``: roles in order."""
    if not may_keep_policies(actor):
        raise PermissionDenied(_("Only the district keeps policies."))
    errors: dict[str, list[str]] = {}
    basis = data.get("amount_basis") or AmountBasis.FLAT
    amounts = {}
    try:
        amounts = clean_amounts(basis, data.get("amounts") or {})
    except ValidationError as error:
        errors.update(error.message_dict)
    cleaned_criteria = []
    criteria = list(criteria or ())
    if len(criteria) > MAX_CRITERIA:
        errors["criteria"] = [
            _("A policy has at most %(count)s criteria.") % {"count": MAX_CRITERIA}
        ]
        criteria = []
    for index, item in enumerate(criteria):
        try:
            kind = (item or {}).get("kind", "")
            cleaned_criteria.append((kind, clean_criterion(kind, item.get("params") or {})))
        except ValidationError as error:
            for field, messages in error.message_dict.items():
                errors[f"criteria.{index}.{field}"] = messages
    kinds = [kind for kind, _params in cleaned_criteria]
    if len(set(kinds)) != len(kinds):
        errors["criteria"] = [_("Each criterion appears once in a policy.")]
    try:
        roles = clean_steps(steps)
    except ValidationError as error:
        errors.update(error.message_dict)
        roles = []
    errors.update(_applicant_errors(data.get("applicant_kind"), criteria, roles))
    fields = {k: v for k, v in data.items() if k not in ("amounts",)}
    fields["amount_basis"] = basis
    for name in ("annual_cap", "lifetime_cap"):
        if fields.get(name) not in (None, ""):
            try:
                fields[name] = money_param(fields[name], name)
            except ValidationError as error:
                errors.update(error.message_dict)
                fields[name] = None
        else:
            fields[name] = None
    try:
        fields["budget"] = money_param(fields.get("budget"), "budget")
    except ValidationError as error:
        errors.update(error.message_dict)
        fields["budget"] = Decimal("0")
    policy = Policy(district=district, amounts=amounts, **fields)
    for field, messages in model_errors(policy).items():
        errors.setdefault(field, messages)
    if (
        "opens_on" not in errors
        and "closes_on" not in errors
        and policy.opens_on
        and policy.closes_on
        and policy.closes_on < policy.opens_on
    ):
        errors["closes_on"] = [_("Applications cannot close before they open.")]
    if policy.grants_title and not policy.grants_tier:
        errors["grants_tier"] = [_("Choose the tier of the title the round grants.")]
    if policy.grants_title and policy.applicant_kind == ApplicantKind.ORGANISATION:
        errors["grants_title"] = [_("A title is granted to a person, not to an organisation.")]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic(), set_actor(actor):
        policy.save()
        # One by one, so each is in the change history.
        for i, (kind, params) in enumerate(cleaned_criteria):
            Criterion.objects.create(policy=policy, position=i, kind=kind, params=params)
        for i, role in enumerate(roles, 1):
            ReviewStep.objects.create(policy=policy, position=i, role=role)
    return policy
