"""Writes of purchased services: budgets, projects and their contracts, tranches, payments,
evaluations and rectification items. Pages, the API and the demo data all call these.

Money rules, each checked while the budget row is locked (``select_for_update``; on SQLite the
write transaction itself is the lock), so two writers cannot both spend the same yuan:
- a project's contract amount fits in what its budget has not yet committed;
- a tranche is paid once (the one-to-one column says so too), only when its gate holds, and
  never beyond what remains of the budget or of the contract.
"""

import datetime
from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from shegong.accounts.choices import Role
from shegong.core.audit import set_actor
from shegong.core.money import MoneySum
from shegong.core.scope import CHANGE, VIEW, OutOfScope, require, user_assignments, user_roles
from shegong.core.validators import model_errors
from shegong.purchasing.choices import GRADE_RANK, Gate, Grade, Stage, grade_for
from shegong.purchasing.models import (
    BUDGET_KEEPERS,
    ZERO,
    Budget,
    ContractChange,
    Evaluation,
    IndicatorTemplate,
    Payment,
    Project,
    Rectification,
    Tranche,
)

CENT = Decimal("0.01")
# Used when the district has set no weights for a year: the four groups count equally.
DEFAULT_WEIGHTS = (25, 25, 25, 25)
TARGET_FIELDS = (
    "target_cases",
    "target_group_sessions",
    "target_community_sessions",
    "target_person_times",
    "target_volunteer_hours",
    "target_satisfaction",
)


def may_keep_budgets(user) -> bool:
    return user.is_superuser or bool(user_roles(user) & BUDGET_KEEPERS)


def _district_of(actor):
    """The district the actor administers (budgets and templates are the district's books)."""
    for assignment in user_assignments(actor):
        if assignment.role == Role.DISTRICT_ADMIN and assignment.district_id:
            return assignment.district
    if actor.is_superuser:
        from shegong.places.models import District

        return District.objects.order_by("pk").first()
    raise PermissionDenied(_("Only the district keeps budgets."))


def _raise(errors: dict):
    if errors:
        raise ValidationError(errors)


# Budgets -----------------------------------------------------------------------------------


def budget_create(*, actor, year, amount, street=None, note: str = "") -> Budget:
    if not may_keep_budgets(actor):
        raise PermissionDenied(_("Only the district keeps budgets."))
    district = _district_of(actor)
    errors = {}
    if street is not None and street.district_id != district.pk:
        errors["street"] = [_("Choose a street of your district.")]
    budget = Budget(district=district, year=year, street=street, amount=amount, note=note or "")
    errors.update(model_errors(budget, exclude=("district",)))
    if not errors and Budget.objects.filter(district=district, year=year, street=street).exists():
        errors["year"] = [_("This funding source already has a budget for that year.")]
    _raise(errors)
    try:
        with transaction.atomic(), set_actor(actor):
            budget.save()
    except IntegrityError:
        raise ValidationError(
            {"year": [_("This funding source already has a budget for that year.")]}
        ) from None
    return budget


def budget_update(*, actor, budget: Budget, amount, note: str = "") -> Budget:
    require(actor, budget, CHANGE)
    with transaction.atomic(), set_actor(actor):
        locked = Budget.objects.select_for_update().get(pk=budget.pk)
        locked.amount = amount
        locked.note = note or ""
        errors = model_errors(locked)
        committed = _committed(locked)
        if not errors and locked.amount < committed:
            errors["amount"] = [
                _("Refused: %(committed)s yuan are already committed to projects.")
                % {"committed": committed}
            ]
        _raise(errors)
        locked.save()
    return locked


def _committed(budget: Budget, *, excluding=None) -> Decimal:
    rows = Project.objects.filter(budget=budget)
    if excluding is not None:
        rows = rows.exclude(pk=excluding.pk)
    return rows.aggregate(total=MoneySum("contract_amount"))["total"] or ZERO


def _paid(**lookup) -> Decimal:
    return Payment.objects.filter(**lookup).aggregate(total=MoneySum("amount"))["total"] or ZERO


