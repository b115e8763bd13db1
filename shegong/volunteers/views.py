from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from shegong.core import checkin
from shegong.core.exports import xlsx_response
from shegong.core.forms import apply_service_errors
from shegong.core.lists import Column, headers, page_of
from shegong.core.ordering import field_label
from shegong.core.scope import CHANGE
from shegong.volunteers import selectors, services
from shegong.volunteers.exports import volunteers_xlsx
from shegong.volunteers.forms import (
    CertificateForm,
    DecisionForm,
    ExchangeForm,
    HoursEntryForm,
    RegisterForm,
    ShiftForm,
    TeamForm,
    VolunteerEditForm,
)
from shegong.volunteers.models import VolunteerProfile, VolunteerTeam

COLUMNS = [
    Column(field_label(VolunteerProfile, "number"), sort="number"),
    Column(gettext_lazy("Name"), sort="name"),
    Column(field_label(VolunteerProfile, "team"), sort="team"),
    Column(field_label(VolunteerProfile, "skills")),
    Column(field_label(VolunteerProfile, "status"), sort="status"),
    Column(gettext_lazy("Approved hours"), sort="hours", css="text-end"),
    Column(field_label(VolunteerProfile, "points_balance"), sort="points", css="text-end"),
]


TEAM_COLUMNS = [
    Column(field_label(VolunteerTeam, "name"), sort="name"),
    Column(field_label(VolunteerTeam, "community"), sort="community"),
    Column(gettext_lazy("Run by")),
    Column(gettext_lazy("Volunteers"), sort="volunteers", css="text-end"),
]


def _require_lister(user):
    if not selectors.may_list(user):
        raise PermissionDenied


def _filtered(request):
    filterset = selectors.volunteer_filter(request.user, request.GET)
    rows = filterset.qs if filterset.is_valid() else filterset.queryset.none()
    return filterset, rows


@login_required
def volunteer_list(request):
    _require_lister(request.user)
    filterset, rows = _filtered(request)
    context = {
        "filter": filterset,
        "page_obj": page_of(request, rows),
        "headers": headers(request, COLUMNS),
        "query": request.GET.urlencode(),
        "may_manage": services.may_manage(request.user),
    }
    template = (
        "volunteers/_volunteer_table.html" if request.htmx else "volunteers/volunteer_list.html"
    )
    return render(request, template, context)


@login_required
def volunteer_export(request):
    _require_lister(request.user)
    _filterset, rows = _filtered(request)
    content = volunteers_xlsx(
        rows.order_by("number"),
        user=request.user,
        request=request,
        filters=request.GET.urlencode(),
    )
    return xlsx_response(content, "volunteers")


def _profile_context(request, profile, **forms):
    may_change = selectors.may_change(request.user, profile)
    # The same gate as the API's "staff enter hours": a viewer of the profile who manages.
    may_enter_hours = services.may_manage(request.user)
    return {
        "profile": profile,
        "person": profile.person,
        "hours": selectors.hours_of(profile)[:100],
        "points": selectors.points_of(profile)[:100],
        "certificates": selectors.certificates_of(profile),
        "signups": selectors.signups_of(profile)[:50],
        "may_change": may_change,
        "exchange_form": forms.get("exchange_form") or ExchangeForm(prefix="exchange"),
        "certificate_form": forms.get("certificate_form") or CertificateForm(prefix="cert"),
        "may_enter_hours": may_enter_hours,
        "hours_form": (forms.get("hours_form") or _hours_form(request))
        if may_enter_hours
        else None,
    }


def _hours_form(request, data=None):
    return HoursEntryForm(data, prefix="hours", activities=services.hours_activities(request.user))


@login_required
def volunteer_detail(request, pk):
    profile = selectors.volunteer_for_user_or_404(request.user, pk)
    return render(request, "volunteers/volunteer_detail.html", _profile_context(request, profile))


@login_required
def my_profile(request):
    profile = services.own_profile(request.user)
    if profile is None:
        raise PermissionDenied
    return redirect("volunteers:detail", pk=profile.pk)


