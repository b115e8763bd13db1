"""Government-purchased services (政府购买服务): budgets, projects, contracts with payment
tranches, payments, and third-party evaluations (第三方评估).

Money flows one way: a budget (a year's money from the district or one street) funds projects;
a project's contract is paid in tranches, each gated by a condition; a payment is an
append-only ledger row, one per tranche (the one-to-one column refuses a second). Committed,
paid and remaining are always sums of rows, never typed in.
"""

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator, MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from shegong.core.models import BaseModel
from shegong.core.scope import ScopedManager, ScopedQuerySet, ScopeRule
from shegong.core.validators import (
    multi_line_text,
    past_record_date_bounds,
    planned_date_bounds,
    single_line_text,
    visible_text,
)
from shegong.purchasing.choices import Gate, Grade, Stage

MONEY = {"max_digits": 14, "decimal_places": 2}
ZERO = Decimal("0.00")

# Budgets are the district's books: the civil-affairs office keeps them, for its own money and
# for the money each street puts in (a street's budget lines are entered by the district).
BUDGET_KEEPERS = frozenset({"district_admin"})
BUDGET_READERS = BUDGET_KEEPERS | {"street_admin"}
# Projects: the district runs procurement; a street oversees the projects in its communities;
# an agency's director and supervisors follow their own; evaluators read their assignments.
PROJECT_VIEWERS = frozenset({"district_admin", "street_admin", "agency_admin", "supervisor"})
PROJECT_KEEPERS = frozenset({"district_admin"})
EVALUATORS = frozenset({"evaluator"})
# Rectification items are closed by the agency that must rectify, or by the district.
RECTIFIERS = frozenset({"district_admin", "agency_admin"})

SCORE = [MinValueValidator(0), MaxValueValidator(100)]
TEXT = [multi_line_text, MaxLengthValidator(4000)]


class AppendOnlyQuerySet(ScopedQuerySet):
    """Payments and contract changes are history: never changed or deleted, even in bulk."""

    def update(self, **kwargs):
        raise ValidationError(_("Ledger rows are never changed."))

    def delete(self):
        raise ValidationError(_("Ledger rows are never deleted."))


AppendOnlyManager = models.Manager.from_queryset(AppendOnlyQuerySet)


class AppendOnly(BaseModel):
    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise ValidationError(_("Ledger rows are never changed."))
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValidationError(_("Ledger rows are never deleted."))


class Budget(BaseModel):
    district = models.ForeignKey(
        "places.District", on_delete=models.PROTECT, related_name="+", verbose_name=_("district")
    )
    year = models.PositiveSmallIntegerField(
        _("year"), validators=[MinValueValidator(2000), MaxValueValidator(2099)]
    )
    # The funding source: the district's own money when empty, else the street's.
    street = models.ForeignKey(
        "places.Street",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("funding street"),
    )
    amount = models.DecimalField(
        _("amount (yuan)"), validators=[MinValueValidator(Decimal("0.01"))], **MONEY
    )
    note = models.CharField(_("note"), max_length=200, blank=True, validators=[single_line_text])

    objects = ScopedManager()
    # The district keeps every budget; a street's administrators read their street's own.
    scope_rule = ScopeRule(
        roles={"view": BUDGET_READERS, "change": BUDGET_KEEPERS},
        district="district",
        street="street",
    )

    class Meta:
        ordering = ["-year", "street__code"]
        verbose_name = _("budget")
        verbose_name_plural = _("budgets")
        constraints = [
            models.UniqueConstraint(
                fields=["district", "year"],
                condition=models.Q(street__isnull=True),
                name="purchasing_budget_district_year",
            ),
            models.UniqueConstraint(
                fields=["street", "year"], name="purchasing_budget_street_year"
            ),
            models.CheckConstraint(
                condition=models.Q(amount__gt=0), name="purchasing_budget_amount_positive"
            ),
        ]

    def __str__(self):
        return f"{self.year} {self.source_name}"

    @property
    def source_name(self) -> str:
        return self.street.name if self.street_id else str(_("District"))


