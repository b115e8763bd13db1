"""The academy's pages: thin, a selector or a service each. "Not yours" answers 404."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core import signing
from django.core.cache import caches
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from shegong.core import checkin
from shegong.core.access import rate_window_seconds
from shegong.core.checkin_views import refusal_page
from shegong.core.exports import xlsx_response
from shegong.core.forms import apply_service_errors
from shegong.core.lists import Column, headers, page_of
from shegong.core.ratelimit import limit_address, over_limit
from shegong.core.scope import CHANGE
from shegong.training import exports, selectors, services
from shegong.training.choices import EnrolmentStatus
from shegong.training.forms import (
    ClassForm,
    CourseForm,
    EnrolmentForm,
    FeedbackForm,
    SessionForm,
    SiteForm,
    TeacherForm,
)
from shegong.training.models import Enrolment

ENROLLED_SALT = "shegong.training.enrolled"
ENROLLED_MAX_AGE = 24 * 3600  # the confirmation link works for a day

CLASS_COLUMNS = [
    Column(gettext_lazy("Title"), sort="title"),
    Column(gettext_lazy("Year"), sort="year"),
    Column(gettext_lazy("Level"), sort="level"),
    Column(gettext_lazy("Capacity"), sort="capacity"),
    Column(gettext_lazy("Confirmed")),
    Column(gettext_lazy("Waitlisted")),
    Column(gettext_lazy("Sessions")),
    Column(gettext_lazy("Completed")),
]
ENROLMENT_COLUMNS = [
    Column(gettext_lazy("Name"), sort="name"),
    Column(gettext_lazy("Class"), sort="class"),
    Column(gettext_lazy("Remote site"), sort="site"),
    Column(gettext_lazy("Employer type"), sort="employer_type"),
    Column(gettext_lazy("Employer")),
    Column(gettext_lazy("Mobile")),
    Column(gettext_lazy("Status"), sort="status"),
    Column(gettext_lazy("Sessions attended")),
    Column(gettext_lazy("Certificate")),
]
TEACHER_COLUMNS = [
    Column(gettext_lazy("Name"), sort="name"),
    Column(gettext_lazy("Organisation")),
    Column(gettext_lazy("Expertise")),
    Column(gettext_lazy("Sessions taught"), sort="sessions"),
    Column(gettext_lazy("Rating"), sort="rating"),
]


def _require(predicate, user):
    if not predicate(user):
        raise PermissionDenied


def _require_admin(user):
    _require(services.may_run_academy, user)


# --- public: enrolment, confirmation, feedback --------------------------------------------------


def _limited(request, group: str) -> bool:
    """Per address, like the public check-in page: the forms sent (POST) count and are refused
    over the rate; opening a form reads the count and is refused once the address is over it."""
    return over_limit(
        group=group,
        address=limit_address(request),
        rate=settings.SHEGONG_CHECKIN_RATE,
        increment=request.method == "POST",
    )


def _too_many(request):
    return refusal_page(
        request,
        title=_("Too many attempts"),
        message=_("Too many requests from your network. Wait a minute and try again."),
        status=429,
        testid="enrol-limited",
        retry_after=rate_window_seconds(settings.SHEGONG_CHECKIN_RATE),
    )


# A class's enrolment link goes round chat groups and hundreds open it within minutes: the open
# classes and the blank form are drawn once per process, language and class chosen and kept in
# the per-process cache for its few seconds (settings.CACHES["local"]; the places taken it shows
# may be that old, the enrolment itself counts under the class's lock).


def _enrol_form(request):
    return EnrolmentForm(
        request.POST or None,
        classes=selectors.enrolable_classes(),
        sites=selectors.public_sites(),
        initial={"klass": request.GET.get("class")},
    )


def _with_open_classes(form) -> list:
    classes = list(selectors.open_classes())
    form.fields["klass"].choices = [("", form.blank_label)] + [(k.pk, str(k)) for k in classes]
    return classes


def _blank_page(request) -> dict:
    """The open classes and the blank form's fields as HTML, for the class in the link."""
    chosen = request.GET.get("class", "")
    chosen = chosen if chosen.isdigit() and len(chosen) < 12 else ""

    def draw() -> dict:
        form = _enrol_form(request)
        return _page(form, _with_open_classes(form))

    return caches["local"].get_or_set(f"training-enrol:{chosen}:{get_language()}", draw)


