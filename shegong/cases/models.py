"""Individual case work (个案) per MZ/T 094-2017, and the client file it rests on.

Access is two-layered (DESIGN §4.2): ``view`` on a Case says that it exists (place roles see that,
for statistics); ``content`` reads what is inside it, and every model holding case content
(assessment, plan, notes, evaluation) is scoped to the assigned worker, the agency's supervisors
and its director only.
"""

import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from shegong.cases.choices import (
    CaseSource,
    CaseStatus,
    ClosureReason,
    ContactMethod,
    EventKind,
    ItemStatus,
    PlanStatus,
    ReferralStatus,
    ReviewKind,
    ReviewStatus,
    RiskLevel,
    TaiwanItem,
)
from shegong.core.fields import EncryptedCharField
from shegong.core.masks import mask_mobile
from shegong.core.models import BaseModel
from shegong.core.scope import ScopedManager, ScopeRule
from shegong.core.validators import (
    long_text_length,
    multi_line_text,
    past_record_date_bounds,
    planned_date_bounds,
    single_line_text,
    visible_text,
)
from shegong.people.models import AGENCY_ROLES, PEOPLE_ROLES, PLACE_ROLES

CASE_LEADS = frozenset({"agency_admin", "supervisor"})
WORKER = frozenset({"social_worker"})
# Every role that works in an agency may carry cases as the assigned worker.
CASE_WORKERS = AGENCY_ROLES

CASE_RULE = ScopeRule(
    roles={"view": PLACE_ROLES | CASE_LEADS, "change": CASE_LEADS, "content": CASE_LEADS},
    community="community",
    agency="agency",
    own="worker",
    own_roles={"view": CASE_WORKERS, "change": CASE_WORKERS, "content": CASE_WORKERS},
    own_within_agency=True,
)


def case_content_rule(case_path: str, *also_agencies: str) -> ScopeRule:
    """Rows holding case content: nobody outside the case's agency leads and worker, and the
    leads of any agency named by ``also_agencies`` (a referral's receiving agency)."""
    return ScopeRule(
        roles={"view": CASE_LEADS, "change": CASE_LEADS, "content": CASE_LEADS},
        agency=(f"{case_path}__agency", *also_agencies),
        own=f"{case_path}__worker",
        own_roles={"view": CASE_WORKERS, "change": CASE_WORKERS, "content": CASE_WORKERS},
        own_within_agency=True,
    )


class TargetGroup(BaseModel):
    """An editable list of the groups a client belongs to (低保, 特困, 困境儿童, 台胞, ...)."""

    code = models.SlugField(_("code"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=50, validators=[single_line_text, visible_text])
    is_active = models.BooleanField(_("active"), default=True)
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)

    objects = ScopedManager()
    scope_rule = ScopeRule(roles={"change": frozenset({"district_admin"})}, everyone_views=True)

    class Meta:
        ordering = ["sort_order", "name"]
        verbose_name = _("target group")
        verbose_name_plural = _("target groups")

    def __str__(self):
        return self.name


class ClientFile(BaseModel):
    """服务对象档案: what the services need to know about a person beyond their identity."""

    person = models.OneToOneField(
        "people.Person",
        on_delete=models.CASCADE,
        related_name="client_file",
        verbose_name=_("person"),
    )
    target_groups = models.ManyToManyField(
        TargetGroup, blank=True, related_name="clients", verbose_name=_("target groups")
    )
    address = models.CharField(
        _("address"), max_length=200, blank=True, validators=[single_line_text]
    )
    living_situation = models.CharField(
        _("living situation"), max_length=200, blank=True, validators=[single_line_text]
    )
    notes = models.TextField(_("notes"), blank=True, validators=[multi_line_text, long_text_length])

    objects = ScopedManager()
    scope_rule = ScopeRule(
        roles={"view": PEOPLE_ROLES, "change": PEOPLE_ROLES},
        community="person__community",
        agency="person__owner_agency",
    )

    class Meta:
        verbose_name = _("client file")
        verbose_name_plural = _("client files")

    def __str__(self):
        return str(self.person)


