from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from shegong.activities import selectors, services, state
from shegong.activities.exports import activities_xlsx
from shegong.activities.forms import ActivityForm, ContactForm, MarkForm, SessionForm, StageForm
from shegong.activities.models import Activity
from shegong.core import checkin
from shegong.core.exports import xlsx_response
from shegong.core.forms import apply_service_errors
from shegong.core.lists import Column, headers, page_of
from shegong.core.ordering import field_label
from shegong.core.scope import CHANGE, VIEW, can

COLUMNS = [
    Column(field_label(Activity, "title"), sort="title"),
    Column(field_label(Activity, "kind"), sort="kind"),
    Column(field_label(Activity, "category"), sort="category"),
    Column(field_label(Activity, "community"), sort="community"),
    Column(gettext_lazy("Organiser")),
    Column(field_label(Activity, "starts_on"), sort="starts_on"),
    Column(field_label(Activity, "stage"), sort="stage"),
    Column(gettext_lazy("Sessions"), sort="sessions", css="text-end"),
    Column(gettext_lazy("Person-times"), sort="person_times", css="text-end"),
]


def _require_viewer(user):
    if not can(user, Activity, VIEW):
        raise PermissionDenied


@login_required
def activity_list(request):
    _require_viewer(request.user)
    filterset = selectors.activity_filter(request.user, request.GET)
    rows = filterset.qs if filterset.is_valid() else filterset.queryset.none()
    context = {
        "filter": filterset,
        "page_obj": page_of(request, rows),
        "headers": headers(request, COLUMNS),
        "may_create": services.may_create_activity(request.user),
        "query": request.GET.urlencode(),
    }
    template = (
        "activities/_activity_table.html" if request.htmx else "activities/activity_list.html"
    )
    return render(request, template, context)


@login_required
def activity_export(request):
    _require_viewer(request.user)
    filterset = selectors.activity_filter(request.user, request.GET)
    rows = filterset.qs if filterset.is_valid() else filterset.queryset.none()
    content = activities_xlsx(
        rows.order_by("-starts_on", "id"),
        user=request.user,
        request=request,
        filters=request.GET.urlencode(),
    )
    return xlsx_response(content, "activities")


@login_required
def activity_create_view(request):
    if not services.may_create_activity(request.user):
        raise PermissionDenied
    form = ActivityForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            activity = services.activity_create(actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("Activity %(title)s created.") % {"title": activity.title})
            return redirect("activities:detail", pk=activity.pk)
    return render(request, "activities/activity_form.html", {"form": form, "activity": None})


@login_required
def activity_detail(request, pk):
    activity = selectors.activity_for_user_or_404(request.user, pk)
    return render(
        request,
        "activities/activity_detail.html",
        {
            "activity": activity,
            "sessions": selectors.sessions_of(activity),
            "pairing": selectors.pairing_of(request.user, activity),
            "project": selectors.project_of(request.user, activity),
            "delivered_needs": selectors.delivered_needs_of(request.user, activity),
            "may_change": selectors.may_change(request.user, activity),
            "moves": [
                (m, dict(Activity._meta.get_field("stage").choices)[m])
                for m in state.allowed_moves(activity)
            ],
        },
    )


@login_required
def activity_edit(request, pk):
    activity = selectors.activity_for_user_or_404(request.user, pk, CHANGE)
    form = ActivityForm(request.POST or None, instance=activity, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = {name: form.cleaned_data[name] for name in form.changed_data}
        try:
            services.activity_update(actor=request.user, activity=activity, **data)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("Activity %(title)s saved.") % {"title": activity.title})
            return redirect("activities:detail", pk=activity.pk)
    return render(request, "activities/activity_form.html", {"form": form, "activity": activity})