def _page(form, classes) -> dict:
    return {
        "any_open": bool(classes),
        "classes": render_to_string("training/enrol_classes.html", {"classes": classes}),
        "fields": render_to_string("form_body.html", {"form": form}),
    }


@never_cache
def enrol(request):
    """Open, free enrolment without an account: real name, ID number, mobile and employer."""
    if _limited(request, "training-enrol"):
        return _too_many(request)
    if request.method != "POST":
        return render(request, "training/enrol.html", _blank_page(request))
    form = _enrol_form(request)
    if form.is_valid():
        data = dict(form.cleaned_data)
        klass, site = data.pop("klass"), data.pop("site")
        try:
            enrolment = services.enrolment_create(
                klass=klass, site=site, address=limit_address(request), **data
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            token = signing.dumps(enrolment.pk, salt=ENROLLED_SALT)
            return redirect("training:enrolled", token=token)
    # Counted only when the page is drawn (not for a form that succeeds).
    return render(request, "training/enrol.html", _page(form, _with_open_classes(form)))


@never_cache
def enrolled(request, token):
    """The confirmation page: a signed link to one enrolment, shown masked."""
    try:
        pk = signing.loads(token, salt=ENROLLED_SALT, max_age=ENROLLED_MAX_AGE)
    except signing.BadSignature as exc:
        raise Http404 from exc
    enrolment = Enrolment.objects.select_related("person", "klass", "site").filter(pk=pk).first()
    if enrolment is None:
        raise Http404
    position = None
    if enrolment.status == EnrolmentStatus.WAITLISTED:
        position = enrolment.klass.enrolments.filter(
            status=EnrolmentStatus.WAITLISTED, queued_at__lte=enrolment.queued_at
        ).count()
    return render(request, "training/enrolled.html", {"enrolment": enrolment, "position": position})


@never_cache
def feedback(request, token):
    """A learner rates a session with its check-in code (no account)."""
    if _limited(request, "training-feedback"):
        return _too_many(request)
    try:
        found = checkin.read_token(token)
    except (checkin.BadToken, checkin.ExpiredToken) as exc:
        raise Http404 from exc
    if found.kind.code != "ts":
        raise Http404
    session = found.target
    form = FeedbackForm(request.POST or None)
    done = False
    if request.method == "POST" and form.is_valid():
        try:
            services.feedback_submit(session, **form.cleaned_data)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            done = True
    return render(
        request,
        "training/feedback.html",
        {"form": form, "session": session, "done": done},
    )


# --- classes and sessions -----------------------------------------------------------------------


@login_required
def class_list(request):
    _require(selectors.may_view_academy, request.user)
    filterset = selectors.class_filter(request.user, request.GET)
    context = {
        "filter": filterset,
        "page_obj": page_of(request, filterset.qs),
        "headers": headers(request, CLASS_COLUMNS),
        "may_run": services.may_run_academy(request.user),
        "query": request.GET.urlencode(),
    }
    template = "training/_class_table.html" if request.htmx else "training/class_list.html"
    return render(request, template, context)


@login_required
def class_export(request):
    _require(selectors.may_view_academy, request.user)
    filterset = selectors.class_filter(request.user, request.GET)
    content = exports.classes_xlsx(
        filterset.qs, user=request.user, request=request, filters=request.GET.urlencode()
    )
    return xlsx_response(content, "classes")


@login_required
def class_create(request):
    _require_admin(request.user)
    form = ClassForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            klass = services.class_create(actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("Class %(name)s created.") % {"name": klass.title})
            return redirect("training:class_detail", pk=klass.pk)
    return render(request, "training/form.html", {"form": form, "title": _("New class")})


@login_required
def class_edit(request, pk):
    klass = selectors.class_for_user_or_404(request.user, pk, CHANGE)
    form = ClassForm(request.POST or None, instance=klass, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = {name: form.cleaned_data[name] for name in form.changed_data}
        klass.refresh_from_db()
        try:
            services.class_update(actor=request.user, klass=klass, **data)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("Class %(name)s saved.") % {"name": klass.title})
            return redirect("training:class_detail", pk=klass.pk)
    return render(request, "training/form.html", {"form": form, "title": klass.title})


@login_required
def class_detail(request, pk):
    klass = selectors.class_for_user_or_404(request.user, pk)
    return render(
        request,
        "training/class_detail.html",
        {
            "klass": klass,
            "sessions": selectors.sessions_of(klass),
            "courses": klass.courses.all(),
            "may_change": selectors.may_change(request.user, klass),
            "needed": services.completion_needed(klass, klass.session_count),
        },
    )


@login_required
@require_POST
def class_complete(request, pk):
    klass = selectors.class_for_user_or_404(request.user, pk, CHANGE)
    try:
        made = services.completions_record(actor=request.user, klass=klass)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("%(n)s learners completed the class.") % {"n": len(made)})
    return redirect("training:class_detail", pk=klass.pk)


