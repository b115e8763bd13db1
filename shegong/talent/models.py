"""Talent profiles (qualifications, titles, employment, continuing education) and subsidy
policies (criteria as data, review chains, applications, reviews, 公示 objections, payments).

Where a profile sits: ``community`` is its agency's community for a worker, the person's home
community for a resident; the services keep it, so the street above sees both. Applications copy
the profile's agency and community at creation for the same reason.
"""

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator, MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from shegong.core.models import BaseModel
from shegong.core.scope import ScopedManager, ScopeRule
from shegong.core.validators import (
    multi_line_text,
    past_record_date_bounds,
    planned_date_bounds,
    single_line_text,
    visible_text,
)
from shegong.talent.choices import (
    ACTIVE_STATUSES,
    AmountBasis,
    ApplicantKind,
    ApplicationStatus,
    CpdReview,
    Decision,
    ObjectionStatus,
    PaymentMode,
    PolicyKind,
    QualificationLevel,
    ReviewRole,
    Title,
    TitleTier,
)

MONEY = {"max_digits": 12, "decimal_places": 2}
ZERO = Decimal("0.00")

# Who reads talent profiles: the place tree above the profile's community, the agency's leads;
# the district and the agency's director keep them; a worker reads their own.
PROFILE_VIEWERS = frozenset({"district_admin", "street_admin", "agency_admin", "supervisor"})
PROFILE_KEEPERS = frozenset({"district_admin", "agency_admin"})
# Who sees applications: the reviewers of the chain (agency, street, district); the applicant
# reads their own through ``own``.
APPLICATION_VIEWERS = frozenset({"district_admin", "street_admin", "agency_admin"})
POLICY_KEEPERS = frozenset({"district_admin"})


def _text(name, max_length, *, blank=True):
    return models.CharField(name, max_length=max_length, blank=blank, validators=[single_line_text])


def _long_text(name):
    return models.TextField(
        name, blank=True, max_length=2000, validators=[multi_line_text, MaxLengthValidator(2000)]
    )


class TalentProfile(BaseModel):
    person = models.OneToOneField(
        "people.Person",
        on_delete=models.PROTECT,
        related_name="talent_profile",
        verbose_name=_("person"),
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="talent_profile",
        verbose_name=_("login"),
    )
    agency = models.ForeignKey(
        "agencies.Agency",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="talent_profiles",
        verbose_name=_("current agency"),
    )
    community = models.ForeignKey(
        "places.Community",
        on_delete=models.PROTECT,
        related_name="talent_profiles",
        verbose_name=_("community"),
    )
    # The start of the current 3-year continuing-education registration period.
    registration_start = models.DateField(
        _("registration period starts"), null=True, blank=True, validators=past_record_date_bounds
    )
    # A resident's business (Taiwan compatriots' start-ups): where it is registered.
    business_name = models.CharField(
        _("business name"), max_length=100, blank=True, validators=[single_line_text]
    )
    business_community = models.ForeignKey(
        "places.Community",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("business registered in"),
    )

    objects = ScopedManager()
    scope_rule = ScopeRule(
        roles={"view": PROFILE_VIEWERS, "change": PROFILE_KEEPERS},
        community="community",
        agency="agency",
        own="user",
        own_roles={"view": frozenset({"social_worker"})},
    )

    class Meta:
        ordering = ["person__name", "id"]
        verbose_name = _("talent profile")
        verbose_name_plural = _("talent profiles")

    def __str__(self):
        return self.person.name


class _ProfileRow(BaseModel):
    objects = ScopedManager()
    scope_rule = ScopeRule(
        roles={"view": PROFILE_VIEWERS, "change": PROFILE_KEEPERS},
        community="profile__community",
        agency="profile__agency",
        own="profile__user",
        own_roles={"view": frozenset({"social_worker"})},
    )

    class Meta:
        abstract = True


class Qualification(_ProfileRow):
    profile = models.ForeignKey(
        TalentProfile,
        on_delete=models.CASCADE,
        related_name="qualifications",
        verbose_name=_("talent profile"),
    )
    level = models.CharField(_("level"), max_length=16, choices=QualificationLevel.choices)
    certificate_no = models.CharField(
        _("certificate number"), max_length=40, validators=[single_line_text, visible_text]
    )
    obtained_on = models.DateField(_("obtained on"), validators=past_record_date_bounds)
    # Exam subjects passed, by year ("2023 综合能力; 2024 实务").
    subjects = _text(_("exam subjects passed"), 200)

    class Meta:
        ordering = ["profile", "obtained_on"]
        verbose_name = _("qualification")
        verbose_name_plural = _("professional qualifications")
        constraints = [
            models.UniqueConstraint(
                fields=["level", "certificate_no"], name="talent_qualification_certificate_unique"
            )
        ]

    def __str__(self):
        return f"{self.get_level_display()} {self.certificate_no}"