def template_set(*, actor, year, weights) -> IndicatorTemplate:
    """Set a year's weights (professional, outcomes, management, finance); they add up to 100."""
    if not may_keep_budgets(actor):
        raise PermissionDenied(_("Only the district sets the indicator weights."))
    district = _district_of(actor)
    professional, outcomes, management, finance = weights
    template = IndicatorTemplate.objects.filter(district=district, year=year).first()
    template = template or IndicatorTemplate(district=district, year=year)
    template.weight_professional = professional
    template.weight_outcomes = outcomes
    template.weight_management = management
    template.weight_finance = finance
    _raise(model_errors(template, exclude=("district",)))
    with transaction.atomic(), set_actor(actor):
        template.save()
    return template


def weights_for(project: Project) -> tuple[int, int, int, int]:
    template = IndicatorTemplate.objects.filter(
        district_id=project.budget.district_id, year=project.budget.year
    ).first()
    if template is None:
        return DEFAULT_WEIGHTS
    return (
        template.weight_professional,
        template.weight_outcomes,
        template.weight_management,
        template.weight_finance,
    )


# Projects ----------------------------------------------------------------------------------


def _check_places(actor, *, budget, agency, street, communities, errors: dict):
    if budget is None:
        errors["budget"] = [_("Choose a budget.")]
    else:
        try:
            require(actor, budget, CHANGE)
        except OutOfScope:
            errors["budget"] = [_("Choose a budget.")]
    if agency is None:
        errors["agency"] = [_("Choose an agency.")]
    else:
        try:
            require(actor, agency, VIEW)
        except OutOfScope:
            errors["agency"] = [_("Choose an agency.")]
    if street is None:
        errors["street"] = [_("Choose a street.")]
    elif budget is not None and budget.street_id and budget.street_id != street.pk:
        errors["street"] = [_("A street's budget pays for projects in that street only.")]
    elif budget is not None and street.district_id != budget.district_id:
        errors["street"] = [_("Choose a street of your district.")]
    if not communities:
        errors["communities"] = [_("Choose the communities the project serves.")]
    elif street is not None and any(c.street_id != street.pk for c in communities):
        errors["communities"] = [_("Every community served must lie in the project's street.")]


def project_create(*, actor, budget, agency, street, communities, tranches=None, **data) -> Project:
    """Create a project and its contract's payment tranches.

    ``tranches``: a list of ``(percent, gate, min_grade)``; by default 40 % at signing, 30 %
    after a mid-term grade of at least 合格 and 30 % after a final grade of at least 合格.
    """
    communities = list(communities or [])
    errors: dict = {}
    _check_places(
        actor, budget=budget, agency=agency, street=street, communities=communities, errors=errors
    )
    project = Project(budget=budget, agency=agency, street=street, **data)
    errors.update(
        {
            key: value
            for key, value in model_errors(project, exclude=("budget", "agency", "street")).items()
            if key not in errors
        }
    )
    if project.starts_on and project.ends_on and project.ends_on < project.starts_on:
        errors["ends_on"] = [_("The project ends before it starts.")]
        errors.pop("__all__", None)  # the end-after-start constraint, said on the field
    tranche_rows = _clean_tranches(tranches, errors)
    if project.starts_on and budget is not None and project.starts_on.year != budget.year:
        errors.setdefault("starts_on", [_("The project must start in its budget's year.")])
    _raise(errors)
    with transaction.atomic(), set_actor(actor):
        locked = Budget.objects.select_for_update().get(pk=budget.pk)
        free = locked.amount - _committed(locked)
        if project.contract_amount > free:
            raise ValidationError(
                {
                    "contract_amount": [
                        _("Refused: the budget has %(free)s yuan not yet committed.")
                        % {"free": free}
                    ]
                }
            )
        project.save()
        project.communities.set(communities)
        for seq, (percent, gate, min_grade) in enumerate(tranche_rows, start=1):
            Tranche.objects.create(
                project=project, seq=seq, percent=percent, gate=gate, min_grade=min_grade
            )
    return project


DEFAULT_TRANCHES = (
    (40, Gate.SIGNING, ""),
    (30, Gate.MIDTERM, Grade.PASS),
    (30, Gate.FINAL, Grade.PASS),
)


MAX_TRANCHES = 4