class HouseholdMember(BaseModel):
    client_file = models.ForeignKey(
        ClientFile,
        on_delete=models.CASCADE,
        related_name="household",
        verbose_name=_("client file"),
    )
    name = models.CharField(_("name"), max_length=50, validators=[single_line_text, visible_text])
    relation = models.CharField(_("relation"), max_length=20, validators=[single_line_text])
    person = models.ForeignKey(
        "people.Person",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("person on file"),
    )
    phone = EncryptedCharField(_("phone"), blank=True, validators=[single_line_text])
    lives_with_client = models.BooleanField(_("lives with the client"), default=True)
    is_guardian = models.BooleanField(_("guardian"), default=False)
    is_emergency_contact = models.BooleanField(_("emergency contact"), default=False)

    objects = ScopedManager()
    scope_rule = ScopeRule(
        roles={"view": PEOPLE_ROLES, "change": PEOPLE_ROLES},
        community="client_file__person__community",
        agency="client_file__person__owner_agency",
    )

    class Meta:
        ordering = ["id"]
        verbose_name = _("household member")
        verbose_name_plural = _("household members")

    def __str__(self):
        return f"{self.name} ({self.relation})"

    @property
    def phone_masked(self) -> str:
        return mask_mobile(self.phone)


class TaiwanFileItem(BaseModel):
    """One line of a Taiwan compatriot's personal-file checklist."""

    person = models.ForeignKey(
        "people.Person",
        on_delete=models.CASCADE,
        related_name="taiwan_items",
        verbose_name=_("person"),
    )
    item = models.CharField(_("item"), max_length=16, choices=TaiwanItem.choices)
    status = models.CharField(
        _("status"), max_length=16, choices=ItemStatus.choices, default=ItemStatus.NOT_STARTED
    )
    note = models.CharField(_("note"), max_length=300, blank=True, validators=[single_line_text])

    objects = ScopedManager()
    scope_rule = ScopeRule(
        roles={"view": PEOPLE_ROLES, "change": PEOPLE_ROLES},
        community="person__community",
        agency="person__owner_agency",
    )

    class Meta:
        ordering = ["person_id", "item"]
        constraints = [
            models.UniqueConstraint(fields=["person", "item"], name="taiwan_item_once_per_person")
        ]
        verbose_name = _("Taiwan file item")
        verbose_name_plural = _("Taiwan file items")

    def __str__(self):
        return f"{self.get_item_display()}: {self.get_status_display()}"


class Case(BaseModel):
    number = models.CharField(
        _("case number"), max_length=32, unique=True, validators=[single_line_text]
    )
    client = models.ForeignKey(
        "people.Person", on_delete=models.PROTECT, related_name="cases", verbose_name=_("client")
    )
    agency = models.ForeignKey(
        "agencies.Agency", on_delete=models.PROTECT, related_name="cases", verbose_name=_("agency")
    )
    # The client's community at intake: place-scope statistics stay put if the client moves.
    community = models.ForeignKey(
        "places.Community",
        on_delete=models.PROTECT,
        related_name="cases",
        verbose_name=_("community"),
    )
    worker = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="cases",
        verbose_name=_("social worker"),
    )
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=CaseStatus.choices,
        default=CaseStatus.INTAKE,
        db_index=True,
    )
    source = models.CharField(_("source"), max_length=16, choices=CaseSource.choices)
    presenting_problem = models.TextField(
        _("presenting problem"), validators=[multi_line_text, long_text_length]
    )
    risk_level = models.CharField(
        _("risk level"), max_length=8, choices=RiskLevel.choices, default=RiskLevel.LOW
    )
    is_taiwan_service = models.BooleanField(
        _("Taiwan compatriot service"),
        default=False,
        help_text=_("Service requests of Taiwan compatriots (台胞) are tracked as cases too."),
    )
    intake_date = models.DateField(_("intake date"), validators=past_record_date_bounds)
    last_contact_date = models.DateField(
        _("last contact"), null=True, blank=True, db_index=True, validators=past_record_date_bounds
    )
    person_times = models.PositiveIntegerField(_("person-times"), default=0)
    # Where a closure request came from, so a returned request goes back there.
    status_before_closure = models.CharField(
        max_length=16, choices=CaseStatus.choices, blank=True, editable=False
    )
    closure_reason = models.CharField(
        _("closure reason"), max_length=16, choices=ClosureReason.choices, blank=True
    )
    closure_note = models.TextField(
        _("closure note"), blank=True, validators=[multi_line_text, long_text_length]
    )
    closed_on = models.DateField(
        _("closed on"), null=True, blank=True, validators=past_record_date_bounds
    )
    referred_from = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("referred from"),
    )

    objects = ScopedManager()
    scope_rule = CASE_RULE

    class Meta:
        ordering = ["-intake_date", "-id"]
        verbose_name = _("case")
        verbose_name_plural = _("cases")
        indexes = [
            models.Index(fields=["agency", "status"], name="case_agency_status"),
            # The agency's register in its default order, and the filter's choices of the
            # communities and workers it has cases for, each read from an index alone.
            models.Index(fields=["agency", "intake_date"], name="case_agency_intake"),
            # The intake date before the worker: a purchased-service project's KPI actuals (the
            # agency's cases in the project's communities opened in its period) are a range of
            # this index per community (purchasing.selectors.kpi_actuals, bench/projects.py).
            models.Index(
                fields=["agency", "community", "intake_date", "worker"],
                name="case_agency_place_day_worker",
            ),
            models.Index(fields=["worker", "status"], name="case_worker_status"),
            # Whether a worker has cases at an agency: the case filter's worker choices.
            models.Index(fields=["worker", "agency"], name="case_worker_agency"),
            models.Index(fields=["community", "status"], name="case_community_status"),
        ]

    def __str__(self):
        return self.number

    def clean(self):
        # A case cannot start before its client was born (a typo in either date).
        birth_date = self.client.birth_date if self.client_id else None
        if self.intake_date and birth_date and self.intake_date < birth_date:
            raise ValidationError(
                {
                    "intake_date": _(
                        "The intake date cannot be before the client's birth date (%(date)s)."
                    )
                    % {"date": birth_date.isoformat()}
                }
            )