@login_required
def points_exchange(request, pk):
    profile = selectors.volunteer_for_user_or_404(request.user, pk, CHANGE)
    form = ExchangeForm(request.POST or None, prefix="exchange")
    if request.method == "POST" and form.is_valid():
        try:
            services.points_exchange(actor=request.user, volunteer=profile, **form.cleaned_data)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("Exchange recorded."))
            return redirect("volunteers:detail", pk=profile.pk)
    context = _profile_context(request, profile, exchange_form=form)
    return render(request, "volunteers/volunteer_detail.html", context)


@login_required
def certificate_issue(request, pk):
    profile = selectors.volunteer_for_user_or_404(request.user, pk, CHANGE)
    form = CertificateForm(request.POST or None, prefix="cert")
    if request.method == "POST" and form.is_valid():
        try:
            certificate = services.certificate_issue(
                actor=request.user, volunteer=profile, **form.cleaned_data
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("Certificate %(n)s issued.") % {"n": certificate.number})
            return redirect("volunteers:certificate", pk=certificate.pk)
    context = _profile_context(request, profile, certificate_form=form)
    return render(request, "volunteers/volunteer_detail.html", context)


@login_required
def certificate_detail(request, pk):
    certificate = selectors.certificate_for_user_or_404(request.user, pk)
    return render(request, "volunteers/certificate.html", {"certificate": certificate})


@login_required
def shift_list(request):
    """The volunteer's phone page: shifts to sign up for and their own sign-ups. Staff see the
    upcoming shifts of their scope, each opening its sign-ups and check-in code."""
    volunteer = selectors.may_use_shifts(request.user)
    if not (volunteer or selectors.may_list(request.user)):
        raise PermissionDenied
    mine = {s.shift_id: s for s in selectors.my_upcoming_signups(request.user)} if volunteer else {}
    shifts = list(selectors.upcoming_shifts(request.user)[:100])
    return render(
        request,
        "volunteers/shift_list.html",
        {
            "shifts": shifts,
            "mine": mine,
            "profile": services.own_profile(request.user),
            "may_manage": services.may_manage(request.user),
        },
    )


@login_required
def shift_detail(request, pk):
    shift = selectors.shift_for_user_or_404(request.user, pk)
    return render(
        request,
        "volunteers/shift_detail.html",
        {
            "shift": shift,
            "signups": selectors.signups_of_shift(shift),
            "may_change": selectors.may_change(request.user, shift),
        },
    )


@login_required
def shift_create(request):
    if not services.may_manage(request.user):
        raise PermissionDenied
    form = ShiftForm(request.POST or None, sessions=selectors.sessions_for_shifts(request.user))
    if request.method == "POST" and form.is_valid():
        try:
            shift = services.shift_create(actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("Shift added."))
            return redirect("volunteers:shift", pk=shift.pk)
    return render(request, "volunteers/shift_form.html", {"form": form})


@login_required
@require_POST
def shift_sign_up(request, pk):
    if not selectors.may_use_shifts(request.user):
        raise PermissionDenied
    shift = selectors.shift_for_sign_up_or_404(request.user, pk)
    try:
        services.signup_self(user=request.user, shift=shift)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("Signed up for %(shift)s.") % {"shift": shift.title})
    return redirect("volunteers:shifts")


@login_required
@require_POST
def signup_cancel(request, pk):
    signup = selectors.signup_for_user_or_404(request.user, pk)
    try:
        services.signup_cancel(actor=request.user, signup=signup)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("Sign-up cancelled."))
    if selectors.may_use_shifts(request.user):
        return redirect("volunteers:shifts")
    return redirect("volunteers:detail", pk=signup.volunteer_id)


@login_required
def shift_qr(request, pk):
    """The shift's check-in link and QR code, to project or print at the session."""
    shift = selectors.shift_for_user_or_404(request.user, pk, CHANGE)
    token = checkin.issue_token(shift)
    url = request.build_absolute_uri(checkin.checkin_path(token))
    return render(
        request,
        "volunteers/shift_qr.html",
        {"shift": shift, "checkin_url": url, "qr": checkin.qr_svg(url)},
    )


@login_required
def hours_queue(request):
    if not services.may_manage(request.user):
        raise PermissionDenied
    rows = selectors.hours_queue(request.user)
    return render(
        request,
        "volunteers/hours_queue.html",
        {"page_obj": page_of(request, rows), "form": DecisionForm()},
    )


