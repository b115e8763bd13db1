"""Person: the one real-name identity shared by clients, workers, volunteers and trainees."""

import datetime

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from shegong.core.fields import BlindIndexField, EncryptedCharField
from shegong.core.masks import mask_id_number, mask_mobile
from shegong.core.models import BaseModel
from shegong.core.scope import ScopedManager, ScopeRule
from shegong.core.validators import (
    birth_date_bounds,
    past_record_date_bounds,
    single_line_text,
    visible_text,
)
from shegong.people.choices import ConsentKind, ConsentScope, Gender, IdType

PLACE_ROLES = frozenset({"district_admin", "street_admin", "community_staff"})
AGENCY_ROLES = frozenset({"agency_admin", "supervisor", "social_worker"})
PEOPLE_ROLES = PLACE_ROLES | AGENCY_ROLES

MINOR_AGE = 14  # under 14: personal data of a minor is sensitive (PIPL art. 28, 31)


class Person(BaseModel):
    name = models.CharField(_("name"), max_length=50, validators=[single_line_text, visible_text])
    gender = models.CharField(
        _("gender"), max_length=8, choices=Gender.choices, default=Gender.UNKNOWN
    )
    birth_date = models.DateField(
        _("birth date"), null=True, blank=True, validators=birth_date_bounds
    )
    id_type = models.CharField(
        _("ID type"), max_length=16, choices=IdType.choices, default=IdType.RESIDENT_ID
    )
    id_number = EncryptedCharField(_("ID number"), blank=True, validators=[single_line_text])
    id_number_index = BlindIndexField(
        source="id_number", purpose="id_number", unique=True, null=True, blank=True
    )
    mobile = EncryptedCharField(_("mobile"), blank=True, validators=[single_line_text])
    mobile_index = BlindIndexField(
        source="mobile", purpose="mobile", null=True, blank=True, db_index=True
    )
    community = models.ForeignKey(
        "places.Community",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="people",
        verbose_name=_("home community"),
    )
    owner_agency = models.ForeignKey(
        "agencies.Agency",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="registered_people",
        verbose_name=_("registered by agency"),
        help_text=_("The agency that registered this person and keeps the file."),
    )
    search_text = models.TextField(editable=False, blank=True, db_index=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )

    objects = ScopedManager()
    scope_rule = ScopeRule(
        roles={"view": PEOPLE_ROLES, "change": PEOPLE_ROLES},
        community="community",
        agency="owner_agency",
        own="user_account",
        own_roles={"view": frozenset({"volunteer", "social_worker"})},
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("person")
        verbose_name_plural = _("people")
        permissions = [("view_unmasked_person", "Can view unmasked ID numbers and mobiles")]

    def __str__(self):
        return self.name

    @property
    def number(self) -> str:
        return f"P{self.pk:06d}" if self.pk else ""

    @property
    def id_number_masked(self) -> str:
        return mask_id_number(self.id_number)

    @property
    def mobile_masked(self) -> str:
        return mask_mobile(self.mobile)

    def age(self, today: datetime.date | None = None) -> int | None:
        if not self.birth_date:
            return None
        today = today or datetime.date.today()
        before_birthday = (today.month, today.day) < (self.birth_date.month, self.birth_date.day)
        return today.year - self.birth_date.year - before_birthday

    @property
    def is_minor(self) -> bool:
        age = self.age()
        return age is not None and age < MINOR_AGE


class Consent(BaseModel):
    """A recorded consent (单独同意), or a guardian's consent for a minor, with date and scope."""

    person = models.ForeignKey(
        Person, on_delete=models.CASCADE, related_name="consents", verbose_name=_("person")
    )
    kind = models.CharField(_("kind"), max_length=16, choices=ConsentKind.choices)
    scope = models.CharField(_("scope"), max_length=32, choices=ConsentScope.choices)
    given_on = models.DateField(_("date given"), validators=past_record_date_bounds)
    given_by = models.CharField(
        _("given by"),
        max_length=50,
        help_text=_("The person themself, or the guardian's name."),
        validators=[single_line_text, visible_text],
    )
    guardian_relation = models.CharField(
        _("guardian's relation"), max_length=20, blank=True, validators=[single_line_text]
    )
    note = models.CharField(_("note"), max_length=200, blank=True, validators=[single_line_text])
    withdrawn_on = models.DateField(
        _("withdrawn on"), null=True, blank=True, validators=past_record_date_bounds
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("recorded by"),
    )

    objects = ScopedManager()
    scope_rule = ScopeRule(
        roles={"view": PEOPLE_ROLES, "change": PEOPLE_ROLES},
        community="person__community",
        agency="person__owner_agency",
    )

    class Meta:
        ordering = ["-given_on", "-id"]
        verbose_name = _("consent")
        verbose_name_plural = _("consents")

    def __str__(self):
        return f"{self.person} {self.get_scope_display()}"

    @property
    def is_active(self) -> bool:
        return self.withdrawn_on is None