@login_required
@require_POST
def activity_stage(request, pk):
    activity = selectors.activity_for_user_or_404(request.user, pk, CHANGE)
    form = StageForm(request.POST)
    to = form.cleaned_data["to"] if form.is_valid() else ""
    try:
        services.activity_move_stage(actor=request.user, activity=activity, to=to)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(
            request, _("Stage changed to %(stage)s.") % {"stage": activity.get_stage_display()}
        )
    return redirect("activities:detail", pk=activity.pk)


@login_required
def session_create_view(request, pk):
    activity = selectors.activity_for_user_or_404(request.user, pk, CHANGE)
    form = SessionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            session = services.session_create(
                actor=request.user, activity=activity, **form.cleaned_data
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("Session added."))
            return redirect("activities:session", pk=session.pk)
    return render(request, "activities/session_form.html", {"form": form, "activity": activity})


def _session_context(request, session, **forms):
    token = checkin.issue_token(session)
    url = request.build_absolute_uri(checkin.checkin_path(token))
    may_change = selectors.may_change(request.user, session)
    return {
        "session": session,
        "activity": session.activity,
        "registrations": selectors.registrations_of(session),
        "attendances": selectors.attendances_of(session),
        "attended_ids": set(selectors.attendances_of(session).values_list("person_id", flat=True)),
        "may_change": may_change,
        "checkin_url": url,
        "qr": checkin.qr_svg(url) if may_change else "",
        "walk_in_form": forms.get("walk_in_form") or ContactForm(prefix="walkin"),
        "register_form": forms.get("register_form") or ContactForm(prefix="register"),
    }


@login_required
def session_detail(request, pk):
    session = selectors.session_for_user_or_404(request.user, pk)
    return render(request, "activities/session_detail.html", _session_context(request, session))


@login_required
def session_qr(request, pk):
    """The QR code alone, large, to project or print."""
    session = selectors.session_for_user_or_404(request.user, pk, CHANGE)
    return render(request, "activities/session_qr.html", _session_context(request, session))


@login_required
@require_POST
def session_mark(request, pk):
    session = selectors.session_for_user_or_404(request.user, pk, CHANGE)
    form = MarkForm(request.POST)
    registration = None
    if form.is_valid():
        registration = (
            selectors.registrations_of(session)
            .filter(person_id=form.cleaned_data["person"])
            .first()
        )
    try:
        if registration is None:
            raise ValidationError(_("Choose someone who signed up."))
        services.attendance_mark(actor=request.user, session=session, person=registration.person)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("Marked present."))
    return redirect("activities:session", pk=session.pk)


@login_required
def session_walk_in(request, pk):
    session = selectors.session_for_user_or_404(request.user, pk, CHANGE)
    form = ContactForm(request.POST or None, prefix="walkin")
    if request.method == "POST" and form.is_valid():
        try:
            _attendance, created = services.attendance_walk_in(
                actor=request.user, session=session, **form.cleaned_data
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(
                request, _("Marked present.") if created else _("Already checked in (已签到).")
            )
            return redirect("activities:session", pk=session.pk)
    return render(
        request,
        "activities/session_detail.html",
        _session_context(request, session, walk_in_form=form),
        status=200,
    )


@login_required
def session_register(request, pk):
    session = selectors.session_for_user_or_404(request.user, pk, CHANGE)
    form = ContactForm(request.POST or None, prefix="register")
    if request.method == "POST" and form.is_valid():
        try:
            services.registration_by_contact(
                actor=request.user, session=session, **form.cleaned_data
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("Signed up."))
            return redirect("activities:session", pk=session.pk)
    return render(
        request,
        "activities/session_detail.html",
        _session_context(request, session, register_form=form),
    )


@login_required
@require_POST
def registration_cancel(request, pk):
    registration = selectors.registration_for_user_or_404(request.user, pk)
    try:
        services.registration_cancel(actor=request.user, registration=registration)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("Sign-up cancelled."))
    if selectors.may_change(request.user, registration.session):
        return redirect("activities:session", pk=registration.session_id)
    return redirect(reverse("home"))
