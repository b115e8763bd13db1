"""Writes to accounts: users, role grants, API tokens."""

import datetime

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from shegong.accounts.choices import GRANTABLE_BY, ROLE_NODE_KINDS, NodeKind, Role
from shegong.accounts.models import USER_ADMINS, ApiToken, RoleAssignment, User, hash_token
from shegong.core.audit import set_actor
from shegong.core.scope import user_assignments
from shegong.core.validators import validated_create


def _node_within(admin: RoleAssignment, kind: str, node) -> bool:
    """Whether ``node`` (of ``kind``) lies at or below the administrator's node."""
    if admin.district_id:
        if kind == NodeKind.DISTRICT:
            return node.pk == admin.district_id
        if kind == NodeKind.STREET:
            return node.district_id == admin.district_id
        if kind == NodeKind.COMMUNITY:
            return node.street.district_id == admin.district_id
        if kind == NodeKind.AGENCY:
            return node.community.street.district_id == admin.district_id
    if admin.street_id:
        if kind == NodeKind.STREET:
            return node.pk == admin.street_id
        if kind == NodeKind.COMMUNITY:
            return node.street_id == admin.street_id
    if admin.agency_id and kind == NodeKind.AGENCY:
        return node.pk == admin.agency_id
    return False


def is_user_admin(actor) -> bool:
    if not getattr(actor, "is_authenticated", False) or not actor.is_active:
        return False
    return actor.is_superuser or any(a.role in USER_ADMINS for a in user_assignments(actor))


def can_grant(actor: User, role: str, kind: str, node) -> bool:
    if actor.is_superuser:
        return True
    if node is None:
        return False
    return any(
        role in GRANTABLE_BY.get(admin.role, ()) and _node_within(admin, kind, node)
        for admin in user_assignments(actor)
    )


@transaction.atomic
def user_create(
    *, actor, username: str, password: str, display_name: str = "", email: str = ""
) -> User:
    if not is_user_admin(actor):
        raise PermissionDenied(_("You may not create users."))
    username = (username or "").strip()
    errors = {}
    if not username:
        errors["username"] = [_("Enter a username.")]
    elif User.objects.filter(username__iexact=username).exists():
        errors["username"] = [_("This username is taken.")]
    user = User(
        username=username,
        display_name=(display_name or "").strip(),
        email=(email or "").strip(),
        created_by=actor,
    )
    try:
        validate_password(password or "", user)
    except ValidationError as exc:
        errors["password"] = exc.messages
    if errors:
        raise ValidationError(errors)
    with set_actor(actor):
        user.set_password(password)
        user.full_clean(exclude=["password"])
        user.save()
    return user


@transaction.atomic
def role_grant(*, actor, user: User, role: str, node) -> RoleAssignment:
    """Give ``user`` a role at ``node``; only inside the granter's own scope."""
    if role not in Role.values:
        raise ValidationError({"role": [_("Choose a valid role.")]})
    kind = node._meta.model_name if node is not None else ""
    if kind not in ROLE_NODE_KINDS.get(role, ()):
        raise ValidationError({"node": [_("This role cannot be bound to that kind of place.")]})
    if not can_grant(actor, role, kind, node):
        raise ValidationError({"role": [_("You can only grant roles inside your own scope.")]})
    existing = RoleAssignment.objects.filter(user=user, role=role, **{kind: node}).first()
    with set_actor(actor):
        if existing:
            if not existing.is_active:
                existing.is_active = True
                existing.granted_by = actor
                existing.save(update_fields=["is_active", "granted_by", "updated_at"])
            return existing
        assignment = RoleAssignment(user=user, role=role, granted_by=actor, **{kind: node})
        assignment.full_clean()
        assignment.save()
    return assignment


@transaction.atomic
def role_revoke(*, actor, assignment: RoleAssignment) -> RoleAssignment:
    if assignment.user_id == actor.pk and not actor.is_superuser:
        # An administrator removing their own role could lock the scope out of administration.
        raise ValidationError({"role": [_("You cannot revoke your own role.")]})
    if not can_grant(actor, assignment.role, assignment.node_kind, assignment.node):
        raise ValidationError({"role": [_("You can only revoke roles inside your own scope.")]})
    with set_actor(actor):
        assignment.is_active = False
        assignment.save(update_fields=["is_active", "updated_at"])
    return assignment


@transaction.atomic
def token_issue(*, user: User, name: str = "", expires_at=None) -> tuple[ApiToken, str]:
    """Create a token; return it with the raw value, which is never stored or shown again.

    Every token expires: by default ``SHEGONG_API_TOKEN_DAYS`` from now."""
    if expires_at is None:
        expires_at = timezone.now() + datetime.timedelta(days=settings.SHEGONG_API_TOKEN_DAYS)
    raw = ApiToken.generate()
    with set_actor(user):
        token = validated_create(
            ApiToken,
            user=user,
            name=name.strip(),
            token_hash=hash_token(raw),
            hint=raw[-6:],
            expires_at=expires_at,
        )
    return token, raw


@transaction.atomic
def token_revoke(*, actor, token: ApiToken) -> ApiToken:
    if token.revoked_at is None:
        with set_actor(actor):
            token.revoked_at = timezone.now()
            token.save(update_fields=["revoked_at", "updated_at"])
    return token


def token_authenticate(raw: str) -> User | None:
    """The active user behind a usable token, or None. Touches ``last_used_at`` at most once a
    minute so that API traffic does not turn every read into a write."""
    if not raw or not raw.startswith(ApiToken.PREFIX):
        return None
    token = ApiToken.objects.select_related("user").filter(token_hash=hash_token(raw)).first()
    if token is None or not token.is_usable or not token.user.is_active:
        return None
    now = timezone.now()
    if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 60:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user