def _clean_tranches(tranches, errors: dict) -> list:
    """The tranches as ``(percent, gate, min_grade)`` rows: at most ``MAX_TRANCHES``, each a
    whole percent (a share of 33.333 % is refused, not cut to 33) with its condition (a grade
    of at least 合格 after an evaluation, none at signing), adding up to 100."""
    if tranches is None:
        return list(DEFAULT_TRANCHES)
    if len(tranches) > MAX_TRANCHES:
        most = _("A contract is paid in at most %(n)s tranches.") % {"n": MAX_TRANCHES}
        errors["tranches"] = [most]
        return []
    rows = []
    for seq, (percent, gate, min_grade) in enumerate(tranches, start=1):
        problem = _tranche_problem(percent, gate, min_grade)
        if problem:
            errors["tranches"] = [_("Tranche %(n)s: %(problem)s") % {"n": seq, "problem": problem}]
            return []
        rows.append((percent, gate, min_grade or ""))
    if not rows or sum(p for p, _g, _m in rows) != 100:
        errors["tranches"] = [_("The tranches' shares must each be positive and add up to 100 %.")]
    return rows


def _tranche_problem(percent, gate, min_grade) -> str:
    if isinstance(percent, bool) or not isinstance(percent, int):
        return _("its share is a whole percent, such as 40.")
    if not 1 <= percent <= 100:
        return _("its share is between 1 and 100 %.")
    if gate not in Gate.values:
        return _("choose when it is paid.")
    if gate == Gate.SIGNING:
        return _("a tranche paid at signing takes no grade.") if min_grade else ""
    if min_grade not in Grade.values or min_grade == Grade.FAIL:
        return _("choose the lowest grade that releases it (合格 or better).")
    return ""


def project_sign(*, actor, project: Project, signed_on=None, contract_no: str = "") -> Project:
    require(actor, project, CHANGE)
    errors = {}
    if project.signed_on:
        errors["signed_on"] = [_("The contract is already signed.")]
    project.signed_on = signed_on or timezone.localdate()
    if contract_no:
        project.contract_no = contract_no
    errors.update(model_errors(project))
    _raise(errors)
    with transaction.atomic(), set_actor(actor):
        project.save(update_fields=["signed_on", "contract_no", "updated_at"])
    return project


def project_change_contract(*, actor, project: Project, amount, ends_on, reason: str) -> Project:
    """Change a contract's amount or end date; the change is kept with its reason."""
    require(actor, project, CHANGE)
    errors = {}
    reason = (reason or "").strip()
    if not reason:
        errors["reason"] = [_("Say why the contract changes.")]
    with transaction.atomic(), set_actor(actor):
        budget = Budget.objects.select_for_update().get(pk=project.budget_id)
        locked = Project.objects.get(pk=project.pk)
        change = ContractChange(
            project=locked,
            old_amount=locked.contract_amount,
            new_amount=amount,
            old_ends_on=locked.ends_on,
            new_ends_on=ends_on,
            reason=reason,
            changed_by=actor,
        )
        locked.contract_amount = amount
        locked.ends_on = ends_on
        if ends_on and locked.starts_on and ends_on < locked.starts_on:
            errors["ends_on"] = [_("The project ends before it starts.")]
        # The change asks for ``amount``: its errors name that field, not the model's.
        found = model_errors(locked, rename={"contract_amount": "amount"})
        if "ends_on" in errors:
            found.pop("__all__", None)  # the end-after-start constraint, said above
        errors.update({k: v for k, v in found.items() if k not in errors})
        if not errors:
            free = budget.amount - _committed(budget, excluding=locked)
            paid = _paid(project=locked)
            if amount > free:
                errors["amount"] = [
                    _("Refused: the budget has %(free)s yuan not yet committed.") % {"free": free}
                ]
            elif amount < paid:
                errors["amount"] = [
                    _("Refused: %(paid)s yuan are already paid on this contract.") % {"paid": paid}
                ]
        _raise(errors)
        locked.save()
        change.save()
    return locked


def project_assign_evaluator(*, actor, project: Project, evaluator) -> Project:
    require(actor, project, CHANGE)
    is_evaluator = evaluator.role_assignments.filter(role=Role.EVALUATOR, is_active=True).exists()
    if not is_evaluator:
        raise ValidationError({"evaluator": [_("Choose a user who holds the evaluator role.")]})
    with transaction.atomic(), set_actor(actor):
        project.evaluators.add(evaluator)
    return project


def project_unassign_evaluator(*, actor, project: Project, evaluator) -> Project:
    """End an evaluator's assignment: they no longer see the project (their evaluations stay)."""
    require(actor, project, CHANGE)
    with transaction.atomic(), set_actor(actor):
        project.evaluators.remove(evaluator)
    return project