class TitleGrant(_ProfileRow):
    profile = models.ForeignKey(
        TalentProfile,
        on_delete=models.CASCADE,
        related_name="titles",
        verbose_name=_("talent profile"),
    )
    title = models.CharField(_("title"), max_length=16, choices=Title.choices)
    tier = models.CharField(_("tier"), max_length=16, choices=TitleTier.choices)
    year = models.PositiveSmallIntegerField(
        _("year"), validators=[MinValueValidator(1990), MaxValueValidator(2099)]
    )
    years = models.PositiveSmallIntegerField(
        _("valid for (years)"), default=3, validators=[MinValueValidator(1), MaxValueValidator(50)]
    )
    # The selection round's application that granted it, when granted here.
    application = models.OneToOneField(
        "talent.Application",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="granted_title",
        verbose_name=_("application"),
    )

    class Meta:
        ordering = ["profile", "-year"]
        verbose_name = _("title")
        verbose_name_plural = _("titles")

    def __str__(self):
        return f"{self.year} {self.get_tier_display()} {self.get_title_display()}"

    @property
    def until_year(self) -> int:
        return self.year + self.years - 1


class Employment(_ProfileRow):
    profile = models.ForeignKey(
        TalentProfile,
        on_delete=models.CASCADE,
        related_name="employments",
        verbose_name=_("talent profile"),
    )
    agency = models.ForeignKey(
        "agencies.Agency", on_delete=models.PROTECT, related_name="+", verbose_name=_("agency")
    )
    started_on = models.DateField(_("started on"), validators=past_record_date_bounds)
    ended_on = models.DateField(
        _("ended on"), null=True, blank=True, validators=past_record_date_bounds
    )
    position = _text(_("job title"), 50)

    class Meta:
        ordering = ["profile", "-started_on"]
        verbose_name = _("employment")
        verbose_name_plural = _("employment history")
        constraints = [
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=models.F("started_on")),
                name="talent_employment_ends_after_start",
            )
        ]

    def __str__(self):
        return f"{self.agency} {self.started_on}"


def evidence_path(entry, filename: str) -> str:
    return f"talent/cpd/{entry.profile_id}/{filename}"


class CpdEntry(_ProfileRow):
    """Hours of continuing education recorded by hand, with the evidence (a certificate)."""

    profile = models.ForeignKey(
        TalentProfile,
        on_delete=models.CASCADE,
        related_name="cpd_entries",
        verbose_name=_("talent profile"),
    )
    date = models.DateField(_("date"), validators=past_record_date_bounds)
    hours = models.DecimalField(
        _("hours"),
        max_digits=5,
        decimal_places=1,
        validators=[MinValueValidator(Decimal("0.5")), MaxValueValidator(Decimal("200"))],
    )
    label = models.CharField(_("what for"), max_length=200, validators=[single_line_text])
    evidence = models.FileField(_("evidence"), upload_to=evidence_path, max_length=200)
    # A keeper of the profile (its agency's director, the district) reads the evidence and
    # accepts the hours or says why not; only accepted hours count toward the 72/90 h.
    review = models.CharField(
        pgettext_lazy("cpd", "review"),
        max_length=16,
        choices=CpdReview.choices,
        default=CpdReview.PENDING,
    )
    review_reason = _long_text(_("reason"))
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=pgettext_lazy("cpd", "reviewed by"),
    )
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)

    class Meta:
        ordering = ["profile", "-date"]
        verbose_name = _("continuing-education entry")
        verbose_name_plural = _("continuing-education entries")

    def __str__(self):
        return f"{self.date} {self.label}"


