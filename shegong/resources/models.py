"""The three lists of 五社联动 and small wishes.

Needs (需求清单) sit in a community and, once dispatched, belong to the agency they went to as
well; resources (资源清单) sit where they are and belong to the agency that owns them (none: the
community owns it); projects (项目清单) sit in a community with an optional lead agency; small
wishes (微心愿) sit in a community. ``scope_rule`` says who reaches which row (DESIGN §4.2).
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator, MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from shegong.core.fields import EncryptedCharField
from shegong.core.masks import mask_mobile
from shegong.core.models import BaseModel
from shegong.core.scope import ScopedManager, ScopeRule
from shegong.core.validators import (
    long_text_length,
    multi_line_text,
    planned_date_bounds,
    single_line_text,
    visible_text,
)
from shegong.resources.choices import (
    Category,
    NeedEventKind,
    NeedSource,
    NeedStatus,
    ProjectStatus,
    ResourceKind,
    Urgency,
    WishStatus,
)

# Place staff manage the lists of their node; agency staff see what is dispatched to their agency
# and the resources it owns.
PLACE_STAFF = frozenset({"district_admin", "street_admin", "community_staff"})
AGENCY_STAFF = frozenset({"agency_admin", "supervisor", "social_worker"})
# Accepting or declining a dispatched need commits the agency: its director or a supervisor.
AGENCY_LEADS = frozenset({"agency_admin", "supervisor"})
MAX_PEOPLE = 100_000
MAX_CAPACITY = 10**9


def validate_categories(value) -> None:
    """``,elderly,minors,``: known codes, each once, between commas (so a lookup for
    ``,code,`` finds exactly that category on every database)."""
    if not value:
        return
    codes = value.strip(",").split(",")
    if (
        not value.startswith(",")
        or not value.endswith(",")
        or any(code not in Category.values for code in codes)
        or len(set(codes)) != len(codes)
    ):
        raise ValidationError(_("Choose categories from the list."), code="categories")


def join_categories(codes) -> str:
    codes = [code for code in Category.values if code in set(codes or ())]
    return f",{','.join(codes)}," if codes else ""


class CategoriesMixin:
    @property
    def category_list(self) -> list[str]:
        return [code for code in self.categories.strip(",").split(",") if code]

    @property
    def category_labels(self) -> str:
        labels = dict(Category.choices)
        return "、".join(str(labels.get(code, code)) for code in self.category_list)


class Need(BaseModel):
    title = models.CharField(
        _("title"), max_length=100, validators=[single_line_text, visible_text]
    )
    description = models.TextField(
        _("description"), blank=True, validators=[multi_line_text, long_text_length]
    )
    category = models.CharField(_("category"), max_length=20, choices=Category.choices)
    urgency = models.CharField(
        _("urgency"), max_length=10, choices=Urgency.choices, default=Urgency.NORMAL
    )
    people_affected = models.PositiveIntegerField(
        _("people affected"),
        default=1,
        validators=[MinValueValidator(1), MaxValueValidator(MAX_PEOPLE)],
    )
    wanted_by = models.DateField(
        _("wanted by"), null=True, blank=True, validators=planned_date_bounds
    )
    community = models.ForeignKey(
        "places.Community",
        on_delete=models.PROTECT,
        related_name="needs",
        verbose_name=_("community"),
    )
    source = models.CharField(
        _("raised by"), max_length=10, choices=NeedSource.choices, default=NeedSource.STAFF
    )
    # The resident who raised it or for whom it was raised: a Person, chosen through the
    # people app's scoped selectors, so their ID number and mobile stay encrypted there.
    person = models.ForeignKey(
        "people.Person",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="needs",
        verbose_name=_("resident"),
    )
    raised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="needs_raised",
        verbose_name=_("recorded by"),
    )
    status = models.CharField(
        _("status"),
        max_length=12,
        choices=NeedStatus.choices,
        default=NeedStatus.RAISED,
        db_index=True,
    )
    # The party it is dispatched to: an agency, or a resource (whose owner agency, if any, is
    # then the agency). Empty again when the party declines.
    agency = models.ForeignKey(
        "agencies.Agency",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="needs",
        verbose_name=_("dispatched to agency"),
    )
    resource = models.ForeignKey(
        "resources.Resource",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="needs",
        verbose_name=_("dispatched to resource"),
    )
    dispatched_at = models.DateTimeField(_("dispatched at"), null=True, blank=True)
    claimed_at = models.DateTimeField(_("claimed at"), null=True, blank=True)
    delivered_on = models.DateField(_("delivered on"), null=True, blank=True)
    delivery_summary = models.TextField(
        _("delivery summary"), blank=True, validators=[multi_line_text, long_text_length]
    )
    # The activity through which the need was met, when there was one.
    delivered_activity = models.ForeignKey(
        "activities.Activity",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="delivered_needs",
        verbose_name=_("delivered through activity"),
    )
    rating = models.PositiveSmallIntegerField(
        _("rating"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(5)],
    )
    rating_comment = models.TextField(
        _("rating comment"), blank=True, validators=[multi_line_text, long_text_length]
    )

    objects = ScopedManager()
    scope_rule = ScopeRule(
        roles={"view": PLACE_STAFF | AGENCY_STAFF, "change": PLACE_STAFF | AGENCY_STAFF},
        community="community",
        agency="agency",
    )

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("need")
        verbose_name_plural = _("needs")
        indexes = [models.Index(fields=["community", "status"])]

    def __str__(self):
        return f"{self.number} {self.title}"

    @property
    def number(self) -> str:
        return f"XQ{self.pk:06d}" if self.pk else ""


class NeedEvent(BaseModel):
    """One step of a need's flow, as it happened: who, when, what they said."""

    need = models.ForeignKey(
        Need, on_delete=models.CASCADE, related_name="events", verbose_name=_("need")
    )
    kind = models.CharField(_("event"), max_length=12, choices=NeedEventKind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("by"),
    )
    note = models.TextField(_("note"), blank=True, validators=[multi_line_text, long_text_length])

    objects = ScopedManager()
    scope_rule = ScopeRule(
        roles={"view": PLACE_STAFF | AGENCY_STAFF, "change": frozenset()},
        community="need__community",
        agency="need__agency",
    )

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("need event")
        verbose_name_plural = _("need events")


