"""Continuing-education entries on a talent profile: the evidence (decrypted for those who read
the profile, each download in the access log) and the keepers' review. Thin, like views.py."""

import io

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from shegong.core.access import log_access
from shegong.core.forms import apply_service_errors
from shegong.core.models import AccessLog
from shegong.core.scope import CHANGE
from shegong.core.sealed_files import read_plain, stored_extension
from shegong.talent.forms import CpdReviewForm
from shegong.talent.models import CpdEntry
from shegong.talent.services.profiles import cpd_review as review_entry


def entry_for_user_or_404(user, profile_pk, entry_pk, *actions) -> CpdEntry:
    """One entry of one profile, through the profile's scope: out of scope, on another
    profile, or missing are the same 404."""
    return CpdEntry.objects.select_related("profile__person").get_for_user_or_404(
        user, *actions, pk=entry_pk, profile_id=profile_pk
    )


@login_required
@require_GET
def cpd_evidence(request, pk, entry_pk):
    """The entry's evidence, decrypted, for whoever reads the profile (the worker, their
    agency's leads, the street and the district); each download goes to the access log, as
    for application forms: a certificate carries personal data."""
    entry = entry_for_user_or_404(request.user, pk, entry_pk)
    if not entry.evidence:
        raise Http404
    try:
        content = read_plain(entry.evidence)
    except OSError as exc:
        raise Http404 from exc
    log_access(
        user=request.user,
        action=AccessLog.Action.OPEN,
        obj=entry,
        detail="evidence",
        request=request,
    )
    # The stored name is random; the download is named after the entry.
    extension = stored_extension(entry.evidence) or "pdf"
    return FileResponse(
        io.BytesIO(content), as_attachment=True, filename=f"cpd-{entry.pk}.{extension}"
    )


@login_required
@require_POST
def cpd_review(request, pk, entry_pk):
    """A keeper accepts the hours or says why not; errors show on the profile page next to the
    entry's form, with what was typed."""
    from shegong.talent.views import profile_page

    entry = entry_for_user_or_404(request.user, pk, entry_pk, CHANGE)
    form = CpdReviewForm(request.POST)
    if form.is_valid():
        try:
            review_entry(actor=request.user, entry=entry, **form.cleaned_data)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("Your decision on the hours is recorded."))
            return redirect("talent:profile_detail", pk=pk)
    return profile_page(request, pk, review_form=form, review_entry=entry.pk, status=400)