@login_required
def session_create(request, pk):
    klass = selectors.class_for_user_or_404(request.user, pk, CHANGE)
    form = SessionForm(request.POST or None, klass=klass, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            session = services.session_create(actor=request.user, klass=klass, **form.cleaned_data)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("Session added."))
            return redirect("training:session_detail", pk=session.pk)
    return render(
        request, "training/form.html", {"form": form, "title": _("New session"), "klass": klass}
    )


@login_required
def session_detail(request, pk):
    session = selectors.session_for_user_or_404(request.user, pk)
    token = checkin.issue_token(session)
    url = request.build_absolute_uri(checkin.checkin_path(token))
    learners = (
        selectors.enrolments_for(request.user)
        .filter(klass=session.klass, status=EnrolmentStatus.CONFIRMED)
        .order_by("site__name", "person__name")
    )
    present = set(session.attendances.values_list("enrolment_id", flat=True))
    return render(
        request,
        "training/session_detail.html",
        {
            "session": session,
            "checkin_url": url,
            "feedback_url": request.build_absolute_uri(reverse("training:feedback", args=[token])),
            "qr": checkin.qr_svg(url),
            "learners": learners[:500],
            "present": present,
            "may_mark": selectors.may_mark(request.user),
        },
    )


@login_required
@require_POST
def attendance_mark(request, pk):
    session = selectors.session_for_user_or_404(request.user, pk)
    enrolment = (
        selectors.enrolments_for(request.user, CHANGE)
        .filter(pk=request.POST.get("enrolment") or 0)
        .first()
        if str(request.POST.get("enrolment", "")).isdecimal()
        else None
    )
    if enrolment is None:
        if not selectors.may_mark(request.user):
            raise Http404
        messages.error(request, _("Choose a learner of this class."))
        return redirect("training:session_detail", pk=session.pk)
    try:
        services.attendance_mark(
            actor=request.user,
            session=session,
            enrolment=enrolment,
            present=request.POST.get("present", "1") == "1",
        )
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("Attendance saved."))
    return redirect("training:session_detail", pk=session.pk)


# --- courses ------------------------------------------------------------------------------------


@login_required
def course_list(request):
    _require(selectors.may_view_academy, request.user)
    return render(
        request,
        "training/course_list.html",
        {
            "courses": selectors.courses_for(request.user),
            "may_run": services.may_run_academy(request.user),
        },
    )


@login_required
def course_create(request):
    _require_admin(request.user)
    form = CourseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.course_create(actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("Course saved."))
            return redirect("training:courses")
    return render(request, "training/form.html", {"form": form, "title": _("New course")})


# --- learners -----------------------------------------------------------------------------------


@login_required
def enrolment_list(request):
    _require(selectors.may_list_learners, request.user)
    filterset = selectors.enrolment_filter(request.user, request.GET)
    context = {
        "filter": filterset,
        "page_obj": page_of(
            request, filterset.qs if filterset.is_valid() else Enrolment.objects.none()
        ),
        "headers": headers(request, ENROLMENT_COLUMNS),
        "query": request.GET.urlencode(),
    }
    template = "training/_enrolment_table.html" if request.htmx else "training/enrolment_list.html"
    return render(request, template, context)


@login_required
def enrolment_export(request):
    _require(selectors.may_list_learners, request.user)
    filterset = selectors.enrolment_filter(request.user, request.GET)
    rows = filterset.qs if filterset.is_valid() else Enrolment.objects.none()
    content = exports.enrolments_xlsx(
        rows, user=request.user, request=request, filters=request.GET.urlencode()
    )
    return xlsx_response(content, "learners")


@login_required
def enrolment_detail(request, pk):
    enrolment = selectors.enrolment_for_user_or_404(request.user, pk)
    return render(
        request,
        "training/enrolment_detail.html",
        {
            "enrolment": enrolment,
            "attendances": enrolment.attendances.select_related("session__course", "site"),
            "may_cancel": services.may_cancel(request.user, enrolment),
        },
    )