class Resource(CategoriesMixin, BaseModel):
    name = models.CharField(_("name"), max_length=100, validators=[single_line_text, visible_text])
    kind = models.CharField(_("kind"), max_length=20, choices=ResourceKind.choices)
    description = models.TextField(
        _("description"), blank=True, validators=[multi_line_text, long_text_length]
    )
    # Owned by an agency, or (empty) by the community it sits in.
    owner_agency = models.ForeignKey(
        "agencies.Agency",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="resources",
        verbose_name=_("owner agency"),
    )
    community = models.ForeignKey(
        "places.Community",
        on_delete=models.PROTECT,
        related_name="resources",
        verbose_name=_("located in"),
    )
    categories = models.CharField(
        _("categories served"),
        max_length=200,
        blank=True,
        validators=[single_line_text, validate_categories],
    )
    capacity = models.PositiveIntegerField(
        _("capacity"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(MAX_CAPACITY)],
    )
    capacity_unit = models.CharField(
        _("capacity unit"), max_length=20, blank=True, validators=[single_line_text]
    )
    available_from = models.DateField(
        _("available from"), null=True, blank=True, validators=planned_date_bounds
    )
    available_to = models.DateField(
        _("available to"), null=True, blank=True, validators=planned_date_bounds
    )
    schedule = models.CharField(
        _("schedule"), max_length=200, blank=True, validators=[single_line_text]
    )
    # Where it serves: named communities and streets, or the whole district.
    district_wide = models.BooleanField(_("serves the whole district"), default=False)
    service_communities = models.ManyToManyField(
        "places.Community",
        blank=True,
        related_name="served_by_resources",
        verbose_name=_("communities served"),
    )
    service_streets = models.ManyToManyField(
        "places.Street",
        blank=True,
        related_name="served_by_resources",
        verbose_name=_("streets served"),
    )
    is_active = models.BooleanField(_("active"), default=True)

    objects = ScopedManager()
    scope_rule = ScopeRule(
        roles={"view": PLACE_STAFF | AGENCY_STAFF, "change": PLACE_STAFF | {"agency_admin"}},
        community="community",
        agency="owner_agency",
    )

    class Meta:
        ordering = ["name", "pk"]
        verbose_name = _("resource")
        verbose_name_plural = _("resources")

    def __str__(self):
        return self.name

    @property
    def owner_name(self) -> str:
        return self.owner_agency.name if self.owner_agency_id else self.community.name


