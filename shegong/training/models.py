"""The training academy: courses, yearly classes, sessions, remote sites, teachers, open
enrolment with a waitlist, attendance, completions (with their continuing-education hours) and
learners' feedback.

Scope: the academy belongs to a district; its training administrators run it and the district's
administrators look on. A remote site's coordinator (role ``site_coordinator``, bound to the
district, and named on the site) sees the site and its learners only. The catalogue (courses,
classes, sessions, teachers) is public information: the open enrolment page lists it.
"""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxLengthValidator, MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from shegong.core.fields import BlindIndexField, EncryptedCharField
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
from shegong.training.choices import (
    ClassLevel,
    EmployerType,
    EnrolmentStatus,
    SessionMode,
    TrainingAttendanceSource,
)

TRAINING_ADMINS = frozenset({"training_admin"})
TRAINING_VIEWERS = TRAINING_ADMINS | {"district_admin"}
COORDINATORS = frozenset({"site_coordinator"})
MAX_CAPACITY = 5_000


def _catalogue_rule(path: str) -> ScopeRule:
    # Site coordinators read the catalogue too: they run the sessions' check-in at their site.
    return ScopeRule(
        roles={"view": TRAINING_VIEWERS | COORDINATORS, "change": TRAINING_ADMINS},
        district=path,
    )


def _learner_rule(prefix: str) -> ScopeRule:
    """Enrolment-like rows: the academy's staff see all of them; a site's coordinator sees the
    rows of learners enrolled under their site (and may mark their attendance)."""
    return ScopeRule(
        roles={"view": TRAINING_VIEWERS, "change": TRAINING_ADMINS},
        district=f"{prefix}klass__district",
        own=f"{prefix}site__coordinators",
        own_roles={"view": COORDINATORS, "change": COORDINATORS},
    )


class Site(BaseModel):
    """A remote site (闽宁镇) whose learners follow the sessions live, with its coordinators."""

    district = models.ForeignKey(
        "places.District", on_delete=models.PROTECT, related_name="+", verbose_name=_("district")
    )
    name = models.CharField(_("name"), max_length=100, validators=[single_line_text, visible_text])
    region = models.CharField(
        _("region"), max_length=100, blank=True, validators=[single_line_text, visible_text]
    )
    coordinators = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="training_sites",
        verbose_name=_("coordinators"),
    )

    objects = ScopedManager()
    scope_rule = ScopeRule(
        roles={"view": TRAINING_VIEWERS, "change": TRAINING_ADMINS},
        district="district",
        own="coordinators",
        own_roles={"view": COORDINATORS},
    )

    class Meta:
        ordering = ["name", "id"]
        verbose_name = _("remote site")
        verbose_name_plural = _("remote sites")
        constraints = [
            models.UniqueConstraint(fields=["district", "name"], name="training_site_name_once")
        ]

    def __str__(self):
        return self.name


class Teacher(BaseModel):
    """A trainer of the teacher pool (师资库)."""

    district = models.ForeignKey(
        "places.District", on_delete=models.PROTECT, related_name="+", verbose_name=_("district")
    )
    name = models.CharField(_("name"), max_length=50, validators=[single_line_text, visible_text])
    organisation = models.CharField(
        _("organisation"), max_length=100, blank=True, validators=[single_line_text]
    )
    title = models.CharField(_("title"), max_length=100, blank=True, validators=[single_line_text])
    # Tags separated by commas or 、, kept normalised as "、"-joined text: searched by substring.
    expertise = models.CharField(
        _("expertise"), max_length=300, validators=[single_line_text, visible_text]
    )
    qualifications = models.TextField(
        _("qualifications"), blank=True, validators=[multi_line_text, long_text_length]
    )
    bio = models.TextField(_("profile"), blank=True, validators=[multi_line_text, long_text_length])
    is_active = models.BooleanField(_("active"), default=True)

    objects = ScopedManager()
    scope_rule = _catalogue_rule("district")

    class Meta:
        ordering = ["name", "id"]
        verbose_name = _("teacher")
        verbose_name_plural = _("teachers")

    def __str__(self):
        return self.name

    @property
    def tags(self) -> list[str]:
        return [tag for tag in self.expertise.split("、") if tag]