class Policy(BaseModel):
    district = models.ForeignKey(
        "places.District", on_delete=models.PROTECT, related_name="+", verbose_name=_("district")
    )
    name = models.CharField(_("name"), max_length=100, validators=[single_line_text, visible_text])
    year = models.PositiveSmallIntegerField(
        _("year"), validators=[MinValueValidator(1990), MaxValueValidator(2099)]
    )
    kind = models.CharField(
        _("kind"), max_length=16, choices=PolicyKind.choices, default=PolicyKind.SUBSIDY
    )
    applicant_kind = models.CharField(
        _("who applies"), max_length=16, choices=ApplicantKind.choices, default="worker"
    )
    description = _long_text(_("description"))
    budget = models.DecimalField(_("budget (yuan)"), **MONEY, validators=[MinValueValidator(0)])
    # Kept by the services under the policy row's lock: approved amounts (公示 and after), and
    # what of them has been paid out.
    committed = models.DecimalField(_("committed (yuan)"), default=ZERO, editable=False, **MONEY)
    disbursed = models.DecimalField(_("disbursed (yuan)"), default=ZERO, editable=False, **MONEY)
    opens_on = models.DateField(_("applications open"), validators=planned_date_bounds)
    closes_on = models.DateField(_("applications close"), validators=planned_date_bounds)
    amount_basis = models.CharField(
        _("amount by"), max_length=16, choices=AmountBasis.choices, default=AmountBasis.FLAT
    )
    # {"assistant": "5000", ...} by level, {"leading": ...} by title, {"flat": ...}: validated by
    # the services (criteria.clean_amounts).
    amounts = models.JSONField(_("amount table"), default=dict, blank=True)
    payment_mode = models.CharField(
        _("payment"), max_length=16, choices=PaymentMode.choices, default=PaymentMode.ONE_OFF
    )
    months = models.PositiveSmallIntegerField(
        _("months"), default=1, validators=[MinValueValidator(1), MaxValueValidator(120)]
    )
    annual_cap = models.DecimalField(
        _("annual cap per person (yuan)"), null=True, blank=True, **MONEY
    )
    lifetime_cap = models.DecimalField(
        _("lifetime cap per person (yuan)"), null=True, blank=True, **MONEY
    )
    notice_days = models.PositiveSmallIntegerField(
        _("public notice (working days)"),
        default=5,
        validators=[MinValueValidator(1), MaxValueValidator(30)],
    )
    requires_attachment = models.BooleanField(_("attachment required"), default=True)
    # Selection rounds: the title a final approval grants, and for how long.
    grants_title = models.CharField(
        _("grants title"), max_length=16, choices=Title.choices, blank=True
    )
    grants_tier = models.CharField(
        _("title tier"), max_length=16, choices=TitleTier.choices, blank=True
    )
    title_years = models.PositiveSmallIntegerField(
        _("title valid for (years)"),
        default=3,
        validators=[MinValueValidator(1), MaxValueValidator(50)],
    )

    objects = ScopedManager()
    # Policies are public: every signed-in user reads them; the district keeps them.
    scope_rule = ScopeRule(
        roles={"view": POLICY_KEEPERS, "change": POLICY_KEEPERS},
        district="district",
        everyone_views=True,
    )

    class Meta:
        ordering = ["-year", "name"]
        verbose_name = _("policy")
        verbose_name_plural = _("policies")
        constraints = [
            models.CheckConstraint(
                condition=Q(committed__lte=models.F("budget")), name="talent_policy_within_budget"
            ),
            models.CheckConstraint(
                condition=Q(disbursed__lte=models.F("committed")),
                name="talent_policy_paid_within_committed",
            ),
            models.CheckConstraint(
                condition=Q(closes_on__gte=models.F("opens_on")), name="talent_policy_window"
            ),
        ]

    def __str__(self):
        return f"{self.name}（{self.year}）"

    @property
    def remaining(self) -> Decimal:
        return self.budget - self.committed


class _PolicyRow(BaseModel):
    objects = ScopedManager()
    scope_rule = ScopeRule(
        roles={"view": POLICY_KEEPERS, "change": POLICY_KEEPERS},
        district="policy__district",
        everyone_views=True,
    )

    class Meta:
        abstract = True


