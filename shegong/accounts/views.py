"""User administration and API tokens. Logout and password pages are Django's own; the login
page is too, plus a sign-in event in the access log."""

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import LoginView
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from shegong.accounts.filters import UserFilter
from shegong.accounts.forms import LoginForm, RoleGrantForm, TokenCreateForm, UserCreateForm
from shegong.accounts.models import ApiToken, RoleAssignment, User
from shegong.accounts.selectors import (
    assignment_for_admin_or_404,
    tokens_of,
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
from shegong.core.access import log_sign_in
from shegong.core.forms import apply_service_errors
from shegong.core.lists import Column, headers, page_of
from shegong.core.ordering import field_label
from shegong.core.scope import CHANGE

# Sort keys are the UserFilter's (``?sort=``).
USER_COLUMNS = [
    Column(field_label(User, "username"), sort="username"),
    Column(field_label(User, "display_name"), sort="display_name"),
    Column(gettext_lazy("Roles")),
    Column(field_label(User, "is_active"), sort="is_active"),
    Column(field_label(User, "date_joined"), sort="date_joined"),
]


class SignInView(LoginView):
    """Django's login page; each sign-in is recorded in the access log with its address."""

    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True

    def form_valid(self, form):
        response = super().form_valid(form)
        log_sign_in(self.request, form.get_user())
        return response


def _require_admin(user):
    if not is_user_admin(user):
        raise PermissionDenied


@login_required
def user_list(request):
    _require_admin(request.user)
    filterset = UserFilter(request.GET, queryset=users_for_admin(request.user), request=request)
    page_obj = page_of(request, filterset.qs)
    for account in page_obj:
        # Only the active roles among those the admin may see (users_for_admin prefetches them).
        account.active_roles = [a for a in account.scoped_assignments if a.is_active]
    context = {
        "filter": filterset,
        "page_obj": page_obj,
        "headers": headers(request, USER_COLUMNS),
    }
    template = "accounts/_user_table.html" if request.htmx else "accounts/user_list.html"
    return render(request, template, context)


@login_required
def user_create_view(request):
    _require_admin(request.user)
    form = UserCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user = user_create(actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(
                request, _("User %(name)s created. Now grant a role.") % {"name": user.username}
            )
            return redirect("accounts:user_detail", pk=user.pk)
    return render(request, "accounts/user_form.html", {"form": form})


@login_required
def user_detail(request, pk):
    _require_admin(request.user)
    managed = user_for_admin_or_404(request.user, pk)
    form = RoleGrantForm(request.POST or None, admin=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            assignment = role_grant(
                actor=request.user,
                user=managed,
                role=form.cleaned_data["role"],
                node=form.cleaned_data["node"],
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("Granted: %(role)s.") % {"role": assignment})
            return redirect("accounts:user_detail", pk=managed.pk)
    revocable = set(
        RoleAssignment.objects.for_user(request.user, CHANGE)
        .filter(user=managed, is_active=True)
        .exclude(user=request.user)
        .values_list("pk", flat=True)
    )
    return render(
        request,
        "accounts/user_detail.html",
        {"managed": managed, "form": form, "revocable": revocable},
    )


@login_required
@require_POST
def role_revoke_view(request, pk, assignment_pk):
    _require_admin(request.user)
    managed = user_for_admin_or_404(request.user, pk)
    assignment = assignment_for_admin_or_404(request.user, managed, assignment_pk)
    try:
        role_revoke(actor=request.user, assignment=assignment)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("Revoked: %(role)s.") % {"role": assignment})
    return redirect("accounts:user_detail", pk=managed.pk)


@login_required
def token_list(request):
    """The user's own API tokens. A new token's raw value is rendered in this one response only."""
    form = TokenCreateForm(request.POST or None)
    new_token = None
    if request.method == "POST" and form.is_valid():
        days = form.cleaned_data["expires_in_days"]
        expires_at = timezone.now() + datetime.timedelta(days=days)
        try:
            token, raw = token_issue(
                user=request.user, name=form.cleaned_data["name"], expires_at=expires_at
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            new_token = {"token": token, "raw": raw}
            form = TokenCreateForm()
    response = render(
        request,
        "accounts/token_list.html",
        {"form": form, "tokens": tokens_of(request.user), "new_token": new_token},
    )
    if new_token:
        response["Cache-Control"] = "no-store"
    return response


@login_required
@require_POST
def token_revoke_view(request, pk):
    token = ApiToken.objects.get_for_user_or_404(request.user, pk=pk)
    token_revoke(actor=request.user, token=token)
    messages.success(request, _("Token %(name)s revoked.") % {"name": token})
    return redirect("accounts:token_list")