# Payments ----------------------------------------------------------------------------------


def gate_holds(tranche: Tranche, evaluations=None) -> bool:
    """Whether the tranche's condition holds. ``evaluations``: the project's evaluations
    already loaded (a page that checks every tranche reads them once)."""
    project = tranche.project
    if tranche.gate == Gate.SIGNING:
        return project.signed_on is not None
    if evaluations is None:
        evaluations = list(Evaluation.objects.filter(project_id=project.pk))
    stage = Stage.MIDTERM if tranche.gate == Gate.MIDTERM else Stage.FINAL
    for evaluation in evaluations:
        if evaluation.stage == stage:
            return GRADE_RANK[evaluation.grade] >= GRADE_RANK[tranche.min_grade or Grade.PASS]
    return False


def tranche_amount(tranche: Tranche, contract_amount: Decimal) -> Decimal:
    return (contract_amount * tranche.percent / 100).quantize(CENT, rounding=ROUND_HALF_UP)


def due_amounts(project: Project, tranches: list[Tranche]) -> dict[int, Decimal]:
    """What each of the project's tranches pays (by ``seq``): a paid one what it paid, else
    its share of the contract to the fen, except that the last takes the fen the rounding
    leaves: the contract less every other tranche's amount, never another tranche's share.
    ``tranches``: all of the project's, with their payments loaded."""
    amounts = {
        t.seq: t.payment.amount if _is_paid(t) else tranche_amount(t, project.contract_amount)
        for t in tranches
    }
    last = max(tranches, key=lambda t: t.seq, default=None)
    if last is not None and not _is_paid(last):
        amounts[last.seq] = project.contract_amount - sum(
            (amount for seq, amount in amounts.items() if seq != last.seq), ZERO
        )
    return amounts


def _is_paid(tranche: Tranche) -> bool:
    return hasattr(tranche, "payment")


def tranche_pay(*, actor, tranche: Tranche, paid_on=None, voucher: str = "") -> Payment:
    """Pay a tranche: refused, with nothing written, before its gate holds, beyond the
    remaining budget or contract, or a second time."""
    require(actor, tranche.project, CHANGE)
    paid_on = paid_on or timezone.localdate()
    with transaction.atomic(), set_actor(actor):
        # Lock order: budget, then project; every payment takes the same order.
        budget = Budget.objects.select_for_update().get(pk=tranche.project.budget_id)
        project = Project.objects.select_for_update().get(pk=tranche.project_id)
        tranche = Tranche.objects.select_related("project").get(pk=tranche.pk)
        tranche.project = project
        if Payment.objects.filter(tranche=tranche).exists():
            raise ValidationError({"tranche": [_("Refused: this tranche is already paid.")]})
        if not gate_holds(tranche):
            raise ValidationError(
                {
                    "tranche": [
                        _("Refused: %(gate)s does not hold yet.") % {"gate": gate_text(tranche)}
                    ]
                }
            )
        tranches = list(project.tranches.select_related("payment"))
        amount = due_amounts(project, tranches)[tranche.seq]
        budget_left = budget.amount - _paid(budget=budget)
        contract_left = project.contract_amount - _paid(project=project)
        if amount > budget_left:
            raise ValidationError(
                {
                    "tranche": [
                        _(
                            "Refused: %(amount)s yuan is more than the %(left)s yuan left "
                            "in the budget."
                        )
                        % {"amount": amount, "left": budget_left}
                    ]
                }
            )
        if amount > contract_left or amount <= 0:
            raise ValidationError(
                {
                    "tranche": [
                        _(
                            "Refused: %(amount)s yuan is more than the %(left)s yuan left "
                            "on the contract."
                        )
                        % {"amount": amount, "left": contract_left}
                    ]
                }
            )
        payment = Payment(
            tranche=tranche,
            project=project,
            budget=budget,
            amount=amount,
            paid_on=paid_on,
            voucher=(voucher or "").strip(),
            paid_by=actor,
        )
        _raise(model_errors(payment, exclude=("tranche", "project", "budget", "paid_by")))
        try:
            with transaction.atomic():
                payment.save()
        except IntegrityError:
            raise ValidationError(
                {"tranche": [_("Refused: this tranche is already paid.")]}
            ) from None
    return payment