class CaseEvent(models.Model):
    """The case's own history: every status change, assignment, referral and decision."""

    case = models.ForeignKey(
        Case, on_delete=models.CASCADE, related_name="events", verbose_name=_("case")
    )
    kind = models.CharField(_("kind"), max_length=20, choices=EventKind.choices)
    from_status = models.CharField(max_length=16, choices=CaseStatus.choices, blank=True)
    to_status = models.CharField(max_length=16, choices=CaseStatus.choices, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("by")
    )
    note = models.CharField(_("note"), max_length=500, blank=True, validators=[single_line_text])
    created_at = models.DateTimeField(_("time"), auto_now_add=True)

    objects = ScopedManager()
    scope_rule = case_content_rule("case")

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("case event")
        verbose_name_plural = _("case events")

    def __str__(self):
        return f"{self.case} {self.get_kind_display()}"


class Assessment(BaseModel):
    """预估: structured needs by domain, strengths and risk."""

    case = models.ForeignKey(
        Case, on_delete=models.CASCADE, related_name="assessments", verbose_name=_("case")
    )
    assessed_on = models.DateField(_("assessed on"), validators=past_record_date_bounds)
    # {domain: {"level": NeedLevel, "note": str}} for the domains of NeedDomain.
    needs = models.JSONField(_("needs"), default=dict)
    strengths = models.TextField(
        _("strengths"), blank=True, validators=[multi_line_text, long_text_length]
    )
    risks = models.TextField(_("risks"), blank=True, validators=[multi_line_text, long_text_length])
    risk_level = models.CharField(_("risk level"), max_length=8, choices=RiskLevel.choices)
    summary = models.TextField(_("summary"), validators=[multi_line_text, long_text_length])
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("by")
    )

    objects = ScopedManager()
    scope_rule = case_content_rule("case")

    class Meta:
        ordering = ["-assessed_on", "-id"]
        verbose_name = _("assessment")
        verbose_name_plural = _("assessments")

    def __str__(self):
        return f"{self.case} {self.assessed_on}"


class ServicePlan(BaseModel):
    """计划: goals and tasks; takes effect only when a supervisor approves it."""

    case = models.ForeignKey(
        Case, on_delete=models.CASCADE, related_name="plans", verbose_name=_("case")
    )
    version = models.PositiveSmallIntegerField(_("version"), default=1)
    status = models.CharField(
        _("status"), max_length=16, choices=PlanStatus.choices, default=PlanStatus.DRAFT
    )
    summary = models.TextField(
        _("summary"), blank=True, validators=[multi_line_text, long_text_length]
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("by")
    )

    objects = ScopedManager()
    scope_rule = case_content_rule("case")

    class Meta:
        ordering = ["-version"]
        constraints = [
            models.UniqueConstraint(fields=["case", "version"], name="plan_version_once_per_case")
        ]
        verbose_name = _("service plan")
        verbose_name_plural = _("service plans")

    def __str__(self):
        return f"{self.case} v{self.version}"