class IndicatorTemplate(BaseModel):
    """A year's weights of the four indicator groups; they add up to 100."""

    district = models.ForeignKey(
        "places.District", on_delete=models.PROTECT, related_name="+", verbose_name=_("district")
    )
    year = models.PositiveSmallIntegerField(
        _("year"), validators=[MinValueValidator(2000), MaxValueValidator(2099)]
    )
    weight_professional = models.PositiveSmallIntegerField(
        _("weight: professional service"), validators=SCORE
    )
    weight_outcomes = models.PositiveSmallIntegerField(_("weight: outcomes"), validators=SCORE)
    weight_management = models.PositiveSmallIntegerField(_("weight: management"), validators=SCORE)
    weight_finance = models.PositiveSmallIntegerField(_("weight: finance"), validators=SCORE)

    objects = ScopedManager()
    scope_rule = ScopeRule(
        roles={"view": BUDGET_KEEPERS, "change": BUDGET_KEEPERS}, district="district"
    )

    class Meta:
        ordering = ["-year"]
        verbose_name = _("indicator template")
        verbose_name_plural = _("indicator templates")
        constraints = [
            models.UniqueConstraint(fields=["district", "year"], name="purchasing_template_year"),
            models.CheckConstraint(
                condition=models.Q(
                    weight_professional__lte=100,
                    weight_outcomes__lte=100,
                    weight_management__lte=100,
                    weight_finance__lte=100,
                ),
                name="purchasing_template_weights_bounded",
            ),
        ]

    def __str__(self):
        return f"{self.year}"

    def clean(self):
        total = (
            (self.weight_professional or 0)
            + (self.weight_outcomes or 0)
            + (self.weight_management or 0)
            + (self.weight_finance or 0)
        )
        if total != 100:
            raise ValidationError(
                {
                    "weight_finance": [
                        _("The four weights must add up to 100 (now %(n)s).") % {"n": total}
                    ]
                }
            )


def _project_rule(path: str = "") -> ScopeRule:
    return ScopeRule(
        roles={"view": PROJECT_VIEWERS, "change": PROJECT_KEEPERS},
        street=f"{path}street",
        agency=f"{path}agency",
        own=f"{path}evaluators",
        own_roles={"view": EVALUATORS},
    )


class Project(BaseModel):
    budget = models.ForeignKey(
        Budget, on_delete=models.PROTECT, related_name="projects", verbose_name=_("budget")
    )
    title = models.CharField(
        _("title"), max_length=100, validators=[single_line_text, visible_text]
    )
    agency = models.ForeignKey(
        "agencies.Agency",
        on_delete=models.PROTECT,
        related_name="purchased_projects",
        verbose_name=_("agency"),
    )
    # The street whose communities the project serves: its scope node for street staff.
    street = models.ForeignKey(
        "places.Street", on_delete=models.PROTECT, related_name="+", verbose_name=_("street")
    )
    communities = models.ManyToManyField(
        "places.Community", related_name="purchased_projects", verbose_name=_("communities served")
    )
    starts_on = models.DateField(_("starts on"), validators=planned_date_bounds)
    ends_on = models.DateField(_("ends on"), validators=planned_date_bounds)
    contract_no = models.CharField(
        _("contract number"), max_length=40, blank=True, validators=[single_line_text]
    )
    contract_amount = models.DecimalField(
        _("contract amount (yuan)"), validators=[MinValueValidator(Decimal("0.01"))], **MONEY
    )
    signed_on = models.DateField(
        _("signed on"), null=True, blank=True, validators=past_record_date_bounds
    )
    target_cases = models.PositiveIntegerField(_("target: cases"), default=0)
    target_group_sessions = models.PositiveIntegerField(_("target: group sessions"), default=0)
    target_community_sessions = models.PositiveIntegerField(
        _("target: community activity sessions"), default=0
    )
    target_person_times = models.PositiveIntegerField(_("target: person-times"), default=0)
    target_volunteer_hours = models.PositiveIntegerField(_("target: volunteer hours"), default=0)
    target_satisfaction = models.PositiveSmallIntegerField(
        _("target: satisfaction (%)"), default=0, validators=SCORE
    )
    evaluators = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="evaluated_projects",
        verbose_name=_("evaluators"),
    )

    objects = ScopedManager()
    scope_rule = _project_rule()

    class Meta:
        ordering = ["-starts_on", "-id"]
        verbose_name = _("service project")
        verbose_name_plural = _("service projects")
        indexes = [models.Index(fields=["agency", "starts_on"], name="purch_project_agency_start")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__gte=models.F("starts_on")),
                name="purchasing_project_ends_after_start",
            ),
            models.CheckConstraint(
                condition=models.Q(contract_amount__gt=0),
                name="purchasing_project_amount_positive",
            ),
        ]

    def __str__(self):
        return self.title