class Course(BaseModel):
    district = models.ForeignKey(
        "places.District", on_delete=models.PROTECT, related_name="+", verbose_name=_("district")
    )
    subject = models.CharField(
        _("subject"), max_length=100, validators=[single_line_text, visible_text]
    )
    level = models.CharField(_("level"), max_length=16, choices=ClassLevel.choices)
    hours = models.DecimalField(
        _("hours"),
        max_digits=5,
        decimal_places=1,
        validators=[MinValueValidator(Decimal("0.5")), MaxValueValidator(Decimal("500"))],
    )
    description = models.TextField(
        _("description"), blank=True, validators=[multi_line_text, long_text_length]
    )

    objects = ScopedManager()
    scope_rule = _catalogue_rule("district")

    class Meta:
        ordering = ["level", "subject", "id"]
        verbose_name = _("course")
        verbose_name_plural = _("courses")
        constraints = [
            models.UniqueConstraint(
                fields=["district", "subject", "level"], name="training_course_once"
            )
        ]

    def __str__(self):
        return f"{self.subject}（{self.get_level_display()}）"


class TrainingClass(BaseModel):
    """A yearly cohort of one level, with its courses, capacity and completion rule."""

    district = models.ForeignKey(
        "places.District", on_delete=models.PROTECT, related_name="+", verbose_name=_("district")
    )
    title = models.CharField(
        _("title"), max_length=100, validators=[single_line_text, visible_text]
    )
    year = models.PositiveIntegerField(
        _("year"), validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    level = models.CharField(_("level"), max_length=16, choices=ClassLevel.choices)
    courses = models.ManyToManyField(
        Course, blank=True, related_name="classes", verbose_name=_("courses")
    )
    capacity = models.PositiveIntegerField(
        _("capacity"), validators=[MinValueValidator(1), MaxValueValidator(MAX_CAPACITY)]
    )
    # Share of the class's sessions a learner must attend to complete it.
    completion_percent = models.PositiveSmallIntegerField(
        _("attendance needed (%)"),
        default=80,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
    )
    # Continuing-education hours a completion earns; the sum of the courses' hours by default.
    cpd_hours = models.DecimalField(
        _("continuing-education hours"),
        max_digits=5,
        decimal_places=1,
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("500"))],
    )
    starts_on = models.DateField(_("starts on"), validators=planned_date_bounds)
    ends_on = models.DateField(_("ends on"), validators=planned_date_bounds)
    enrolment_open = models.BooleanField(_("enrolment open"), default=True)
    description = models.TextField(
        _("description"), blank=True, validators=[multi_line_text, long_text_length]
    )

    objects = ScopedManager()
    scope_rule = _catalogue_rule("district")

    class Meta:
        ordering = ["-year", "level", "id"]
        verbose_name = _("class")
        verbose_name_plural = _("classes")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__gte=models.F("starts_on")),
                name="training_class_ends_after_start",
            )
        ]

    def __str__(self):
        return self.title


class TrainingSession(BaseModel):
    klass = models.ForeignKey(
        TrainingClass, on_delete=models.CASCADE, related_name="sessions", verbose_name=_("class")
    )
    course = models.ForeignKey(
        Course, on_delete=models.PROTECT, related_name="sessions", verbose_name=_("course")
    )
    teacher = models.ForeignKey(
        Teacher,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="sessions",
        verbose_name=_("teacher"),
    )
    mode = models.CharField(_("mode"), max_length=16, choices=SessionMode.choices)
    venue = models.CharField(_("venue"), max_length=200, blank=True, validators=[single_line_text])
    live_url = models.URLField(_("live-stream link"), max_length=300, blank=True)
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))

    objects = ScopedManager()
    scope_rule = _catalogue_rule("klass__district")

    class Meta:
        ordering = ["starts_at", "id"]
        verbose_name = _("training session")
        verbose_name_plural = _("training sessions")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")),
                name="training_session_ends_after_start",
            )
        ]

    def __str__(self):
        return f"{self.course.subject} {self.starts_at:%Y-%m-%d %H:%M}"