class PlanGoal(BaseModel):
    plan = models.ForeignKey(
        ServicePlan, on_delete=models.CASCADE, related_name="goals", verbose_name=_("plan")
    )
    description = models.CharField(_("goal"), max_length=300, validators=[single_line_text])
    measure = models.CharField(
        _("how it is measured"), max_length=300, blank=True, validators=[single_line_text]
    )

    objects = ScopedManager()
    scope_rule = case_content_rule("plan__case")

    class Meta:
        ordering = ["id"]
        verbose_name = _("goal")
        verbose_name_plural = _("goals")

    def __str__(self):
        return self.description


class PlanTask(BaseModel):
    plan = models.ForeignKey(
        ServicePlan, on_delete=models.CASCADE, related_name="tasks", verbose_name=_("plan")
    )
    goal = models.ForeignKey(
        PlanGoal,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="tasks",
        verbose_name=_("goal"),
    )
    description = models.CharField(_("task"), max_length=300, validators=[single_line_text])
    due_date = models.DateField(_("due date"), validators=planned_date_bounds)
    done_on = models.DateField(
        _("done on"), null=True, blank=True, validators=past_record_date_bounds
    )

    objects = ScopedManager()
    scope_rule = case_content_rule("plan__case")

    class Meta:
        ordering = ["due_date", "id"]
        verbose_name = _("task")
        verbose_name_plural = _("tasks")

    def __str__(self):
        return self.description


class ServiceNote(BaseModel):
    """介入: one service contact. Its participants are its person-times (DESIGN §4.4)."""

    case = models.ForeignKey(
        Case, on_delete=models.CASCADE, related_name="notes", verbose_name=_("case")
    )
    contact_date = models.DateField(_("date"), validators=past_record_date_bounds)
    duration_minutes = models.PositiveSmallIntegerField(
        _("duration (minutes)"), validators=[MinValueValidator(1), MaxValueValidator(24 * 60)]
    )
    method = models.CharField(_("method"), max_length=16, choices=ContactMethod.choices)
    content = models.TextField(_("content"), validators=[multi_line_text, long_text_length])
    participants = models.PositiveSmallIntegerField(
        _("participants"),
        default=1,
        validators=[MinValueValidator(1), MaxValueValidator(500)],
        help_text=_("People served in this contact, the client included: its person-times."),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("by")
    )

    objects = ScopedManager()
    scope_rule = case_content_rule("case")

    class Meta:
        ordering = ["-contact_date", "-id"]
        indexes = [
            # A case's notes by date; with the participants in it, a project's person-times
            # (purchasing.selectors.kpi_actuals) are summed from the index alone.
            models.Index(
                fields=["case", "contact_date", "participants"], name="note_case_date_times"
            )
        ]
        verbose_name = _("service note")
        verbose_name_plural = _("service notes")

    def __str__(self):
        return f"{self.case} {self.contact_date}"


def attachment_path(attachment, filename: str) -> str:
    return f"cases/{attachment.note.case_id}/{attachment.note_id}/{filename}"


class NoteAttachment(BaseModel):
    note = models.ForeignKey(
        ServiceNote, on_delete=models.CASCADE, related_name="attachments", verbose_name=_("note")
    )
    file = models.FileField(_("file"), upload_to=attachment_path, max_length=200)
    name = models.CharField(
        _("file name"), max_length=200, validators=[single_line_text, visible_text]
    )

    objects = ScopedManager()
    scope_rule = case_content_rule("note__case")

    class Meta:
        ordering = ["id"]
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def __str__(self):
        return self.name


class NoteComment(BaseModel):
    """A supervisor's (or colleague's) comment on a service note."""

    note = models.ForeignKey(
        ServiceNote, on_delete=models.CASCADE, related_name="comments", verbose_name=_("note")
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("author"),
    )
    text = models.TextField(_("comment"), validators=[multi_line_text, long_text_length])

    objects = ScopedManager()
    scope_rule = case_content_rule("note__case")

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("comment")
        verbose_name_plural = _("comments")

    def __str__(self):
        return self.text[:50]


class Evaluation(BaseModel):
    """评估: goal attainment at the end of the intervention."""

    case = models.ForeignKey(
        Case, on_delete=models.CASCADE, related_name="evaluations", verbose_name=_("case")
    )
    evaluated_on = models.DateField(_("evaluated on"), validators=past_record_date_bounds)
    # {goal_id: Attainment} for the goals of the approved plan.
    attainment = models.JSONField(_("goal attainment"), default=dict)
    summary = models.TextField(_("summary"), validators=[multi_line_text, long_text_length])
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("by")
    )

    objects = ScopedManager()
    scope_rule = case_content_rule("case")

    class Meta:
        ordering = ["-evaluated_on", "-id"]
        verbose_name = _("evaluation")
        verbose_name_plural = _("evaluations")

    def __str__(self):
        return f"{self.case} {self.evaluated_on}"