@login_required
@require_POST
def enrolment_cancel(request, pk):
    enrolment = Enrolment.objects.select_related("klass").filter(pk=pk).first()
    if enrolment is None or not (
        selectors.enrolments_for(request.user).filter(pk=pk).exists()
        or enrolment.person_id == request.user.person_id
    ):
        raise Http404
    try:
        promoted = services.enrolment_cancel(actor=request.user, enrolment=enrolment)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(
            request,
            _("Enrolment cancelled; %(n)s learners moved up from the waitlist.")
            % {"n": len(promoted)},
        )
    if selectors.enrolments_for(request.user).filter(pk=pk).exists():
        return redirect("training:enrolment_detail", pk=pk)
    return redirect("training:mine")


@login_required
def certificate(request, pk):
    completion = selectors.completion_for_user_or_404(request.user, pk)
    return render(request, "training/certificate.html", {"completion": completion})


@login_required
def mine(request):
    """A learner's own record: their enrolments, attendance, certificates and hours."""
    rows = list(selectors.own_enrolments(request.user))
    hours = sum((e.completion.hours for e in rows if hasattr(e, "completion")), 0)
    return render(request, "training/mine.html", {"enrolments": rows, "hours": hours})


# --- teachers -----------------------------------------------------------------------------------


@login_required
def teacher_list(request):
    _require(selectors.may_view_academy, request.user)
    filterset = selectors.teacher_filter(request.user, request.GET)
    context = {
        "filter": filterset,
        "page_obj": page_of(request, filterset.qs),
        "headers": headers(request, TEACHER_COLUMNS),
        "may_run": services.may_run_academy(request.user),
        "query": request.GET.urlencode(),
    }
    template = "training/_teacher_table.html" if request.htmx else "training/teacher_list.html"
    return render(request, template, context)


@login_required
def teacher_export(request):
    _require(selectors.may_view_academy, request.user)
    filterset = selectors.teacher_filter(request.user, request.GET)
    content = exports.teachers_xlsx(
        filterset.qs, user=request.user, request=request, filters=request.GET.urlencode()
    )
    return xlsx_response(content, "teachers")


@login_required
def teacher_create(request):
    _require_admin(request.user)
    form = TeacherForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            teacher = services.teacher_create(actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            return redirect("training:teacher_detail", pk=teacher.pk)
    return render(request, "training/form.html", {"form": form, "title": _("New teacher")})


@login_required
def teacher_edit(request, pk):
    teacher = selectors.teacher_for_user_or_404(request.user, pk)
    if not selectors.may_change(request.user, teacher):
        raise PermissionDenied
    form = TeacherForm(request.POST or None, instance=teacher)
    if request.method == "POST" and form.is_valid():
        teacher.refresh_from_db()
        try:
            services.teacher_update(actor=request.user, teacher=teacher, **form.cleaned_data)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            return redirect("training:teacher_detail", pk=teacher.pk)
    return render(request, "training/form.html", {"form": form, "title": teacher.name})


@login_required
def teacher_detail(request, pk):
    teacher = selectors.teacher_for_user_or_404(request.user, pk)
    return render(
        request,
        "training/teacher_detail.html",
        {
            "teacher": teacher,
            "sessions": teacher.sessions.select_related("klass", "course").order_by("-starts_at"),
            "may_change": selectors.may_change(request.user, teacher),
        },
    )


# --- sites and figures --------------------------------------------------------------------------


@login_required
def site_list(request):
    _require(selectors.may_list_learners, request.user)
    return render(
        request,
        "training/site_list.html",
        {
            "sites": selectors.sites_for(request.user),
            "may_run": services.may_run_academy(request.user),
        },
    )


@login_required
def site_create(request):
    _require_admin(request.user)
    form = SiteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            site = services.site_create(actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            return redirect("training:site_detail", pk=site.pk)
    return render(request, "training/form.html", {"form": form, "title": _("New remote site")})


@login_required
def site_detail(request, pk):
    site = selectors.site_for_user_or_404(request.user, pk)
    return render(
        request,
        "training/site_detail.html",
        {"site": site, "figures": selectors.figures(request.user, site=site)},
    )


@login_required
def figures(request):
    _require(selectors.may_list_learners, request.user)
    year = request.GET.get("year", "")
    year = int(year) if year.isdecimal() and 2000 <= int(year) <= 2100 else None
    return render(
        request,
        "training/figures.html",
        {"figures": selectors.figures(request.user, year=year), "year": year},
    )
