"""The incubation park (社会组织服务园): its units, the tenancy contracts of organisations, and
the rent payments recorded against them.

Rent due is never stored or typed in: ``schedule.py`` computes it from the contract (the
monthly rent fixed when the contract was drafted, the free months and the discount of its rent
policy, and the day the tenant first moved into the park). Payments are an append-only ledger,
like the charity funds': a mistake is undone by a reversal, a new entry with the opposite amount.
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
from shegong.park.choices import ContractStatus, PaymentKind, RentBasis, UnitKind, UnitStatus

# The district's civil-affairs office runs the park; the street where the park stands follows
# it read-only. An agency's director reads their own organisation's contracts, schedule and
# arrears (never the park's other tenants).
PARK_VIEWERS = frozenset({"district_admin", "street_admin"})
PARK_KEEPERS = frozenset({"district_admin"})
TENANCY_VIEWERS = PARK_VIEWERS | {"agency_admin"}

MONEY = {"max_digits": 12, "decimal_places": 2}
ZERO = Decimal("0.00")
# The rent policy of Huli's park: three years free, then a discount (DESIGN glossary). These
# are only the defaults a new park starts with; each park and each contract keeps its own.
DEFAULT_FREE_MONTHS = 36
DEFAULT_DISCOUNT_PERCENT = Decimal("50.00")

free_months_bounds = [MinValueValidator(0), MaxValueValidator(240)]
percent_bounds = [MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("100"))]


class Park(BaseModel):
    name = models.CharField(_("name"), max_length=100, validators=[single_line_text, visible_text])
    community = models.ForeignKey(
        "places.Community",
        on_delete=models.PROTECT,
        related_name="parks",
        verbose_name=_("community"),
    )
    address = models.CharField(
        _("address"), max_length=200, blank=True, validators=[single_line_text]
    )
    free_months = models.PositiveSmallIntegerField(
        _("rent-free months"), default=DEFAULT_FREE_MONTHS, validators=free_months_bounds
    )
    discount_percent = models.DecimalField(
        _("discount after the free months (%)"),
        max_digits=5,
        decimal_places=2,
        default=DEFAULT_DISCOUNT_PERCENT,
        validators=percent_bounds,
    )

    objects = ScopedManager()
    scope_rule = ScopeRule(
        roles={"view": PARK_VIEWERS, "change": PARK_KEEPERS}, community="community"
    )

    class Meta:
        ordering = ["name", "pk"]
        verbose_name = _("incubation park")
        verbose_name_plural = _("incubation parks")

    def __str__(self):
        return self.name


class Unit(BaseModel):
    park = models.ForeignKey(
        Park, on_delete=models.PROTECT, related_name="units", verbose_name=_("park")
    )
    code = models.CharField(_("code"), max_length=30, validators=[single_line_text, visible_text])
    kind = models.CharField(
        _("kind"), max_length=16, choices=UnitKind.choices, default=UnitKind.ROOM
    )
    floor = models.SmallIntegerField(
        _("floor"), validators=[MinValueValidator(-5), MaxValueValidator(100)]
    )
    area = models.DecimalField(
        _("area (m²)"),
        max_digits=8,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0.01")), MaxValueValidator(Decimal("100000"))],
    )
    rent_basis = models.CharField(
        _("rent basis"), max_length=16, choices=RentBasis.choices, default=RentBasis.PER_M2
    )
    # Yuan per m² per month, or yuan per month, as ``rent_basis`` says: the list rent before
    # any policy. What a tenant owes is computed from it (``list_rent``), never typed in.
    rent_rate = models.DecimalField(
        _("rent (yuan)"),
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("1000000"))],
        **MONEY,
    )
    status = models.CharField(
        _("status"), max_length=16, choices=UnitStatus.choices, default=UnitStatus.IN_SERVICE
    )
    note = models.CharField(_("note"), max_length=200, blank=True, validators=[single_line_text])

    objects = ScopedManager()
    scope_rule = ScopeRule(
        roles={"view": PARK_VIEWERS, "change": PARK_KEEPERS}, community="park__community"
    )

    class Meta:
        ordering = ["park", "floor", "code"]
        verbose_name = _("unit")
        verbose_name_plural = _("units")
        constraints = [
            models.UniqueConstraint(fields=["park", "code"], name="park_unit_code_unique")
        ]

    def __str__(self):
        return self.code

    @property
    def list_rent(self) -> Decimal:
        """The unit's monthly list rent in yuan, to the fen (half up)."""
        from shegong.park.schedule import fen

        if self.rent_basis == RentBasis.PER_M2:
            return fen(self.rent_rate * self.area)
        return fen(self.rent_rate)