def gate_text(tranche: Tranche) -> str:
    if tranche.gate == Gate.SIGNING:
        return _("the contract's signing")
    stage = (
        _("the mid-term evaluation") if tranche.gate == Gate.MIDTERM else _("the final evaluation")
    )
    return _("%(stage)s graded %(grade)s or better") % {
        "stage": stage,
        "grade": Grade(tranche.min_grade or Grade.PASS).label,
    }


# Evaluations -------------------------------------------------------------------------------


def _score(value, field: str, errors: dict) -> int:
    try:
        number = int(value)
    except (TypeError, ValueError):
        errors[field] = [_("Enter a score from 0 to 100.")]
        return 0
    if not 0 <= number <= 100 or str(value).strip() not in (str(number), f"{number}.0"):
        errors[field] = [_("Enter a score from 0 to 100.")]
    return number


def evaluation_submit(
    *,
    actor,
    project: Project,
    stage: str,
    scores: dict,
    satisfaction=None,
    findings: str = "",
    evaluated_on=None,
    rectifications=(),
) -> Evaluation:
    """An assigned evaluator grades a project's mid-term or final stage, once.

    ``scores``: professional, outcomes, management, finance (0–100 each), weighted with the
    year's template into the total, whose band is the grade. ``rectifications``: a list of
    ``(description, deadline)``: what the agency must put right, by when.
    """
    require(actor, project, VIEW)
    if actor.pk is None or not project.evaluators.filter(pk=actor.pk).exists():
        raise PermissionDenied(_("Only an evaluator assigned to the project grades it."))
    errors: dict = {}
    if stage not in Stage.values:
        errors["stage"] = [_("Choose the mid-term or the final evaluation.")]
    values = {
        name: _score(scores.get(name), f"score_{name}", errors)
        for name in ("professional", "outcomes", "management", "finance")
    }
    if satisfaction not in (None, ""):
        satisfaction = _score(satisfaction, "satisfaction", errors)
    else:
        satisfaction = None
    evaluated_on = evaluated_on or timezone.localdate()
    if (
        stage == Stage.FINAL
        and not errors
        and not Evaluation.objects.filter(project=project, stage=Stage.MIDTERM).exists()
    ):
        errors["stage"] = [_("The mid-term evaluation comes first.")]
    weights = weights_for(project)
    total = (
        Decimal(sum(w * v for w, v in zip(weights, values.values(), strict=True))) / 100
    ).quantize(CENT, rounding=ROUND_HALF_UP)
    evaluation = Evaluation(
        project=project,
        stage=stage,
        evaluator=actor,
        evaluated_on=evaluated_on,
        satisfaction=satisfaction,
        total=total,
        grade=grade_for(total),
        findings=(findings or "").strip(),
        **{f"score_{name}": value for name, value in values.items()},
    )
    if not errors:
        errors.update(model_errors(evaluation, exclude=("project", "evaluator")))
    items = []
    for index, (description, deadline) in enumerate(rectifications or ()):
        item = Rectification(
            project=project, description=(description or "").strip(), deadline=deadline
        )
        for key, messages in model_errors(item, exclude=("project", "evaluation")).items():
            errors[f"rectifications.{index}.{key}"] = messages
        items.append(item)
    if not errors and Evaluation.objects.filter(project=project, stage=stage).exists():
        errors["stage"] = [_("This stage is already evaluated.")]
    _raise(errors)
    try:
        with transaction.atomic(), set_actor(actor):
            evaluation.save()
            for item in items:
                item.evaluation = evaluation
                item.save()
    except IntegrityError:
        raise ValidationError({"stage": [_("This stage is already evaluated.")]}) from None
    return evaluation


def rectification_close(*, actor, item: Rectification, note: str, closed_on=None) -> Rectification:
    require(actor, item, CHANGE)
    item = Rectification.objects.get(pk=item.pk)  # fresh: a refused try leaves no trace
    errors = {}
    if item.closed_on:
        errors["note"] = [_("This item is already closed.")]
    note = (note or "").strip()
    if not note:
        errors["note"] = [_("Say how the item was put right.")]
    _raise(errors)
    item.closed_on = closed_on or timezone.localdate()
    item.closure_note = note
    item.closed_by = actor
    _raise(model_errors(item, rename={"closure_note": "note"}))
    with transaction.atomic(), set_actor(actor):
        item.save(update_fields=["closed_on", "closure_note", "closed_by", "updated_at"])
    return item


def today() -> datetime.date:
    return timezone.localdate()
