"""Pairing agreements (结对共建): a community, often an urban village (城中村), paired with an
agency for a period, with goals, commitments of either side and an annual review."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from shegong.core.models import BaseModel
from shegong.core.scope import ScopedManager, ScopeRule
from shegong.core.validators import (
    long_text_length,
    multi_line_text,
    planned_date_bounds,
    single_line_text,
    visible_text,
)
from shegong.pairing.choices import AgreementStatus, Side

# The district and the street create agreements and review them; the community's staff and
# the agency's staff read their own agreements and tick off their side's commitments.
PAIRING_ADMINS = frozenset({"district_admin", "street_admin"})
COMMUNITY_SIDE = frozenset({"community_staff"})
AGENCY_SIDE = frozenset({"agency_admin", "supervisor", "social_worker"})
PAIRING_VIEWERS = PAIRING_ADMINS | COMMUNITY_SIDE | AGENCY_SIDE
COMMITMENT_KEEPERS = PAIRING_VIEWERS


class PairingAgreement(BaseModel):
    title = models.CharField(
        _("title"), max_length=200, validators=[single_line_text, visible_text]
    )
    community = models.ForeignKey(
        "places.Community",
        on_delete=models.PROTECT,
        related_name="pairing_agreements",
        verbose_name=_("community"),
    )
    agency = models.ForeignKey(
        "agencies.Agency",
        on_delete=models.PROTECT,
        related_name="pairing_agreements",
        verbose_name=_("agency"),
    )
    starts_on = models.DateField(_("starts on"), validators=planned_date_bounds)
    ends_on = models.DateField(_("ends on"), validators=planned_date_bounds)
    goals = models.TextField(_("goals"), blank=True, validators=[multi_line_text, long_text_length])
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=AgreementStatus.choices,
        default=AgreementStatus.DRAFT,
    )
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
        roles={"view": PAIRING_VIEWERS, "change": PAIRING_ADMINS},
        community="community",
        agency="agency",
    )

    class Meta:
        ordering = ["-starts_on", "pk"]
        verbose_name = _("pairing agreement")
        verbose_name_plural = _("pairing agreements")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__gte=models.F("starts_on")),
                name="pairing_agreement_period_ordered",
            )
        ]

    def __str__(self):
        return self.title


class Commitment(BaseModel):
    agreement = models.ForeignKey(
        PairingAgreement,
        on_delete=models.PROTECT,
        related_name="commitments",
        verbose_name=_("agreement"),
    )
    text = models.CharField(
        _("commitment"), max_length=300, validators=[single_line_text, visible_text]
    )
    side = models.CharField(_("owner side"), max_length=16, choices=Side.choices)
    due_on = models.DateField(_("due on"), validators=planned_date_bounds)
    done = models.BooleanField(_("done"), default=False)
    done_on = models.DateField(_("done on"), null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        verbose_name=_("done by"),
    )

    objects = ScopedManager()
    scope_rule = ScopeRule(
        roles={"view": PAIRING_VIEWERS, "change": COMMITMENT_KEEPERS},
        community="agreement__community",
        agency="agreement__agency",
    )

    class Meta:
        ordering = ["due_on", "pk"]
        verbose_name = _("commitment")
        verbose_name_plural = _("commitments")

    def __str__(self):
        return self.text


class AnnualReview(BaseModel):
    agreement = models.ForeignKey(
        PairingAgreement,
        on_delete=models.PROTECT,
        related_name="reviews",
        verbose_name=_("agreement"),
    )
    year = models.PositiveSmallIntegerField(
        _("year"), validators=[MinValueValidator(1990), MaxValueValidator(2099)]
    )
    score = models.PositiveSmallIntegerField(
        _("score"), validators=[MinValueValidator(0), MaxValueValidator(100)]
    )
    comments = models.TextField(
        _("comments"), blank=True, validators=[multi_line_text, long_text_length]
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        verbose_name=_("reviewed by"),
    )

    objects = ScopedManager()
    scope_rule = ScopeRule(
        roles={"view": PAIRING_VIEWERS, "change": PAIRING_ADMINS},
        community="agreement__community",
        agency="agreement__agency",
    )

    class Meta:
        ordering = ["agreement", "year"]
        verbose_name = _("annual review")
        verbose_name_plural = _("annual reviews")
        constraints = [
            models.UniqueConstraint(
                fields=["agreement", "year"], name="pairing_review_one_per_year"
            )
        ]

    def __str__(self):
        return f"{self.agreement} {self.year}"
