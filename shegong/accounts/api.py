from django.contrib.auth import authenticate
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Router, Schema
from ninja.errors import HttpError

from shegong.accounts.models import ApiToken
from shegong.accounts.services import token_issue, token_revoke
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


class TokenInfo(Schema):
    id: int
    name: str
    hint: str
    created_at: str
    last_used_at: str | None
    revoked: bool


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
    # authenticate() goes through django-axes, so the API shares the login lockout.
    user = authenticate(request, username=payload.username, password=payload.password)
    if user is None or not user.is_active:
        raise HttpError(401, _("Wrong username or password, or the account is locked."))
    token, raw = token_issue(user=user, name=payload.name)
    return 201, {"id": token.pk, "token": raw, "name": token.name}


@router.get("/auth/tokens", response=list[TokenInfo], summary="My API tokens")
def list_tokens(request):
    return [
        {
            "id": t.pk,
            "name": t.name,
            "hint": t.hint,
            "created_at": t.created_at.isoformat(),
            "last_used_at": t.last_used_at.isoformat() if t.last_used_at else None,
            "revoked": t.revoked_at is not None,
        }
        for t in request.auth.api_tokens.all()
    ]


@router.delete("/auth/tokens/{token_id}", response={204: None}, summary="Revoke an API token")
def revoke_token(request, token_id: int):
    token = get_object_or_404(ApiToken, pk=token_id, user=request.auth)
    token_revoke(actor=request.auth, token=token)
    return 204, None


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