class Criterion(_PolicyRow):
    """One eligibility rule of a policy: a kind from the library (criteria.py) and its
    parameters, validated per kind. Never an expression."""

    policy = models.ForeignKey(
        Policy, on_delete=models.CASCADE, related_name="criteria", verbose_name=_("policy")
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    kind = models.CharField(_("criterion"), max_length=32, validators=[single_line_text])
    params = models.JSONField(_("parameters"), default=dict, blank=True)

    class Meta:
        ordering = ["policy", "position", "id"]
        verbose_name = _("eligibility criterion")
        verbose_name_plural = _("eligibility criteria")

    def __str__(self):
        return self.kind


class ReviewStep(_PolicyRow):
    policy = models.ForeignKey(
        Policy, on_delete=models.CASCADE, related_name="steps", verbose_name=_("policy")
    )
    position = models.PositiveSmallIntegerField(_("position"))
    role = models.CharField(_("who acts"), max_length=32, choices=ReviewRole.choices)

    class Meta:
        ordering = ["policy", "position"]
        verbose_name = _("review step")
        verbose_name_plural = _("review steps")
        constraints = [
            models.UniqueConstraint(
                fields=["policy", "position"], name="talent_reviewstep_position_unique"
            )
        ]

    def __str__(self):
        return self.get_role_display()


def attachment_path(application, filename: str) -> str:
    return f"talent/applications/{application.policy_id}/{filename}"


class Application(BaseModel):
    policy = models.ForeignKey(
        Policy, on_delete=models.PROTECT, related_name="applications", verbose_name=_("policy")
    )
    # The applicant: a person's profile, or an agency applying for itself (a policy for
    # organisations). ``applicant_kind`` is the policy's, copied at filing, so the database
    # holds each row to exactly one of the two.
    applicant_kind = models.CharField(
        _("who applies"),
        max_length=16,
        choices=ApplicantKind.choices,
        default=ApplicantKind.WORKER,
        editable=False,
    )
    profile = models.ForeignKey(
        TalentProfile,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="applications",
        verbose_name=_("applicant"),
    )
    applicant_agency = models.ForeignKey(
        "agencies.Agency",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="talent_applications",
        verbose_name=_("applying organisation"),
    )
    # A person's: copied from the profile at creation (who reviews it and who reads it). An
    # organisation's: its community; ``agency`` stays empty (no agency confirms its own
    # application: the applying agency reads it through ``applicant_agency``).
    agency = models.ForeignKey(
        "agencies.Agency",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("agency"),
    )
    community = models.ForeignKey(
        "places.Community", on_delete=models.PROTECT, related_name="+", verbose_name=_("community")
    )
    applicant_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("applicant's login"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("filed by"),
    )
    number = models.CharField(_("number"), max_length=20, unique=True, editable=False)
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=ApplicationStatus.choices,
        default=ApplicationStatus.DRAFT,
        db_index=True,
    )
    # The position of the review step waiting (0: none), and the role that acts on it.
    step = models.PositiveSmallIntegerField(_("review step"), default=0)
    awaiting_role = models.CharField(
        _("waiting for"), max_length=32, choices=ReviewRole.choices, blank=True, editable=False
    )
    amount = models.DecimalField(_("amount (yuan)"), default=ZERO, **MONEY)
    statement = _long_text(_("statement"))
    attachment = models.FileField(
        _("attachment"), upload_to=attachment_path, max_length=200, blank=True
    )
    # What the eligibility check said at submission: [{"kind", "passed", "text"}, ...].
    eligibility = models.JSONField(_("eligibility at submission"), default=list, editable=False)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True, editable=False)
    notice_starts = models.DateField(_("public notice from"), null=True, blank=True, editable=False)
    notice_ends = models.DateField(_("public notice until"), null=True, blank=True, editable=False)

    objects = ScopedManager()
    scope_rule = ScopeRule(
        roles={"view": APPLICATION_VIEWERS, "change": APPLICATION_VIEWERS},
        community="community",
        # A person's application belongs to their agency; an organisation's to itself.
        agency=("agency", "applicant_agency"),
        own="applicant_user",
        own_roles={"view": frozenset({"social_worker"}), "change": frozenset({"social_worker"})},
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("application")
        verbose_name_plural = _("applications")
        constraints = [
            # One live application per person and policy: the second is refused even when two
            # are filed at the same moment.
            models.UniqueConstraint(
                fields=["policy", "profile"],
                condition=Q(status__in=ACTIVE_STATUSES),
                name="talent_application_one_active",
            ),
            # The same for an organisation: one live application (and so one payment) per
            # agency and policy.
            models.UniqueConstraint(
                fields=["policy", "applicant_agency"],
                condition=Q(status__in=ACTIVE_STATUSES),
                name="talent_application_one_active_agency",
            ),
            # Exactly one applicant, the one the policy's kind names.
            models.CheckConstraint(
                condition=(
                    Q(
                        applicant_kind=ApplicantKind.ORGANISATION,
                        profile__isnull=True,
                        applicant_agency__isnull=False,
                    )
                    | (
                        ~Q(applicant_kind=ApplicantKind.ORGANISATION)
                        & Q(profile__isnull=False, applicant_agency__isnull=True)
                    )
                ),
                name="talent_application_one_applicant",
            ),
            models.CheckConstraint(condition=Q(amount__gte=0), name="talent_application_amount"),
        ]
        indexes = [models.Index(fields=["policy", "status"], name="talent_app_policy_status")]

    def __str__(self):
        return self.number

    @property
    def is_organisation(self) -> bool:
        return self.applicant_agency_id is not None

    @property
    def applicant_name(self) -> str:
        """The applicant as pages and exports name it: the organisation, or the person (each
        page masks a person's name where it must)."""
        if self.applicant_agency_id is not None:
            return self.applicant_agency.name
        return self.profile.person.name


class Review(BaseModel):
    """One reviewer's decision on one step (append-only: the application's history)."""

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="reviews", verbose_name=_("application")
    )
    step = models.PositiveSmallIntegerField(_("review step"))
    role = models.CharField(_("role"), max_length=32, choices=ReviewRole.choices)
    decision = models.CharField(_("decision"), max_length=16, choices=Decision.choices)
    comment = _long_text(_("comment"))
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("by")
    )

    objects = ScopedManager()
    scope_rule = ScopeRule(
        roles={"view": APPLICATION_VIEWERS, "change": APPLICATION_VIEWERS},
        community="application__community",
        agency=("application__agency", "application__applicant_agency"),
        own="application__applicant_user",
        own_roles={"view": frozenset({"social_worker"})},
    )

    class Meta:
        ordering = ["application", "created_at", "id"]
        verbose_name = _("review")
        verbose_name_plural = _("reviews")

    def __str__(self):
        return f"{self.application} {self.step} {self.decision}"


