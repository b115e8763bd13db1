"""Volunteers (DESIGN §6, 民政部令第67号): profiles on a Person, teams, shifts on activity sessions,
sign-ups with check-in and check-out, service hours with approval, a points ledger and the
certificates (志愿服务记录证明) issued from approved hours.

Where a row sits: a team belongs to a community and, when an agency runs it, to that agency; a
volunteer sits where their team sits. Shifts and hours belong to the activity they serve, so the
organising side (the community's staff, the agency's leads) approves the hours. A volunteer reads
their own rows through ``own``.
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
    single_line_text,
    visible_text,
)
from shegong.volunteers.choices import (
    HoursSource,
    HoursStatus,
    PointsKind,
    SignupStatus,
    Skill,
    VolunteerStatus,
)

PLACE_ROLES = frozenset({"district_admin", "street_admin", "community_staff"})
AGENCY_LEADS = frozenset({"agency_admin", "supervisor"})
# Places see the volunteers of teams under them, an agency its own teams'; the community's staff
# and the agency's leads manage them; the street and the district look on.
VOLUNTEER_VIEWERS = PLACE_ROLES | AGENCY_LEADS | {"social_worker"}
VOLUNTEER_MANAGERS = frozenset({"community_staff"}) | AGENCY_LEADS
OWN = {"view": frozenset({"volunteer"})}
MAX_SHIFT_CAPACITY = 500
MAX_HOURS_PER_RECORD = Decimal("24.0")


def _rule(prefix: str, own: str | None) -> ScopeRule:
    return ScopeRule(
        roles={"view": VOLUNTEER_VIEWERS, "change": VOLUNTEER_MANAGERS},
        community=f"{prefix}community",
        agency=f"{prefix}agency",
        own=own,
        own_roles=OWN if own else {},
    )


def validate_skills(value) -> None:
    known = set(Skill.values)
    if not isinstance(value, list) or any(v not in known for v in value):
        raise ValidationError(_("Choose skills from the list."), code="invalid")


class VolunteerTeam(BaseModel):
    name = models.CharField(_("name"), max_length=100, validators=[single_line_text, visible_text])
    community = models.ForeignKey(
        "places.Community",
        on_delete=models.PROTECT,
        related_name="volunteer_teams",
        verbose_name=_("community"),
    )
    # Run by an agency when set, else by the community itself.
    agency = models.ForeignKey(
        "agencies.Agency",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="volunteer_teams",
        verbose_name=_("agency"),
    )

    objects = ScopedManager()
    scope_rule = _rule("", None)

    class Meta:
        ordering = ["name", "id"]
        verbose_name = _("volunteer team")
        verbose_name_plural = _("volunteer teams")

    def __str__(self):
        return self.name

    @property
    def owner_name(self) -> str:
        return self.agency.name if self.agency_id else self.community.name


class VolunteerProfile(BaseModel):
    person = models.OneToOneField(
        "people.Person",
        on_delete=models.PROTECT,
        related_name="volunteer_profile",
        verbose_name=_("person"),
    )
    number = models.CharField(
        _("volunteer number"),
        max_length=20,
        unique=True,
        editable=False,
        validators=[single_line_text],
    )
    team = models.ForeignKey(
        VolunteerTeam, on_delete=models.PROTECT, related_name="volunteers", verbose_name=_("team")
    )
    skills = models.JSONField(_("skills"), default=list, blank=True, validators=[validate_skills])
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=VolunteerStatus.choices,
        default=VolunteerStatus.ACTIVE,
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="volunteer_profile",
        verbose_name=_("login"),
    )
    # Kept by the services under this row's lock: the sum of the points ledger.
    points_balance = models.IntegerField(_("points"), default=0, editable=False)

    objects = ScopedManager()
    scope_rule = _rule("team__", "user")

    class Meta:
        ordering = ["number"]
        verbose_name = _("volunteer")
        verbose_name_plural = _("volunteers")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(points_balance__gte=0),
                name="volunteers_points_not_negative",
            )
        ]

    def __str__(self):
        return f"{self.number} {self.person}"

    def skill_labels(self) -> list[str]:
        labels = dict(Skill.choices)
        return [str(labels[s]) for s in self.skills if s in labels]


class VolunteerShift(BaseModel):
    """A position on one activity session: a role with a number of places."""

    session = models.ForeignKey(
        "activities.ActivitySession",
        on_delete=models.CASCADE,
        related_name="volunteer_shifts",
        verbose_name=_("session"),
    )
    title = models.CharField(
        _("shift role"), max_length=100, validators=[single_line_text, visible_text]
    )
    capacity = models.PositiveIntegerField(
        _("places"), validators=[MinValueValidator(1), MaxValueValidator(MAX_SHIFT_CAPACITY)]
    )
    description = models.TextField(
        _("description"),
        blank=True,
        max_length=2000,
        validators=[multi_line_text, MaxLengthValidator(2000)],
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
    scope_rule = _rule("session__activity__", None)

    class Meta:
        ordering = ["session__starts_at", "id"]
        verbose_name = _("volunteer shift")
        verbose_name_plural = _("volunteer shifts")

    def __str__(self):
        return f"{self.title} · {self.session}"


class ShiftSignup(BaseModel):
    shift = models.ForeignKey(
        VolunteerShift, on_delete=models.CASCADE, related_name="signups", verbose_name=_("shift")
    )
    volunteer = models.ForeignKey(
        VolunteerProfile,
        on_delete=models.PROTECT,
        related_name="signups",
        verbose_name=_("volunteer"),
    )
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=SignupStatus.choices,
        default=SignupStatus.SIGNED_UP,
    )
    signed_up_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("signed up by"),
    )
    checked_in_at = models.DateTimeField(_("checked in at"), null=True, blank=True)
    checked_out_at = models.DateTimeField(_("checked out at"), null=True, blank=True)

    objects = ScopedManager()
    scope_rule = _rule("shift__session__activity__", "volunteer__user")

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("shift sign-up")
        verbose_name_plural = _("shift sign-ups")
        constraints = [
            models.UniqueConstraint(fields=["shift", "volunteer"], name="volunteers_signup_once")
        ]

    def __str__(self):
        return f"{self.volunteer} @ {self.shift}"


class ServiceHours(BaseModel):
    """Hours served at one activity: from check-in and check-out, or entered by staff with a
    reason. Only approved hours count (toward points and certificates)."""

    volunteer = models.ForeignKey(
        VolunteerProfile,
        on_delete=models.PROTECT,
        related_name="hours",
        verbose_name=_("volunteer"),
    )
    activity = models.ForeignKey(
        "activities.Activity",
        on_delete=models.PROTECT,
        related_name="volunteer_hours",
        verbose_name=_("activity"),
    )
    signup = models.OneToOneField(
        ShiftSignup,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="service_hours",
        verbose_name=_("shift sign-up"),
    )
    served_on = models.DateField(_("date served"), validators=past_record_date_bounds)
    hours = models.DecimalField(
        _("hours"),
        max_digits=4,
        decimal_places=1,
        validators=[MinValueValidator(Decimal("0.5")), MaxValueValidator(MAX_HOURS_PER_RECORD)],
    )
    source = models.CharField(_("source"), max_length=16, choices=HoursSource.choices)
    reason = models.CharField(
        _("reason"), max_length=200, blank=True, validators=[single_line_text]
    )
    status = models.CharField(
        _("status"), max_length=16, choices=HoursStatus.choices, default=HoursStatus.PENDING
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
    decision_note = models.CharField(
        _("decision note"), max_length=200, blank=True, validators=[single_line_text]
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )

    objects = ScopedManager()
    scope_rule = _rule("activity__", "volunteer__user")

    class Meta:
        ordering = ["-served_on", "-id"]
        verbose_name = _("service hours")
        verbose_name_plural = _("service hours")

    def __str__(self):
        return f"{self.volunteer} {self.served_on} {self.hours}h"


class PointsQuerySet(ScopedQuerySet):
    def update(self, **kwargs):
        raise ValidationError(_("Points entries are never changed."))

    def delete(self):
        raise ValidationError(_("Points entries are never deleted."))


PointsManager = models.Manager.from_queryset(PointsQuerySet)


class PointsEntry(BaseModel):
    """The points ledger: earned on approved hours, spent by recorded exchanges. Append-only."""

    volunteer = models.ForeignKey(
        VolunteerProfile,
        on_delete=models.PROTECT,
        related_name="points_entries",
        verbose_name=_("volunteer"),
    )
    kind = models.CharField(_("kind"), max_length=16, choices=PointsKind.choices)
    # Signed effect on the balance: earned +, exchanged −.
    points = models.IntegerField(_("points"))
    balance_after = models.IntegerField(_("balance after"))
    hours = models.OneToOneField(
        ServiceHours,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="points_entry",
        verbose_name=_("service hours"),
    )
    item = models.CharField(_("item"), max_length=100, blank=True, validators=[single_line_text])
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )

    objects = PointsManager()
    scope_rule = _rule("volunteer__team__", "volunteer__user")

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("points entry")
        verbose_name_plural = _("points entries")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(balance_after__gte=0),
                name="volunteers_points_entry_not_negative",
            )
        ]

    def __str__(self):
        return f"{self.volunteer} {self.points:+d}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise ValidationError(_("Points entries are never changed."))
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValidationError(_("Points entries are never deleted."))


class Certificate(BaseModel):
    """A volunteer service record certificate (志愿服务记录证明, 民政部令第67号), as issued: the
    fields are copied when it is issued, so later changes do not alter a certificate."""

    volunteer = models.ForeignKey(
        VolunteerProfile,
        on_delete=models.PROTECT,
        related_name="certificates",
        verbose_name=_("volunteer"),
    )
    year = models.PositiveIntegerField(_("year"))
    sequence = models.PositiveIntegerField(_("sequence"))
    number = models.CharField(
        _("certificate number"), max_length=20, unique=True, validators=[single_line_text]
    )
    issued_on = models.DateField(_("date issued"))
    name = models.CharField(_("name"), max_length=50, validators=[single_line_text])
    id_type = models.CharField(_("ID type"), max_length=50, validators=[single_line_text])
    id_number_masked = models.CharField(
        _("ID number"), max_length=30, validators=[single_line_text]
    )
    volunteer_number = models.CharField(
        _("volunteer number"), max_length=20, validators=[single_line_text]
    )
    total_hours = models.DecimalField(_("total hours"), max_digits=8, decimal_places=1)
    # [{"activity": title, "date": "YYYY-MM-DD", "hours": "2.0"}, ...]
    services = models.JSONField(_("service content"), default=list)
    issuer = models.CharField(
        _("issuing organisation"), max_length=100, validators=[single_line_text]
    )
    person_in_charge = models.CharField(
        _("person in charge"), max_length=50, validators=[single_line_text, visible_text]
    )
    handler = models.CharField(
        _("handler"), max_length=50, validators=[single_line_text, visible_text]
    )
    handler_contact = models.CharField(
        _("handler's contact"), max_length=50, validators=[single_line_text, visible_text]
    )
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("issued by"),
    )

    objects = ScopedManager()
    scope_rule = _rule("volunteer__team__", "volunteer__user")

    class Meta:
        ordering = ["-year", "-sequence"]
        verbose_name = _("volunteer service certificate")
        verbose_name_plural = _("volunteer service certificates")
        constraints = [
            models.UniqueConstraint(fields=["year", "sequence"], name="volunteers_cert_sequence")
        ]

    def __str__(self):
        return self.number