@login_required
@require_POST
def hours_decide(request, pk):
    hours = selectors.hours_for_user_or_404(request.user, pk, CHANGE)
    form = DecisionForm(request.POST)
    to = form.cleaned_data["to"] if form.is_valid() else ""
    note = form.cleaned_data.get("decision_note", "") if form.is_valid() else ""
    try:
        services.hours_decide(actor=request.user, hours=hours, to=to, note=note)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("Decision recorded."))
    return redirect("volunteers:hours_queue")


# --- registering, editing, teams, hours entered by staff ---------------------------------------


def _require_manager(user):
    if not services.may_manage(user):
        raise PermissionDenied


@login_required
def volunteer_register(request):
    """Choose a person in view (search, or the last registered), then the team and skills."""
    _require_manager(request.user)
    people = selectors.registrable_people(request.user)
    person_pk = request.POST.get("person") or request.GET.get("person")
    chosen = None
    if person_pk:
        chosen = people.filter(pk=person_pk).first() if str(person_pk).isdecimal() else None
        if chosen is None and request.method == "GET":
            raise Http404
    form = RegisterForm(
        request.POST or None,
        people=people,
        teams=services.managed_teams(request.user),
        initial={"person": chosen},
    )
    if request.method == "POST" and form.is_valid():
        try:
            profile = services.volunteer_register(actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(
                request, _("Volunteer %(number)s registered.") % {"number": profile.number}
            )
            return redirect("volunteers:detail", pk=profile.pk)
    query = request.GET.get("q", "").strip()
    context = {
        "form": form,
        "person": chosen,
        "query": query,
        "matches": selectors.register_matches(request.user, query) if chosen is None else [],
    }
    return render(request, "volunteers/volunteer_register.html", context)


@login_required
def volunteer_edit(request, pk):
    """Team, skills and status: the PATCH of the API, behind the same CHANGE scope."""
    profile = selectors.volunteer_for_user_or_404(request.user, pk, CHANGE)
    form = VolunteerEditForm(
        request.POST or None,
        teams=services.managed_teams(request.user),
        initial={"team": profile.team, "skills": profile.skills, "status": profile.status},
    )
    if request.method == "POST" and form.is_valid():
        # Only what changed, as a PATCH sends it.
        data = {name: form.cleaned_data[name] for name in form.changed_data}
        try:
            services.volunteer_update(actor=request.user, profile=profile, **data)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("Volunteer %(number)s saved.") % {"number": profile.number})
            return redirect("volunteers:detail", pk=profile.pk)
    return render(request, "volunteers/volunteer_form.html", {"form": form, "profile": profile})


@login_required
def hours_enter(request, pk):
    """Staff enter hours on the volunteer's page; they await approval like checked-in hours."""
    profile = selectors.volunteer_for_user_or_404(request.user, pk)
    _require_manager(request.user)
    form = _hours_form(request, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            record = services.hours_enter(
                actor=request.user, volunteer=profile, **form.cleaned_data
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(
                request,
                _("%(hours)s hours entered: they await approval.") % {"hours": record.hours},
            )
            return redirect("volunteers:detail", pk=profile.pk)
    context = _profile_context(request, profile, hours_form=form)
    return render(request, "volunteers/volunteer_detail.html", context)


@login_required
def team_list(request):
    _require_lister(request.user)
    filterset = selectors.team_filter(request.user, request.GET)
    rows = filterset.qs if filterset.is_valid() else filterset.queryset.none()
    context = {
        "filter": filterset,
        "page_obj": page_of(request, rows),
        "headers": headers(request, TEAM_COLUMNS),
        "may_manage": services.may_manage(request.user),
    }
    template = "volunteers/_team_table.html" if request.htmx else "volunteers/team_list.html"
    return render(request, template, context)


@login_required
def team_create(request):
    _require_manager(request.user)
    form = TeamForm(
        request.POST or None,
        communities=services.team_communities(request.user),
        agencies=services.team_agencies(request.user),
        community_teams=services.keeps_community_teams(request.user),
    )
    if request.method == "POST" and form.is_valid():
        try:
            team = services.team_create(actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("Team %(name)s added.") % {"name": team.name})
            return redirect("volunteers:teams")
    return render(request, "volunteers/team_form.html", {"form": form})