class ContractChange(AppendOnly):
    """A change of a signed contract's amount or end date, with its reason: the history the
    parties agreed to (the audit log keeps who wrote it)."""

    project = models.ForeignKey(
        Project, on_delete=models.PROTECT, related_name="changes", verbose_name=_("project")
    )
    old_amount = models.DecimalField(_("amount before"), **MONEY)
    new_amount = models.DecimalField(_("amount after"), **MONEY)
    old_ends_on = models.DateField(_("end before"))
    new_ends_on = models.DateField(_("end after"))
    reason = models.CharField(
        _("reason"), max_length=200, validators=[single_line_text, visible_text]
    )
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("changed by"),
    )

    objects = AppendOnlyManager()
    scope_rule = _project_rule("project__")

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("contract change")
        verbose_name_plural = _("contract changes")


class Tranche(BaseModel):
    project = models.ForeignKey(
        Project, on_delete=models.PROTECT, related_name="tranches", verbose_name=_("project")
    )
    seq = models.PositiveSmallIntegerField(_("number"))
    percent = models.PositiveSmallIntegerField(
        _("share (%)"), validators=[MinValueValidator(1), MaxValueValidator(100)]
    )
    gate = models.CharField(_("condition"), max_length=16, choices=Gate.choices)
    # For an evaluation gate: the lowest grade that opens it.
    min_grade = models.CharField(
        _("lowest grade"), max_length=16, choices=Grade.choices, blank=True, default=""
    )

    objects = ScopedManager()
    scope_rule = _project_rule("project__")

    class Meta:
        ordering = ["project", "seq"]
        verbose_name = _("payment tranche")
        verbose_name_plural = _("payment tranches")
        constraints = [
            models.UniqueConstraint(fields=["project", "seq"], name="purchasing_tranche_seq"),
            models.CheckConstraint(
                condition=models.Q(percent__gte=1, percent__lte=100),
                name="purchasing_tranche_percent",
            ),
        ]

    def __str__(self):
        return f"{self.project} #{self.seq}"


class Payment(AppendOnly):
    tranche = models.OneToOneField(
        Tranche, on_delete=models.PROTECT, related_name="payment", verbose_name=_("tranche")
    )
    # Denormalised from the tranche so budget and project sums read one indexed column.
    project = models.ForeignKey(
        Project, on_delete=models.PROTECT, related_name="payments", verbose_name=_("project")
    )
    budget = models.ForeignKey(
        Budget, on_delete=models.PROTECT, related_name="payments", verbose_name=_("budget")
    )
    amount = models.DecimalField(_("amount (yuan)"), **MONEY)
    paid_on = models.DateField(_("date paid"), validators=past_record_date_bounds)
    voucher = models.CharField(
        _("voucher number"), max_length=40, blank=True, validators=[single_line_text]
    )
    paid_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )

    objects = AppendOnlyManager()
    scope_rule = _project_rule("project__")

    class Meta:
        ordering = ["paid_on", "id"]
        verbose_name = _("tranche payment")
        verbose_name_plural = _("tranche payments")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(amount__gt=0), name="purchasing_payment_amount_positive"
            )
        ]


