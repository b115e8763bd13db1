"""Users, role assignments and API tokens."""

import hashlib
import secrets

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from shegong.accounts.choices import GRANTABLE_BY, NodeKind, Role
from shegong.core.models import BaseModel, TextNotNullMixin
from shegong.core.scope import (
    CHANGE,
    NOTHING,
    VIEW,
    ScopedManager,
    ScopedQuerySet,
    ScopeRule,
    user_assignments,
)
from shegong.core.validators import single_line_text, visible_text

USER_ADMINS = frozenset({Role.DISTRICT_ADMIN, Role.STREET_ADMIN, Role.AGENCY_ADMIN})


class User(TextNotNullMixin, AbstractUser):
    """A login. ``person`` links it to the real-name identity when there is one."""

    display_name = models.CharField(
        _("display name"), max_length=50, blank=True, validators=[single_line_text, visible_text]
    )
    person = models.OneToOneField(
        "people.Person",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="user_account",
        verbose_name=_("person"),
    )
    # Who made this login: an administrator keeps seeing the users they created even before
    # (or after) any role of theirs falls inside the administrator's scope.
    created_by = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self):
        return self.display_name or self.get_full_name() or self.username

    def save(self, *args, **kwargs):
        # set_password() leaves the raw value in _password until the save; whoever changes a
        # password (the user, an administrator, `manage.py changepassword`) or deactivates the
        # login ends every API token of it, as the session already ends.
        password_changed = self._password is not None
        super().save(*args, **kwargs)
        if password_changed or not self.is_active:
            now = timezone.now()
            for token in self.api_tokens.filter(revoked_at__isnull=True):
                token.revoked_at = now
                token.save(update_fields=["revoked_at", "updated_at"])


class RoleAssignmentQuerySet(ScopedQuerySet):
    """``for_user`` for role assignments, which sit at any of four node kinds.

    A ScopeRule follows one path per level, but an assignment may hang on the district, a
    street, a community or an agency, so the generic filter would miss e.g. a street admin's own
    colleagues bound to the street itself. This widens it to "every assignment at or below one
    of the administrator's nodes" and, for CHANGE, narrows it to the roles that administrator may
    grant (see choices.GRANTABLE_BY), so that the list of revocable rows is exactly what the
    service accepts.
    """

    def for_user(self, user, action: str = VIEW):
        if action not in (VIEW, CHANGE):
            raise ValueError(f"Unknown scope action {action!r}")
        if not getattr(user, "is_authenticated", False) or not user.is_active:
            return self.filter(NOTHING)
        if user.is_superuser:
            return self.all()
        q = NOTHING
        for admin in user_assignments(user):
            if admin.role not in USER_ADMINS:
                continue
            reach = _assignments_below(admin)
            if action == CHANGE:
                reach &= Q(role__in=[str(r) for r in GRANTABLE_BY.get(admin.role, ())])
            q |= reach
        return self.filter(q)


def _assignments_below(admin) -> Q:
    if admin.district_id:
        d = admin.district_id
        return (
            Q(district_id=d)
            | Q(street__district_id=d)
            | Q(community__street__district_id=d)
            | Q(agency__community__street__district_id=d)
        )
    if admin.street_id:
        s = admin.street_id
        return Q(street_id=s) | Q(community__street_id=s) | Q(agency__community__street_id=s)
    if admin.community_id:
        return Q(community_id=admin.community_id)
    if admin.agency_id:
        return Q(agency_id=admin.agency_id)
    return NOTHING


class RoleAssignment(BaseModel):
    """A role bound to exactly one node of the scope tree."""

    user = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="role_assignments", verbose_name=_("user")
    )
    role = models.CharField(_("role"), max_length=32, choices=Role.choices)
    district = models.ForeignKey(
        "places.District",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("district"),
    )
    street = models.ForeignKey(
        "places.Street",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("street"),
    )
    community = models.ForeignKey(
        "places.Community",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("community"),
    )
    agency = models.ForeignKey(
        "agencies.Agency",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="role_assignments",
        verbose_name=_("agency"),
    )
    is_active = models.BooleanField(_("active"), default=True)
    granted_by = models.ForeignKey(
        User,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("granted by"),
    )

    objects = models.Manager.from_queryset(RoleAssignmentQuerySet)()
    # Administrators see assignments at or below their node (RoleAssignmentQuerySet.for_user);
    # the rule's roles still drive ``can()`` and the navigation.
    scope_rule = ScopeRule(
        roles={"view": USER_ADMINS, "change": USER_ADMINS},
        community="community",
        agency="agency",
    )

    class Meta:
        ordering = ["user_id", "role"]
        verbose_name = _("role assignment")
        verbose_name_plural = _("role assignments")
        constraints = [
            models.CheckConstraint(
                name="role_assignment_one_node",
                condition=(
                    Q(
                        district__isnull=False,
                        street__isnull=True,
                        community__isnull=True,
                        agency__isnull=True,
                    )
                    | Q(
                        district__isnull=True,
                        street__isnull=False,
                        community__isnull=True,
                        agency__isnull=True,
                    )
                    | Q(
                        district__isnull=True,
                        street__isnull=True,
                        community__isnull=False,
                        agency__isnull=True,
                    )
                    | Q(
                        district__isnull=True,
                        street__isnull=True,
                        community__isnull=True,
                        agency__isnull=False,
                    )
                ),
            ),
        ]

    def __str__(self):
        return f"{self.get_role_display()} @ {self.node}"

    @property
    def node_kind(self) -> str:
        for kind in (NodeKind.DISTRICT, NodeKind.STREET, NodeKind.COMMUNITY, NodeKind.AGENCY):
            if getattr(self, f"{kind}_id"):
                return kind
        return ""

    @property
    def node(self):
        return getattr(self, self.node_kind) if self.node_kind else None


def hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


class ApiToken(BaseModel):
    """A bearer token for the API. Only its SHA-256 is stored; the raw value is shown once."""

    PREFIX = "sg_"

    user = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="api_tokens", verbose_name=_("user")
    )
    name = models.CharField(
        _("name"), max_length=100, blank=True, validators=[single_line_text, visible_text]
    )
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    hint = models.CharField(_("ends with"), max_length=8, editable=False)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)
    expires_at = models.DateTimeField(_("expires"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    objects = ScopedManager()
    scope_rule = ScopeRule(roles={}, own="user", owner_only=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self):
        return f"{self.name or 'token'} …{self.hint}"

    @classmethod
    def generate(cls) -> str:
        return cls.PREFIX + secrets.token_urlsafe(32)

    @property
    def is_usable(self) -> bool:
        if self.revoked_at is not None:
            return False
        return self.expires_at is None or self.expires_at > timezone.now()