class Objection(BaseModel):
    """An objection raised during 公示 and how it was resolved."""

    application = models.ForeignKey(
        Application,
        on_delete=models.CASCADE,
        related_name="objections",
        verbose_name=_("application"),
    )
    raised_by = models.CharField(
        _("raised by"), max_length=50, validators=[single_line_text, visible_text]
    )
    content = models.TextField(
        _("objection"), max_length=2000, validators=[multi_line_text, MaxLengthValidator(2000)]
    )
    status = models.CharField(
        _("status"), max_length=16, choices=ObjectionStatus.choices, default="open"
    )
    resolution = _long_text(_("resolution"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("resolved by"),
    )

    objects = ScopedManager()
    scope_rule = ScopeRule(
        roles={"view": APPLICATION_VIEWERS, "change": POLICY_KEEPERS},
        community="application__community",
        agency=("application__agency", "application__applicant_agency"),
    )

    class Meta:
        ordering = ["application", "id"]
        verbose_name = _("objection")
        verbose_name_plural = _("objections")

    def __str__(self):
        return f"{self.application} {self.raised_by}"


class Payment(BaseModel):
    """One instalment of an application's payment schedule; ``paid_on`` set when disbursed.

    The unique (application, instalment) pair is what makes a schedule exist once: a second
    scheduling of the same application fails at the database even if two got past the checks.
    """

    application = models.ForeignKey(
        Application,
        on_delete=models.PROTECT,
        related_name="payments",
        verbose_name=_("application"),
    )
    policy = models.ForeignKey(
        Policy, on_delete=models.PROTECT, related_name="payments", verbose_name=_("policy")
    )
    instalment = models.PositiveSmallIntegerField(_("instalment"))
    due_on = models.DateField(_("due on"), validators=planned_date_bounds)
    amount = models.DecimalField(_("amount (yuan)"), **MONEY)
    paid_on = models.DateField(_("paid on"), null=True, blank=True)
    paid_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    reference = _text(_("payment reference"), 50)

    objects = ScopedManager()
    scope_rule = ScopeRule(
        roles={"view": APPLICATION_VIEWERS, "change": POLICY_KEEPERS},
        community="application__community",
        agency=("application__agency", "application__applicant_agency"),
        own="application__applicant_user",
        own_roles={"view": frozenset({"social_worker"})},
    )

    class Meta:
        ordering = ["application", "instalment"]
        verbose_name = _("payment")
        verbose_name_plural = _("payments")
        constraints = [
            models.UniqueConstraint(
                fields=["application", "instalment"], name="talent_payment_once"
            ),
            models.CheckConstraint(condition=Q(amount__gt=0), name="talent_payment_positive"),
        ]

    def __str__(self):
        return f"{self.application} #{self.instalment}"

    def delete(self, *args, **kwargs):
        raise ValidationError(_("Payments are never deleted."))