class Evaluation(BaseModel):
    project = models.ForeignKey(
        Project, on_delete=models.PROTECT, related_name="evaluations", verbose_name=_("project")
    )
    stage = models.CharField(_("stage"), max_length=16, choices=Stage.choices)
    evaluator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("evaluator"),
    )
    evaluated_on = models.DateField(_("evaluated on"), validators=past_record_date_bounds)
    score_professional = models.PositiveSmallIntegerField(
        _("professional service"), validators=SCORE
    )
    score_outcomes = models.PositiveSmallIntegerField(_("outcomes"), validators=SCORE)
    score_management = models.PositiveSmallIntegerField(_("management"), validators=SCORE)
    score_finance = models.PositiveSmallIntegerField(_("finance"), validators=SCORE)
    satisfaction = models.PositiveSmallIntegerField(
        _("satisfaction (%)"), null=True, blank=True, validators=SCORE
    )
    # Weighted with the year's template when written; kept, so a later change of the weights
    # does not regrade what was already graded.
    total = models.DecimalField(_("total score"), max_digits=5, decimal_places=2)
    grade = models.CharField(_("grade"), max_length=16, choices=Grade.choices)
    findings = models.TextField(_("findings"), blank=True, max_length=4000, validators=TEXT)

    objects = ScopedManager()
    scope_rule = ScopeRule(
        roles={"view": PROJECT_VIEWERS, "change": frozenset()},
        street="project__street",
        agency="project__agency",
        own="project__evaluators",
        own_roles={"view": EVALUATORS, "change": EVALUATORS},
    )

    class Meta:
        ordering = ["project", "stage"]
        verbose_name = _("evaluation")
        verbose_name_plural = _("evaluations")
        constraints = [
            models.UniqueConstraint(fields=["project", "stage"], name="purchasing_evaluation_once"),
            models.CheckConstraint(
                condition=models.Q(
                    score_professional__lte=100,
                    score_outcomes__lte=100,
                    score_management__lte=100,
                    score_finance__lte=100,
                ),
                name="purchasing_evaluation_scores_bounded",
            ),
        ]

    def __str__(self):
        return f"{self.project} {self.get_stage_display()}"


class Rectification(BaseModel):
    """An item the agency must put right (整改) by a deadline, found in an evaluation."""

    evaluation = models.ForeignKey(
        Evaluation,
        on_delete=models.PROTECT,
        related_name="rectifications",
        verbose_name=_("evaluation"),
    )
    project = models.ForeignKey(
        Project, on_delete=models.PROTECT, related_name="rectifications", verbose_name=_("project")
    )
    description = models.CharField(
        _("item"), max_length=200, validators=[single_line_text, visible_text]
    )
    deadline = models.DateField(_("deadline"), validators=planned_date_bounds)
    closed_on = models.DateField(
        _("closed on"), null=True, blank=True, validators=past_record_date_bounds
    )
    closure_note = models.CharField(
        _("how it was put right"), max_length=200, blank=True, validators=[single_line_text]
    )
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("closed by"),
    )

    objects = ScopedManager()
    scope_rule = ScopeRule(
        roles={"view": PROJECT_VIEWERS, "change": RECTIFIERS},
        street="project__street",
        agency="project__agency",
        own="project__evaluators",
        own_roles={"view": EVALUATORS},
    )

    class Meta:
        ordering = ["deadline", "id"]
        verbose_name = _("rectification item")
        verbose_name_plural = _("rectification items")

    def __str__(self):
        return self.description
