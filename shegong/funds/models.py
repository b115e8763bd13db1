"""Community charity funds (社区慈善基金): one fund per community and its ledger.

The ledger is append-only. An entry is never edited or deleted; a mistake is undone by a
reversal, a new entry that references the original and carries the opposite amounts. The
fund row keeps the running balance and the last receipt number, both changed only by the
services while they hold the fund row's lock (``select_for_update``), so the balance always
equals the sum of the entries and receipt numbers run without gaps.
"""

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from shegong.core.models import BaseModel
from shegong.core.scope import ScopedManager, ScopedQuerySet, ScopeRule
from shegong.core.validators import (
    multi_line_text,
    past_record_date_bounds,
    single_line_text,
    visible_text,
)
from shegong.funds.choices import DonationForm, DonorType, EntryKind

# The district and the street oversee the funds of their communities; the community keeps its
# own book: only its staff record donations, disbursements and reversals.
FUND_VIEWERS = frozenset({"district_admin", "street_admin", "community_staff"})
FUND_KEEPERS = frozenset({"community_staff"})
# Who may open a fund for a community under their place node.
FUND_OPENERS = FUND_VIEWERS

MONEY = {"max_digits": 12, "decimal_places": 2}
ZERO = Decimal("0.00")


class Fund(BaseModel):
    community = models.OneToOneField(
        "places.Community",
        on_delete=models.PROTECT,
        related_name="charity_fund",
        verbose_name=_("community"),
    )
    name = models.CharField(_("name"), max_length=100, validators=[single_line_text, visible_text])
    description = models.TextField(
        _("description"),
        blank=True,
        max_length=2000,
        validators=[multi_line_text, MaxLengthValidator(2000)],
    )
    # Kept by the services under the fund row's lock; the sum of the entries' money.
    balance = models.DecimalField(_("balance"), default=ZERO, editable=False, **MONEY)
    last_receipt_no = models.PositiveIntegerField(
        _("last receipt number"), default=0, editable=False
    )
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        verbose_name=_("opened by"),
    )

    objects = ScopedManager()
    scope_rule = ScopeRule(
        roles={"view": FUND_VIEWERS, "change": FUND_KEEPERS}, community="community"
    )

    class Meta:
        ordering = ["community__code"]
        verbose_name = _("charity fund")
        verbose_name_plural = _("charity funds")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(balance__gte=0), name="funds_fund_balance_not_negative"
            )
        ]

    def __str__(self):
        return self.name


class EntryQuerySet(ScopedQuerySet):
    """Ledger rows are never changed or deleted in bulk either."""

    def update(self, **kwargs):
        raise ValidationError(_("Ledger entries are never changed; record a reversal instead."))

    def delete(self):
        raise ValidationError(_("Ledger entries are never deleted; record a reversal instead."))


EntryManager = models.Manager.from_queryset(EntryQuerySet)


class Entry(BaseModel):
    fund = models.ForeignKey(
        Fund, on_delete=models.PROTECT, related_name="entries", verbose_name=_("fund")
    )
    receipt_no = models.PositiveIntegerField(_("receipt number"))
    kind = models.CharField(_("kind"), max_length=16, choices=EntryKind.choices)
    occurred_on = models.DateField(_("date"), validators=past_record_date_bounds)
    # Money: signed effect on the balance (in: +, out: −); 0 for goods in kind.
    money = models.DecimalField(_("amount (yuan)"), default=ZERO, **MONEY)
    # Goods in kind: their estimated value, signed like ``money``, never part of the balance.
    in_kind_value = models.DecimalField(_("estimated value (yuan)"), default=ZERO, **MONEY)
    # Donations
    donor_name = models.CharField(
        _("donor"), max_length=100, blank=True, validators=[single_line_text]
    )
    donor_type = models.CharField(
        _("donor type"), max_length=16, choices=DonorType.choices, blank=True
    )
    donor_person = models.ForeignKey(
        "people.Person",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("donor's person record"),
    )
    form = models.CharField(_("form"), max_length=16, choices=DonationForm.choices, blank=True)
    goods_description = models.CharField(
        _("goods"), max_length=200, blank=True, validators=[single_line_text]
    )
    goods_quantity = models.CharField(
        _("quantity"), max_length=50, blank=True, validators=[single_line_text]
    )
    # Disbursements
    purpose = models.CharField(
        _("purpose"), max_length=200, blank=True, validators=[single_line_text]
    )
    recipient = models.CharField(
        _("recipient"), max_length=100, blank=True, validators=[single_line_text]
    )
    # What a disbursement paid for: a need or a project of the fund's community (at most one).
    need = models.ForeignKey(
        "resources.Need",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="fund_disbursements",
        verbose_name=_("need"),
    )
    project = models.ForeignKey(
        "resources.Project",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="fund_disbursements",
        verbose_name=_("project"),
    )
    # Reversals: the entry undone; one reversal per entry (the unique column says so too).
    reverses = models.OneToOneField(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="reversed_by",
        verbose_name=_("reverses"),
    )
    note = models.TextField(
        _("note"),
        blank=True,
        max_length=2000,
        validators=[multi_line_text, MaxLengthValidator(2000)],
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        verbose_name=_("recorded by"),
    )

    objects = EntryManager()
    scope_rule = ScopeRule(
        roles={"view": FUND_VIEWERS, "change": FUND_KEEPERS}, community="fund__community"
    )

    class Meta:
        ordering = ["fund", "receipt_no"]
        verbose_name = _("ledger entry")
        verbose_name_plural = _("ledger entries")
        constraints = [
            models.UniqueConstraint(
                fields=["fund", "receipt_no"], name="funds_entry_receipt_unique"
            ),
            models.CheckConstraint(
                condition=models.Q(need__isnull=True) | models.Q(project__isnull=True),
                name="funds_entry_need_or_project",
            ),
        ]

    def __str__(self):
        return f"{self.fund} #{self.receipt_no:06d}"

    @property
    def receipt(self) -> str:
        return f"{self.receipt_no:06d}"

    @property
    def is_reversed(self) -> bool:
        return hasattr(self, "reversed_by")

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise ValidationError(_("Ledger entries are never changed; record a reversal instead."))
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValidationError(_("Ledger entries are never deleted; record a reversal instead."))