class Contract(BaseModel):
    park = models.ForeignKey(
        Park, on_delete=models.PROTECT, related_name="contracts", verbose_name=_("park")
    )
    # The tenant: a registered agency of the district, or an organisation still being
    # incubated and not yet registered (then only its name). A registered tenant's name is
    # copied from the agency so the contract reads as signed.
    agency = models.ForeignKey(
        "agencies.Agency",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="park_contracts",
        verbose_name=_("agency"),
    )
    tenant_name = models.CharField(
        _("tenant"), max_length=100, validators=[single_line_text, visible_text]
    )
    units = models.ManyToManyField(Unit, related_name="contracts", verbose_name=_("units"))
    start_date = models.DateField(_("start date"), validators=planned_date_bounds)
    end_date = models.DateField(_("end date"), validators=planned_date_bounds)
    status = models.CharField(
        _("status"), max_length=16, choices=ContractStatus.choices, default=ContractStatus.DRAFT
    )
    # The last day of a tenancy ended early (inclusive); empty unless terminated.
    terminated_on = models.DateField(
        _("terminated on"), null=True, blank=True, validators=planned_date_bounds
    )
    termination_reason = models.CharField(
        _("reason for termination"), max_length=200, blank=True, validators=[single_line_text]
    )
    # The rent policy, fixed when the contract is drafted: the sum of the units' list rents and
    # the park's policy then. Later changes to a unit or the park leave signed contracts alone.
    monthly_rent = models.DecimalField(_("monthly list rent (yuan)"), editable=False, **MONEY)
    free_months = models.PositiveSmallIntegerField(
        _("rent-free months"), validators=free_months_bounds
    )
    discount_percent = models.DecimalField(
        _("discount after the free months (%)"),
        max_digits=5,
        decimal_places=2,
        validators=percent_bounds,
    )
    # The first day of the tenant's first tenancy in this park: the free months run from it,
    # across contracts (a renewal does not restart them). Computed by the services.
    free_from = models.DateField(_("in the park since"), editable=False)
    note = models.TextField(
        _("note"),
        blank=True,
        max_length=2000,
        validators=[multi_line_text, MaxLengthValidator(2000)],
    )
    last_entry_no = models.PositiveIntegerField(_("last entry number"), default=0, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        verbose_name=_("created by"),
    )

    objects = ScopedManager()
    scope_rule = ScopeRule(
        roles={"view": TENANCY_VIEWERS, "change": PARK_KEEPERS},
        community="park__community",
        agency="agency",
    )

    class Meta:
        ordering = ["-start_date", "-pk"]
        verbose_name = _("tenancy contract")
        verbose_name_plural = _("tenancy contracts")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end_date__gte=models.F("start_date")),
                name="park_contract_end_after_start",
            )
        ]

    def __str__(self):
        return f"{self.tenant_name} ({self.start_date:%Y-%m-%d})"

    @property
    def last_day(self):
        """The last day the tenant holds the units: the end date, or the day of termination."""
        return self.terminated_on or self.end_date


class PaymentQuerySet(ScopedQuerySet):
    """Ledger rows are never changed or deleted in bulk either."""

    def update(self, **kwargs):
        raise ValidationError(_("Payments are never changed; record a reversal instead."))

    def delete(self):
        raise ValidationError(_("Payments are never deleted; record a reversal instead."))


PaymentManager = models.Manager.from_queryset(PaymentQuerySet)


class Payment(BaseModel):
    contract = models.ForeignKey(
        Contract, on_delete=models.PROTECT, related_name="payments", verbose_name=_("contract")
    )
    entry_no = models.PositiveIntegerField(_("entry number"))
    kind = models.CharField(_("kind"), max_length=16, choices=PaymentKind.choices)
    # Signed: a payment is positive, its reversal negative.
    amount = models.DecimalField(_("amount (yuan)"), **MONEY)
    paid_on = models.DateField(_("date"), validators=past_record_date_bounds)
    reference = models.CharField(
        _("receipt or transfer reference"),
        max_length=100,
        blank=True,
        validators=[single_line_text],
    )
    reverses = models.OneToOneField(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="reversed_by",
        verbose_name=_("reverses"),
    )
    note = models.CharField(_("note"), max_length=200, blank=True, validators=[single_line_text])
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        verbose_name=_("recorded by"),
    )

    objects = PaymentManager()
    scope_rule = ScopeRule(
        roles={"view": TENANCY_VIEWERS, "change": PARK_KEEPERS},
        community="contract__park__community",
        agency="contract__agency",
    )

    class Meta:
        ordering = ["contract", "entry_no"]
        verbose_name = _("rent payment")
        verbose_name_plural = _("rent payments")
        constraints = [
            models.UniqueConstraint(
                fields=["contract", "entry_no"], name="park_payment_entry_unique"
            )
        ]

    def __str__(self):
        return f"{self.contract} #{self.entry_no}"

    @property
    def is_reversed(self) -> bool:
        return hasattr(self, "reversed_by")

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise ValidationError(_("Payments are never changed; record a reversal instead."))
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValidationError(_("Payments are never deleted; record a reversal instead."))
