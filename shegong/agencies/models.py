"""Social-work agencies (社工机构) and other social organisations."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from shegong.agencies.choices import AgencyKind
from shegong.core.fields import EncryptedCharField
from shegong.core.masks import mask_mobile
from shegong.core.models import BaseModel
from shegong.core.scope import ScopedManager, ScopeRule
from shegong.core.validators import past_record_date_bounds, single_line_text, visible_text

AGENCY_VIEWERS = frozenset(
    {
        "district_admin",
        "street_admin",
        "community_staff",
        "agency_admin",
        "supervisor",
        "social_worker",
        "training_admin",
        "evaluator",
    }
)
# Creating an agency is a place-level decision; an agency director edits their own record.
AGENCY_CREATORS = frozenset({"district_admin", "street_admin"})
AGENCY_EDITORS = AGENCY_CREATORS | {"agency_admin"}


class Agency(BaseModel):
    name = models.CharField(_("name"), max_length=100, validators=[single_line_text, visible_text])
    kind = models.CharField(
        _("kind"), max_length=16, choices=AgencyKind.choices, default=AgencyKind.SOCIAL_WORK
    )
    uscc = models.CharField(
        _("unified social credit code"), max_length=18, unique=True, validators=[single_line_text]
    )
    community = models.ForeignKey(
        "places.Community",
        on_delete=models.PROTECT,
        related_name="agencies",
        verbose_name=_("community"),
    )
    address = models.CharField(
        _("address"), max_length=200, blank=True, validators=[single_line_text]
    )
    legal_representative = models.CharField(
        _("legal representative"),
        max_length=50,
        blank=True,
        validators=[single_line_text, visible_text],
    )
    contact_name = models.CharField(
        _("contact person"), max_length=50, blank=True, validators=[single_line_text, visible_text]
    )
    contact_phone = EncryptedCharField(
        _("contact phone"), blank=True, validators=[single_line_text]
    )
    email = models.EmailField(_("email"), blank=True)
    registered_on = models.DateField(
        _("registered on"), null=True, blank=True, validators=past_record_date_bounds
    )
    is_active = models.BooleanField(_("active"), default=True)

    objects = ScopedManager()
    scope_rule = ScopeRule(
        roles={"view": AGENCY_VIEWERS, "change": AGENCY_EDITORS},
        community="community",
        agency="self",
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("agency")
        verbose_name_plural = _("agencies")

    def __str__(self):
        return self.name

    @property
    def contact_phone_masked(self) -> str:
        return mask_mobile(self.contact_phone)