class Enrolment(BaseModel):
    """One person's place in one class: confirmed, on the waitlist (in ``queued_at`` order) or
    cancelled. The mobile is the one given for this class, which check-in matches."""

    klass = models.ForeignKey(
        TrainingClass, on_delete=models.PROTECT, related_name="enrolments", verbose_name=_("class")
    )
    person = models.ForeignKey(
        "people.Person",
        on_delete=models.PROTECT,
        related_name="training_enrolments",
        verbose_name=_("learner"),
    )
    site = models.ForeignKey(
        Site,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="enrolments",
        verbose_name=_("remote site"),
    )
    status = models.CharField(_("status"), max_length=16, choices=EnrolmentStatus.choices)
    queued_at = models.DateTimeField(_("queued at"))
    mobile = EncryptedCharField(_("mobile"), validators=[single_line_text])
    mobile_index = BlindIndexField(source="mobile", purpose="mobile", db_index=True)
    employer_type = models.CharField(
        _("employer type"), max_length=16, choices=EmployerType.choices
    )
    employer_name = models.CharField(
        _("employer"), max_length=100, validators=[single_line_text, visible_text]
    )
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)

    objects = ScopedManager()
    scope_rule = _learner_rule("")

    class Meta:
        ordering = ["queued_at", "id"]
        verbose_name = _("enrolment")
        verbose_name_plural = _("enrolments")
        constraints = [
            models.UniqueConstraint(fields=["klass", "person"], name="training_enrolment_once")
        ]
        indexes = [models.Index(fields=["klass", "status", "queued_at"])]

    def __str__(self):
        return f"{self.person} @ {self.klass}"

    @property
    def mobile_masked(self) -> str:
        return mask_mobile(self.mobile)


class Attendance(BaseModel):
    """One learner present at one session (where: their site, or the academy when none)."""

    session = models.ForeignKey(
        TrainingSession,
        on_delete=models.CASCADE,
        related_name="attendances",
        verbose_name=_("session"),
    )
    enrolment = models.ForeignKey(
        Enrolment, on_delete=models.CASCADE, related_name="attendances", verbose_name=_("learner")
    )
    site = models.ForeignKey(
        Site,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="attendances",
        verbose_name=_("remote site"),
    )
    source = models.CharField(_("source"), max_length=16, choices=TrainingAttendanceSource.choices)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )

    objects = ScopedManager()
    scope_rule = _learner_rule("enrolment__")

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("training attendance")
        verbose_name_plural = _("training attendances")
        constraints = [
            models.UniqueConstraint(
                fields=["session", "enrolment"], name="training_attendance_once"
            )
        ]

    def __str__(self):
        return f"{self.enrolment.person} @ {self.session}"


class Completion(BaseModel):
    """A completed class: the certificate and the continuing-education hours it credits."""

    enrolment = models.OneToOneField(
        Enrolment, on_delete=models.PROTECT, related_name="completion", verbose_name=_("learner")
    )
    certificate_number = models.CharField(
        _("certificate number"), max_length=32, unique=True, validators=[single_line_text]
    )
    completed_on = models.DateField(_("completed on"))
    hours = models.DecimalField(_("hours"), max_digits=5, decimal_places=1)
    attended = models.PositiveIntegerField(_("sessions attended"))
    sessions = models.PositiveIntegerField(_("sessions"))

    objects = ScopedManager()
    scope_rule = _learner_rule("enrolment__")

    class Meta:
        ordering = ["-completed_on", "id"]
        verbose_name = _("completion")
        verbose_name_plural = _("completions")

    def __str__(self):
        return self.certificate_number


class Feedback(BaseModel):
    """A learner's rating of one session (and so of its teacher), 1–5."""

    session = models.ForeignKey(
        TrainingSession,
        on_delete=models.CASCADE,
        related_name="feedback",
        verbose_name=_("session"),
    )
    enrolment = models.ForeignKey(
        Enrolment, on_delete=models.CASCADE, related_name="feedback", verbose_name=_("learner")
    )
    rating = models.PositiveSmallIntegerField(
        _("rating"), validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    comment = models.TextField(
        _("comment"),
        blank=True,
        max_length=500,
        validators=[multi_line_text, MaxLengthValidator(500)],
    )

    objects = ScopedManager()
    scope_rule = _learner_rule("enrolment__")

    class Meta:
        ordering = ["-created_at", "id"]
        verbose_name = _("session feedback")
        verbose_name_plural = _("session feedback")
        constraints = [
            models.UniqueConstraint(fields=["session", "enrolment"], name="training_feedback_once")
        ]

    def __str__(self):
        return f"{self.rating} @ {self.session}"
