"""Writes to policies: the policy with its amount table, criteria and review chain, created
together so a policy is never half-defined."""

from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

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


def clean_policy(district, criteria, steps, data) -> tuple[Policy, list, list[str]]:
    """A policy's fields, amount table, criteria and chain checked together (creation and
    edits alike): the unsaved policy, its ``(kind, params)`` criteria and its roles in order;
    one ValidationError with every field's messages otherwise."""
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
        # The window's database constraint says the same, by its name: said on the field only.
        errors.pop("__all__", None)
    if (
        "annual_cap" not in errors
        and policy.annual_cap is not None
        and policy.lifetime_cap is not None
        and policy.annual_cap > policy.lifetime_cap
    ):
        errors["annual_cap"] = [_("A year's cap cannot be above the lifetime cap.")]
    if policy.grants_title and not policy.grants_tier:
        errors["grants_tier"] = [_("Choose the tier of the title the round grants.")]
    if policy.grants_title and policy.applicant_kind == ApplicantKind.ORGANISATION:
        errors["grants_title"] = [_("A title is granted to a person, not to an organisation.")]
    if errors:
        raise ValidationError(errors)
    return policy, cleaned_criteria, roles


def policy_create(*, actor, district, criteria=(), steps=(), **data) -> Policy:
    """``criteria``: [{"kind": ..., "params": {...}}]; ``steps``: roles in order."""
    if not may_keep_policies(actor):
        raise PermissionDenied(_("Only the district keeps policies."))
    policy, cleaned_criteria, roles = clean_policy(district, criteria, steps, data)
    with transaction.atomic(), set_actor(actor):
        policy.save()
        # One by one, so each is in the change history.
        for i, (kind, params) in enumerate(cleaned_criteria):
            Criterion.objects.create(policy=policy, position=i, kind=kind, params=params)
        for i, role in enumerate(roles, 1):
            ReviewStep.objects.create(policy=policy, position=i, role=role)
    return policy


# What an edit may change. Once an application has been submitted, the terms it was submitted
# under stay as they were: who qualifies, how much, the caps, the chain that reviews it, the
# year and the start of the window. The name, description, the end of the window, the notice
# period (counted when a notice opens), the attachment rule for new filings and a larger budget
# remain open.
EDITABLE = frozenset(
    {
        "name",
        "description",
        "year",
        "budget",
        "opens_on",
        "closes_on",
        "amount_basis",
        "amounts",
        "payment_mode",
        "months",
        "annual_cap",
        "lifetime_cap",
        "notice_days",
        "requires_attachment",
        "grants_title",
        "grants_tier",
        "title_years",
        "criteria",
        "steps",
    }
)
LOCKED_WHEN_APPLIED = EDITABLE - {
    "name",
    "description",
    "budget",
    "closes_on",
    "notice_days",
    "requires_attachment",
}


def _terms_of(policy: Policy) -> dict:
    """The policy as ``policy_update`` compares it: its editable fields, criteria and chain."""
    terms = {name: getattr(policy, name) for name in EDITABLE - {"criteria", "steps"}}
    terms["criteria"] = [
        {"kind": c.kind, "params": c.params} for c in policy.criteria.order_by("position", "pk")
    ]
    terms["steps"] = list(policy.steps.order_by("position").values_list("role", flat=True))
    return terms


def _same(name: str, old, new) -> bool:
    if name == "criteria":
        # Order does not change who qualifies.
        return sorted((k, sorted(p.items())) for k, p in old) == sorted(
            (k, sorted(p.items())) for k, p in new
        )
    return old == new


def policy_update(*, actor, policy: Policy, **changes) -> Policy:
    """Edit a policy (the district's administrators): the given fields only, checked together
    with the rest exactly as at creation. Once applications have been submitted, a change to
    their terms (``LOCKED_WHEN_APPLIED``) is refused field by field, and the budget may only
    grow; it never falls below what is committed. Nothing is written on any refusal; what is
    written is in the change history (criteria and steps replaced row by row)."""
    from shegong.core.scope import CHANGE, require
    from shegong.talent.models import Application

    if not may_keep_policies(actor):
        raise PermissionDenied(_("Only the district keeps policies."))
    require(actor, policy, CHANGE)
    unknown = sorted(set(changes) - EDITABLE)
    if unknown:
        raise ValidationError(
            {name: [_("This field cannot be changed after publication.")] for name in unknown}
        )
    current = _terms_of(policy)
    merged = {**current, **changes}
    data = {k: v for k, v in merged.items() if k not in ("criteria", "steps")}
    data["kind"], data["applicant_kind"] = policy.kind, policy.applicant_kind
    cleaned, criteria, roles = clean_policy(
        policy.district, merged["criteria"], merged["steps"], data
    )
    after = {name: getattr(cleaned, name) for name in EDITABLE - {"criteria", "steps"}}
    after["criteria"] = [(kind, params) for kind, params in criteria]
    after["steps"] = roles
    # The stored terms pass through the same cleaning, so only real differences count.
    before = dict(
        current,
        amounts=clean_amounts(current["amount_basis"], current["amounts"]),
        criteria=[
            (c["kind"], clean_criterion(c["kind"], c["params"])) for c in current["criteria"]
        ],
    )
    changed = [name for name in sorted(EDITABLE) if not _same(name, before[name], after[name])]
    if not changed:
        return policy
    with transaction.atomic(), set_actor(actor):
        locked = Policy.objects.select_for_update().get(pk=policy.pk)
        _refuse_locked_changes(locked, changed, after, Application)
        fields = [name for name in changed if name not in ("criteria", "steps")]
        for name in fields:
            setattr(locked, name, after[name])
        # Saved even when only the criteria or the chain changed: updated_at dates the terms.
        locked.save(update_fields=[*fields, "updated_at"])
        if "criteria" in changed:
            for row in locked.criteria.all():
                row.delete()
            for i, (kind, params) in enumerate(criteria):
                Criterion.objects.create(policy=locked, position=i, kind=kind, params=params)
        if "steps" in changed:
            for row in locked.steps.all():
                row.delete()
            for i, role in enumerate(roles, 1):
                ReviewStep.objects.create(policy=locked, position=i, role=role)
    return locked


def _refuse_locked_changes(policy: Policy, changed, after, application_model) -> None:
    """Under the policy's row lock (approvals commit its budget under the same lock)."""
    errors: dict[str, list[str]] = {}
    submitted = application_model.objects.filter(policy=policy, submitted_at__isnull=False).count()
    if submitted:
        message = ngettext(
            "Locked: %(count)s application was submitted under the current terms. "
            "Publish a new policy to change them.",
            "Locked: %(count)s applications were submitted under the current terms. "
            "Publish a new policy to change them.",
            submitted,
        ) % {"count": submitted}
        for name in changed:
            if name in LOCKED_WHEN_APPLIED:
                errors[name] = [message]
        if "budget" in changed and after["budget"] < policy.budget:
            errors["budget"] = [
                _("Applications have been submitted: the budget can be raised, not lowered.")
            ]
    if "budget" in changed and after["budget"] < policy.committed:
        errors["budget"] = [
            _(
                "The budget cannot go below the %(committed)s yuan already committed "
                "(%(disbursed)s yuan of it paid)."
            )
            % {"committed": policy.committed, "disbursed": policy.disbursed}
        ]
    if errors:
        raise ValidationError(errors)