class Review(BaseModel):
    """督导: a plan or a closure waiting for (or decided by) a supervisor."""

    case = models.ForeignKey(
        Case, on_delete=models.CASCADE, related_name="reviews", verbose_name=_("case")
    )
    kind = models.CharField(_("kind"), max_length=8, choices=ReviewKind.choices)
    plan = models.ForeignKey(
        ServicePlan,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="reviews",
        verbose_name=_("plan"),
    )
    status = models.CharField(
        _("status"),
        max_length=8,
        choices=ReviewStatus.choices,
        default=ReviewStatus.PENDING,
        db_index=True,
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("requested by"),
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    comment = models.TextField(
        _("comment"), blank=True, validators=[multi_line_text, long_text_length]
    )

    objects = ScopedManager()
    scope_rule = case_content_rule("case")

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("review")
        verbose_name_plural = _("reviews")

    def __str__(self):
        return f"{self.case} {self.get_kind_display()} {self.get_status_display()}"


class Referral(BaseModel):
    """转介: to another agency (which accepts or declines) or to a community service."""

    case = models.ForeignKey(
        Case, on_delete=models.CASCADE, related_name="referrals", verbose_name=_("case")
    )
    to_agency = models.ForeignKey(
        "agencies.Agency",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="incoming_referrals",
        verbose_name=_("to agency"),
    )
    to_service = models.CharField(
        _("to community service"), max_length=200, blank=True, validators=[single_line_text]
    )
    reason = models.TextField(_("reason"), validators=[multi_line_text, long_text_length])
    # What the receiving side may read: the sender writes it, the client consented to it.
    summary_for_receiver = models.TextField(
        _("summary for the receiver"), validators=[multi_line_text, long_text_length]
    )
    consent = models.ForeignKey(
        "people.Consent",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("client's consent"),
    )
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=ReferralStatus.choices,
        default=ReferralStatus.PENDING,
        db_index=True,
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("referred by"),
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("answered by"),
    )
    decided_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    decline_reason = models.TextField(
        _("reason for declining"), blank=True, validators=[multi_line_text, long_text_length]
    )
    new_case = models.OneToOneField(
        Case,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="accepted_referral",
        verbose_name=_("case at the receiving agency"),
    )

    objects = ScopedManager()
    # The sending agency's leads and worker, and the receiving agency's leads.
    scope_rule = case_content_rule("case", "to_agency")

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                name="referral_has_one_destination",
                condition=(
                    models.Q(to_agency__isnull=False, to_service="")
                    | models.Q(to_agency__isnull=True) & ~models.Q(to_service="")
                ),
            ),
        ]
        verbose_name = _("referral")
        verbose_name_plural = _("referrals")

    def __str__(self):
        return f"{self.case} → {self.to_agency or self.to_service}"


def export_path(export, filename: str) -> str:
    # A random name under the private media root; never served as a static file.
    return f"exports/{uuid.uuid4().hex}.xlsx"


class CaseExport(BaseModel):
    """A case list export written in the background (more rows than
    SHEGONG_EXPORT_INLINE_MAX_ROWS). Only its owner sees it or downloads it; the rows are the
    ones the owner's scope and filter gave when they asked (``case_ids``)."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Waiting")
        RUNNING = "running", _("Writing")
        DONE = "done", _("Ready")
        FAILED = "failed", _("Failed")
        DOWNLOADED = "downloaded", _("Downloaded")
        EXPIRED = "expired", _("Expired")

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="case_exports"
    )
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.QUEUED
    )
    case_ids = models.JSONField(default=list)
    filters = models.CharField(
        _("filters"), max_length=500, blank=True, validators=[single_line_text]
    )
    total = models.PositiveIntegerField(default=0)
    written = models.PositiveIntegerField(default=0)
    file = models.FileField(upload_to=export_path, max_length=200, blank=True)
    error = models.CharField(max_length=200, blank=True, validators=[single_line_text])

    objects = ScopedManager()
    # Personal: the file holds what its owner's scope gave them, so no one else opens it.
    scope_rule = ScopeRule(roles={}, own="owner", owner_only=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    @property
    def is_working(self) -> bool:
        return self.status in (self.Status.QUEUED, self.Status.RUNNING)

    @property
    def percent(self) -> int:
        return 100 if not self.total else min(100, self.written * 100 // self.total)
