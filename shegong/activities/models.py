"""Activities (DESIGN §4.4): group work and community activities, their sessions, sign-ups and
attendance. Each attendance is one person-time."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from shegong.activities.choices import (
    ActivityCategory,
    ActivityKind,
    AttendanceSource,
    GroupStage,
    RegistrationStatus,
)
from shegong.core.models import BaseModel
from shegong.core.scope import ScopedManager, ScopeRule
from shegong.core.validators import (
    long_text_length,
    multi_line_text,
    planned_date_bounds,
    single_line_text,
    visible_text,
)

PLACE_ROLES = frozenset({"district_admin", "street_admin", "community_staff"})
AGENCY_LEADS = frozenset({"agency_admin", "supervisor"})
# Who sees activities: places see those serving a community under them; agency staff their
# agency's. Who changes them: the community's staff and the organising agency's leads; the
# street and the district look on.
ACTIVITY_VIEWERS = PLACE_ROLES | AGENCY_LEADS | {"social_worker"}
ACTIVITY_EDITORS = frozenset({"community_staff"}) | AGENCY_LEADS

MAX_CAPACITY = 10_000


def _rule(prefix: str = "") -> ScopeRule:
    path = f"{prefix}__" if prefix else ""
    return ScopeRule(
        roles={"view": ACTIVITY_VIEWERS, "change": ACTIVITY_EDITORS},
        community=f"{path}community",
        agency=f"{path}agency",
    )


class Activity(BaseModel):
    kind = models.CharField(_("kind"), max_length=16, choices=ActivityKind.choices)
    title = models.CharField(
        _("title"), max_length=100, validators=[single_line_text, visible_text]
    )
    category = models.CharField(
        _("category"), max_length=16, choices=ActivityCategory.choices, default="other"
    )
    description = models.TextField(
        _("description"), blank=True, validators=[multi_line_text, long_text_length]
    )
    community = models.ForeignKey(
        "places.Community",
        on_delete=models.PROTECT,
        related_name="activities",
        verbose_name=_("community served"),
    )
    # Organised by an agency when set, else by the community itself.
    agency = models.ForeignKey(
        "agencies.Agency",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="activities",
        verbose_name=_("organising agency"),
    )
    # A joint activity of a pairing agreement (结对共建) between its community and its agency.
    pairing = models.ForeignKey(
        "pairing.PairingAgreement",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="joint_activities",
        verbose_name=_("pairing agreement"),
    )
    # Delivered under a government-purchased service project of its agency: its sessions,
    # attendance and volunteer hours count for that project's KPI actuals, and for no other.
    project = models.ForeignKey(
        "purchasing.Project",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="activities",
        verbose_name=_("purchased-service project"),
    )
    starts_on = models.DateField(_("starts on"), validators=planned_date_bounds)
    ends_on = models.DateField(_("ends on"), validators=planned_date_bounds)
    # Group work only (MZ/T 095-2017); empty for community activities.
    stage = models.CharField(
        _("stage"), max_length=16, choices=GroupStage.choices, blank=True, default=""
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )

    objects = ScopedManager()
    scope_rule = _rule()

    class Meta:
        ordering = ["-starts_on", "-id"]
        verbose_name = _("activity")
        verbose_name_plural = _("activities")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__gte=models.F("starts_on")),
                name="activity_ends_after_start",
            )
        ]

    def __str__(self):
        return self.title

    @property
    def organiser_name(self) -> str:
        return self.agency.name if self.agency_id else self.community.name

    @property
    def is_group(self) -> bool:
        return self.kind == ActivityKind.GROUP


class ActivitySession(BaseModel):
    activity = models.ForeignKey(
        Activity, on_delete=models.CASCADE, related_name="sessions", verbose_name=_("activity")
    )
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    place = models.CharField(_("place"), max_length=200, validators=[single_line_text])
    capacity = models.PositiveIntegerField(_("capacity"))

    objects = ScopedManager()
    scope_rule = _rule("activity")

    class Meta:
        ordering = ["starts_at", "id"]
        verbose_name = _("activity session")
        verbose_name_plural = _("activity sessions")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")),
                name="activity_session_ends_after_start",
            )
        ]

    def __str__(self):
        return f"{self.activity} {self.starts_at:%Y-%m-%d %H:%M}"


class Registration(BaseModel):
    """A sign-up of one person for one session; capacity counts the registered ones."""

    session = models.ForeignKey(
        ActivitySession,
        on_delete=models.CASCADE,
        related_name="registrations",
        verbose_name=_("session"),
    )
    person = models.ForeignKey(
        "people.Person",
        on_delete=models.PROTECT,
        related_name="activity_registrations",
        verbose_name=_("person"),
    )
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=RegistrationStatus.choices,
        default=RegistrationStatus.REGISTERED,
    )
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("registered by"),
    )

    objects = ScopedManager()
    scope_rule = _rule("session__activity")

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")
        constraints = [
            models.UniqueConstraint(fields=["session", "person"], name="registration_once")
        ]

    def __str__(self):
        return f"{self.person} @ {self.session}"


class Attendance(BaseModel):
    """One person present at one session: one person-time (DESIGN §4.4)."""

    # Only the indexes a lookup uses: a year's attendance sheet inserts a million rows, and
    # each index is written for every one of them. The unique (session, person) index starts
    # with the session and serves every lookup by session; the person's index serves their
    # history. Nothing looks attendances up by when they were recorded or by whom (a user is
    # deactivated, not deleted), so those two columns carry no index.
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    session = models.ForeignKey(
        ActivitySession,
        on_delete=models.CASCADE,
        db_index=False,
        related_name="attendances",
        verbose_name=_("session"),
    )
    person = models.ForeignKey(
        "people.Person",
        on_delete=models.PROTECT,
        related_name="activity_attendances",
        verbose_name=_("person"),
    )
    source = models.CharField(
        _("source"), max_length=16, choices=AttendanceSource.choices, default="staff"
    )
    walk_in = models.BooleanField(_("walk-in"), default=False)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        db_index=False,
        related_name="+",
        verbose_name=_("recorded by"),
    )

    objects = ScopedManager()
    scope_rule = _rule("session__activity")

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("attendance")
        verbose_name_plural = _("attendances")
        constraints = [
            models.UniqueConstraint(fields=["session", "person"], name="attendance_once")
        ]

    def __str__(self):
        return f"{self.person} @ {self.session}"
