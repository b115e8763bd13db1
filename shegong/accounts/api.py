from django.contrib.auth import authenticate
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status
from ninja.errors import HttpError
from ninja.pagination import paginate

from shegong.accounts.choices import NodeKind, Role
from shegong.accounts.filters import UserFilter
from shegong.accounts.models import ApiToken
from shegong.accounts.selectors import (
    assignment_for_admin_or_404,
    resolve_node,
    user_for_admin_or_404,
    users_for_admin,
)
from shegong.accounts.services import (
    is_user_admin,
    role_grant,
    role_revoke,
    token_issue,
    token_revoke,
    user_create,
)
from shegong.api.filters import valid_filterset
from shegong.api.ratelimit import limit_anonymous
from shegong.core.scope import user_assignments

router = Router(tags=["accounts"])


class TokenIn(Schema):
    username: str
    password: str
    name: str = ""


class TokenOut(Schema):
    id: int
    token: str
    name: str
    expires_at: str


class TokenInfo(Schema):
    id: int
    name: str
    hint: str
    created_at: str
    last_used_at: str | None
    expires_at: str | None
    revoked: bool
    usable: bool


class AssignmentOut(Schema):
    role: str
    role_label: str
    node_kind: str
    node_id: int
    node_name: str


class MeOut(Schema):
    id: int
    username: str
    display_name: str
    roles: list[AssignmentOut]


@router.post("/auth/token", auth=None, response={201: TokenOut}, summary="Issue an API token")
def issue_token(request, payload: TokenIn):
    """A token valid for SHEGONG_API_TOKEN_DAYS; a password change or deactivation revokes it."""
    limit_anonymous(request, group="token")
    # authenticate() goes through django-axes, so the API shares the login lockout.
    user = authenticate(request, username=payload.username, password=payload.password)
    if user is None or not user.is_active:
        raise HttpError(401, _("Wrong username or password, or the account is locked."))
    token, raw = token_issue(user=user, name=payload.name)
    return Status(
        201,
        {
            "id": token.pk,
            "token": raw,
            "name": token.name,
            "expires_at": token.expires_at.isoformat(),
        },
    )


@router.get("/auth/tokens", response=list[TokenInfo], summary="My API tokens")
def list_tokens(request):
    return [
        {
            "id": t.pk,
            "name": t.name,
            "hint": t.hint,
            "created_at": t.created_at.isoformat(),
            "last_used_at": t.last_used_at.isoformat() if t.last_used_at else None,
            "expires_at": t.expires_at.isoformat() if t.expires_at else None,
            "revoked": t.revoked_at is not None,
            "usable": t.is_usable,
        }
        for t in ApiToken.objects.for_user(request.auth)
    ]


@router.delete("/auth/tokens/{token_id}", response={204: None}, summary="Revoke an API token")
def revoke_token(request, token_id: int):
    token = ApiToken.objects.get_for_user_or_404(request.auth, pk=token_id)
    token_revoke(actor=request.auth, token=token)
    return Status(204, None)


@router.get("/me", response=MeOut, summary="The signed-in user and their roles")
def me(request):
    user = request.auth
    return {
        "id": user.pk,
        "username": user.username,
        "display_name": str(user),
        "roles": [
            {
                "role": a.role,
                "role_label": str(a.get_role_display()),
                "node_kind": a.node_kind,
                "node_id": a.node.pk,
                "node_name": str(a.node),
            }
            for a in user_assignments(user)
        ],
    }


# --- User administration: the /accounts/users/ pages, same scope and services -------------


class ScopedAssignmentOut(Schema):
    id: int
    role: str
    role_label: str
    node_kind: str
    node_id: int
    node_name: str
    is_active: bool


class UserOut(Schema):
    id: int
    username: str
    display_name: str
    email: str
    is_active: bool
    roles: list[ScopedAssignmentOut]

    @staticmethod
    def resolve_roles(obj):
        # Only the assignments inside the caller's scope (prefetched by users_for_admin).
        return [_assignment_out(a) for a in obj.scoped_assignments]


class UserFilterIn(Schema):
    q: str | None = None
    role: Role | None = None
    active: bool | None = None
    sort: str | None = Field(
        None, description="username, display_name, is_active, date_joined; '-' descends"
    )


class UserCreateIn(Schema):
    username: str
    password: str
    display_name: str = ""
    email: str = ""


class GrantIn(Schema):
    role: Role
    node_kind: NodeKind
    node_id: int


def _assignment_out(a) -> dict:
    return {
        "id": a.pk,
        "role": a.role,
        "role_label": str(a.get_role_display()),
        "node_kind": a.node_kind,
        "node_id": a.node.pk,
        "node_name": str(a.node),
        "is_active": a.is_active,
    }


def _require_admin(user):
    if not is_user_admin(user):
        raise PermissionDenied


@router.get("/users", response=list[UserOut], summary="Users I administer")
@paginate
def list_users(request, filters: Query[UserFilterIn]):
    _require_admin(request.auth)
    users = users_for_admin(request.auth)
    return valid_filterset(UserFilter, filters, queryset=users, request=request).qs


@router.post("/users", response={201: UserOut}, summary="Create a user")
def create_user(request, payload: UserCreateIn):
    _require_admin(request.auth)
    user = user_create(actor=request.auth, **payload.dict())
    return Status(201, user_for_admin_or_404(request.auth, user.pk))


@router.get("/users/{user_id}", response=UserOut, summary="One user I administer")
def get_user(request, user_id: int):
    _require_admin(request.auth)
    return user_for_admin_or_404(request.auth, user_id)


@router.post("/users/{user_id}/roles", response={201: ScopedAssignmentOut}, summary="Grant a role")
def grant_role(request, user_id: int, payload: GrantIn):
    _require_admin(request.auth)
    user = user_for_admin_or_404(request.auth, user_id)
    node = resolve_node(payload.node_kind, payload.node_id)
    if node is None:
        raise ValidationError({"node_id": [_("Choose where the role applies.")]})
    assignment = role_grant(actor=request.auth, user=user, role=payload.role, node=node)
    return Status(201, _assignment_out(assignment))


@router.delete(
    "/users/{user_id}/roles/{assignment_id}", response={204: None}, summary="Revoke a role"
)
def revoke_role(request, user_id: int, assignment_id: int):
    _require_admin(request.auth)
    user = user_for_admin_or_404(request.auth, user_id)
    assignment = assignment_for_admin_or_404(request.auth, user, assignment_id)
    role_revoke(actor=request.auth, assignment=assignment)
    return Status(204, None)