class Project(CategoriesMixin, BaseModel):
    title = models.CharField(
        _("title"), max_length=100, validators=[single_line_text, visible_text]
    )
    description = models.TextField(
        _("description"), blank=True, validators=[multi_line_text, long_text_length]
    )
    community = models.ForeignKey(
        "places.Community",
        on_delete=models.PROTECT,
        related_name="community_projects",
        verbose_name=_("community"),
    )
    categories = models.CharField(
        _("categories"),
        max_length=200,
        blank=True,
        validators=[single_line_text, validate_categories],
    )
    starts_on = models.DateField(_("starts on"), validators=planned_date_bounds)
    ends_on = models.DateField(_("ends on"), null=True, blank=True, validators=planned_date_bounds)
    status = models.CharField(
        _("status"), max_length=10, choices=ProjectStatus.choices, default=ProjectStatus.PLANNED
    )
    lead_agency = models.ForeignKey(
        "agencies.Agency",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="community_projects",
        verbose_name=_("lead agency"),
    )
    needs = models.ManyToManyField(
        Need, blank=True, related_name="projects", verbose_name=_("needs")
    )

    objects = ScopedManager()
    scope_rule = ScopeRule(
        roles={"view": PLACE_STAFF | AGENCY_STAFF, "change": PLACE_STAFF},
        community="community",
        agency="lead_agency",
    )

    class Meta:
        ordering = ["-starts_on", "-pk"]
        verbose_name = _("community project")
        verbose_name_plural = _("community projects")

    def __str__(self):
        return self.title


class Wish(BaseModel):
    """A small wish (微心愿) a community posts for a resident; anyone may claim it once."""

    community = models.ForeignKey(
        "places.Community",
        on_delete=models.PROTECT,
        related_name="wishes",
        verbose_name=_("community"),
    )
    title = models.CharField(_("wish"), max_length=100, validators=[single_line_text, visible_text])
    description = models.TextField(
        _("description"), blank=True, validators=[multi_line_text, long_text_length]
    )
    person = models.ForeignKey(
        "people.Person",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="wishes",
        verbose_name=_("resident"),
    )
    # Shown publicly after the masked surname: "老人", "留守儿童".
    recipient_description = models.CharField(
        _("who it is for (public)"), max_length=30, validators=[single_line_text, visible_text]
    )
    wanted_by = models.DateField(
        _("wanted by"), null=True, blank=True, validators=planned_date_bounds
    )
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=WishStatus.choices,
        default=WishStatus.OPEN,
        db_index=True,
    )
    posted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="wishes_posted",
        verbose_name=_("posted by"),
    )
    claimant_name = models.CharField(
        _("claimant"), max_length=50, blank=True, validators=[single_line_text, visible_text]
    )
    claimant_mobile = EncryptedCharField(
        _("claimant mobile"), blank=True, validators=[single_line_text, MaxLengthValidator(20)]
    )
    claimant_company = models.CharField(
        _("company"), max_length=100, blank=True, validators=[single_line_text]
    )
    claimed_at = models.DateTimeField(_("claimed at"), null=True, blank=True)
    fulfilled_on = models.DateField(_("fulfilled on"), null=True, blank=True)

    objects = ScopedManager()
    scope_rule = ScopeRule(
        roles={"view": PLACE_STAFF, "change": PLACE_STAFF}, community="community"
    )

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("small wish")
        verbose_name_plural = _("small wishes")

    def __str__(self):
        return self.title

    @property
    def claimant_mobile_masked(self) -> str:
        return mask_mobile(self.claimant_mobile)

    @property
    def public_recipient(self) -> str:
        """ "王** 老人": the surname only, then who they are."""
        if self.person_id and self.person.name:
            return f"{self.person.name[0]}** {self.recipient_description}"
        return self.recipient_description
