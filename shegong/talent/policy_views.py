"""Editing a published policy (the district's administrators). Thin, like views.py: the form,
then ``services.policies.policy_update``, which decides what may still change."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from shegong.core.forms import apply_service_errors
from shegong.core.scope import CHANGE
from shegong.talent import selectors
from shegong.talent.forms import EDIT_ERROR_FIELDS, PolicyEditForm
from shegong.talent.models import Application
from shegong.talent.services.policies import LOCKED_WHEN_APPLIED, may_keep_policies, policy_update


def _on_the_page(error: ValidationError) -> ValidationError:
    """The service's keys as the page's fields: ``amounts.senior`` → ``amount_senior``,
    ``steps`` → the chain, ``criteria`` → the first criterion's field."""
    renamed: dict[str, list[str]] = {}
    for key, messages_ in error.message_dict.items():
        if key.startswith("amounts."):
            field = "amount_" + key.split(".", 1)[1]
        else:
            field = EDIT_ERROR_FIELDS.get(key, key)
        renamed.setdefault(field, []).extend(messages_)
    return ValidationError(renamed)


@login_required
def policy_edit(request, pk):
    if not may_keep_policies(request.user):
        raise PermissionDenied
    policy = selectors.policy_for_user_or_404(request.user, pk, CHANGE)
    form = PolicyEditForm(request.POST or None, policy=policy)
    if request.method == "POST" and form.is_valid():
        try:
            policy_update(actor=request.user, policy=policy, **form.service_data())
        except ValidationError as exc:
            apply_service_errors(form, _on_the_page(exc))
        else:
            messages.success(request, _("Policy saved."))
            return redirect("talent:policy_detail", pk=policy.pk)
    submitted = Application.objects.filter(policy=policy, submitted_at__isnull=False).count()
    if submitted:
        # Say on each locked field why, before the user tries (the service refuses anyway).
        for name in _locked_fields(form):
            form.fields[name].help_text = _("Locked: applications have been submitted.")
    return render(
        request,
        "talent/policy_edit.html",
        {"form": form, "policy": policy, "submitted": submitted},
    )


def _locked_fields(form) -> list[str]:
    from shegong.talent.forms import CRITERION_FIELDS

    names = {EDIT_ERROR_FIELDS.get(name, name) for name in LOCKED_WHEN_APPLIED}
    names |= {f"amount_{key}" for key in ("flat", "assistant", "intermediate", "senior")}
    names |= {"amount_leading", "amount_top"}
    names |= {field for field, _param in CRITERION_FIELDS.values()}
    return sorted(names & set(form.fields))
