"""Talent pages: the worker's own profile and what they qualify for, profiles, policies,
applications with their review actions, the public 公示 list and the finance exports. Thin:
each checks the page's predicate (a PermissionDenied answers as a 404), calls a selector or a
service and renders."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from shegong.core.exports import xlsx_response
from shegong.core.forms import apply_service_errors
from shegong.core.lists import Column, headers, page_of
from shegong.core.scope import CHANGE, VIEW, can
from shegong.talent import selectors, services
from shegong.talent.career import career_card
from shegong.talent.choices import ApplicantKind, ApplicationStatus
from shegong.talent.cpd import cpd_sentence, cpd_status
from shegong.talent.eligibility import evaluate_policy, load_facts
from shegong.talent.exports import approved_xlsx, payments_xlsx
from shegong.talent.forms import (
    AgencyApplyForm,
    AmountForm,
    ApplyForm,
    CloseForm,
    CpdForm,
    EmploymentForm,
    ObjectionForm,
    PaymentForm,
    PolicyForm,
    ProfileForm,
    QualificationForm,
    ResolveForm,
    ResubmitForm,
    ReviewForm,
    TitleForm,
)
from shegong.talent.models import Application, Objection, Payment, TalentProfile
from shegong.talent.services.common import acts_as, roles_of, today

APPLICATION_COLUMNS = [
    Column(gettext_lazy("Number"), sort="number"),
    Column(gettext_lazy("Applicant")),
    Column(gettext_lazy("Policy")),
    Column(gettext_lazy("Status"), sort="status"),
    Column(gettext_lazy("Amount (yuan)"), sort="amount", css="text-end"),
    Column(gettext_lazy("Submitted"), sort="submitted"),
]
PROFILE_COLUMNS = [
    Column(gettext_lazy("Name"), sort="name"),
    Column(gettext_lazy("Agency")),
    Column(gettext_lazy("Qualification")),
]


def may_have_own_profile(user) -> bool:
    """The menu's check for "My talent": a social worker (roles only, no query)."""
    return "social_worker" in roles_of(user)


def may_list_applications(user) -> bool:
    return can(user, Application, VIEW)


def may_list_profiles(user) -> bool:
    return bool(roles_of(user) & {"district_admin", "street_admin", "agency_admin", "supervisor"})


def _filtered(filterset):
    if filterset.is_bound and not filterset.is_valid():
        return filterset.queryset.none()
    return filterset.qs


# --- the worker's own ------------------------------------------------------------------------


def _own_or_404(request) -> TalentProfile | None:
    if not may_have_own_profile(request.user):
        raise PermissionDenied
    return selectors.own_profile(request.user)


@login_required
def me(request):
    profile = _own_or_404(request)
    context = {"profile": profile}
    if profile is not None:
        day = today()
        status = cpd_status(profile, day)
        context.update(
            card=career_card(profile, day),
            cpd=status,
            cpd_text=cpd_sentence(status),
            qualifications=profile.qualifications.all(),
            titles=profile.titles.all(),
            employments=profile.employments.select_related("agency"),
            applications=selectors.applications_for(request.user).filter(profile=profile),
            cpd_entries=profile.cpd_entries.order_by("-date"),
        )
    return render(request, "talent/me.html", context)


def qualify_rows(profile_id: int, user) -> list:
    """Each open or upcoming policy with the profile's verdicts: the policies and their criteria
    in two queries, the facts in five, then Python."""
    from shegong.talent.eligibility import policies_with_criteria

    # Policies for organisations are the agency's to apply for, not the person's.
    policies = policies_with_criteria(
        selectors.policies_for(user)
        .filter(closes_on__gte=today())
        .exclude(applicant_kind=ApplicantKind.ORGANISATION)
        .order_by("opens_on", "name")
    )
    if not policies:
        return []
    facts = load_facts([profile_id], district_id=policies[0].district_id)[profile_id]
    day = today()
    rows = []
    for policy in policies:
        status = facts.applied.get(policy.pk, "")
        rows.append(
            {
                "result": evaluate_policy(policy, facts, day),
                "status": str(ApplicationStatus(status).label) if status else "",
                "status_code": status,
                # Nominations and organisations' applications are filed by the agency.
                "by_agency": policy.applicant_kind == ApplicantKind.AGENCY,
            }
        )
    return rows


@login_required
def qualify(request):
    if not may_have_own_profile(request.user):
        raise PermissionDenied
    # The page needs the profile's id only: its facts are loaded with everyone's in bulk.
    profile_id = selectors.own_profile_id(request.user)
    rows = qualify_rows(profile_id, request.user) if profile_id else []
    return render(request, "talent/qualify.html", {"profile": profile_id, "rows": rows})


@login_required
def cpd_new(request):
    profile = _own_or_404(request)
    if profile is None:
        raise PermissionDenied
    form = CpdForm(request.POST or None, request.FILES or None, initial={"date": today()})
    if request.method == "POST" and form.is_valid():
        try:
            services.cpd_add(
                actor=request.user,
                profile=profile,
                evidence=request.FILES.get("evidence"),
                **{k: v for k, v in form.cleaned_data.items() if k != "evidence"},
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("Continuing-education hours recorded."))
            return redirect("talent:me")
    return render(
        request, "talent/form.html", {"form": form, "title": _("Record hours"), "multipart": True}
    )


# --- profiles --------------------------------------------------------------------------------


@login_required
def profile_list(request):
    if not may_list_profiles(request.user):
        raise PermissionDenied
    filterset = selectors.profile_filter(request.user, request.GET)
    rows = _filtered(filterset).prefetch_related("qualifications")
    context = {
        "filter": filterset,
        "page_obj": page_of(
            request, rows.order_by("person__name", "pk") if not request.GET.get("sort") else rows
        ),
        "headers": headers(request, PROFILE_COLUMNS),
    }
    template = "talent/_profile_table.html" if request.htmx else "talent/profile_list.html"
    return render(request, template, context)


@login_required
def profile_detail(request, pk):
    return profile_page(request, pk)


def profile_page(request, pk, *, status=200, review_form=None, review_entry=None):
    """The profile with its career card, hours and hand-recorded entries; ``review_form``: a
    keeper's refused decision on entry ``review_entry``, shown again with its errors."""
    from shegong.talent.forms import CpdReviewForm

    profile = selectors.profile_for_user_or_404(request.user, pk)
    day = today()
    cpd = cpd_status(profile, day)
    may_keep = TalentProfile.objects.for_user(request.user, CHANGE).filter(pk=pk).exists()
    return render(
        request,
        "talent/profile_detail.html",
        {
            "profile": profile,
            "card": career_card(profile, day),
            "cpd": cpd,
            "cpd_text": cpd_sentence(cpd),
            "may_keep": may_keep,
            "may_grant": services.may_keep_policies(request.user),
            "cpd_entries": profile.cpd_entries.select_related("reviewed_by").order_by("-date"),
            # Keepers review others' hours, never their own.
            "may_review_cpd": may_keep and profile.user_id != request.user.pk,
            "review_form": review_form or CpdReviewForm(),
            "review_entry": review_entry,
        },
        status=status,
    )


@login_required
def qualification_new(request, pk):
    profile = selectors.profile_for_user_or_404(request.user, pk, CHANGE)
    form = QualificationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.qualification_add(actor=request.user, profile=profile, **form.cleaned_data)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("Qualification recorded."))
            return redirect("talent:profile_detail", pk=profile.pk)
    return render(request, "talent/form.html", {"form": form, "title": _("Add a qualification")})


def may_keep_profiles(user) -> bool:
    """District staff and agency directors register social workers' profiles."""
    return bool(roles_of(user) & {"district_admin", "agency_admin"})


def profile_choices(user):
    """The people, agencies and logins a keeper may put on a new profile, all in their scope:
    people they see, agencies they may change, and social workers' logins of those agencies
    that have no profile yet."""
    from shegong.accounts.models import User
    from shegong.agencies.selectors import agencies_for
    from shegong.people.selectors import people_for

    agencies = agencies_for(user, CHANGE).order_by("name")
    users = (
        User.objects.filter(
            role_assignments__role="social_worker",
            role_assignments__is_active=True,
            role_assignments__agency__in=agencies,
            talent_profile__isnull=True,
        )
        .distinct()
        .order_by("username")
    )
    return people_for(user).filter(talent_profile__isnull=True), agencies, users


@login_required
def profile_create(request):
    if not may_keep_profiles(request.user):
        raise PermissionDenied
    people, agencies, users = profile_choices(request.user)
    form = ProfileForm(request.POST or None, people=people, agencies=agencies, users=users)
    if request.method == "POST" and form.is_valid():
        try:
            profile = services.profile_create(actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("Talent profile created."))
            return redirect("talent:profile_detail", pk=profile.pk)
    return render(request, "talent/form.html", {"form": form, "title": _("New talent profile")})


@login_required
def employment_new(request, pk):
    from shegong.agencies.selectors import agencies_for

    profile = selectors.profile_for_user_or_404(request.user, pk, CHANGE)
    form = EmploymentForm(
        request.POST or None, agencies=agencies_for(request.user).order_by("name")
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.employment_add(actor=request.user, profile=profile, **form.cleaned_data)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("Employment recorded."))
            return redirect("talent:profile_detail", pk=profile.pk)
    return render(request, "talent/form.html", {"form": form, "title": _("Add employment")})


@login_required
def title_new(request, pk):
    profile = selectors.profile_for_user_or_404(request.user, pk)
    if not services.may_keep_policies(request.user):
        raise PermissionDenied
    form = TitleForm(request.POST or None, initial={"year": today().year})
    if request.method == "POST" and form.is_valid():
        try:
            services.title_add(actor=request.user, profile=profile, **form.cleaned_data)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("Title granted."))
            return redirect("talent:profile_detail", pk=profile.pk)
    return render(request, "talent/form.html", {"form": form, "title": _("Grant a title")})


# --- policies --------------------------------------------------------------------------------


@login_required
def policy_list(request):
    policies = selectors.policies_for(request.user).order_by("-year", "name")
    return render(
        request,
        "talent/policy_list.html",
        {"policies": policies, "may_keep": services.may_keep_policies(request.user)},
    )


@login_required
def policy_create(request):
    if not services.may_keep_policies(request.user):
        raise PermissionDenied
    initial = {
        "year": today().year,
        "opens_on": today(),
        "closes_on": today().replace(month=12, day=31),
        "requires_attachment": True,
        "months": 1,
        "notice_days": 5,
    }
    form = PolicyForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        from shegong.core.scope import user_assignments
        from shegong.places.models import District

        district = next(
            (a.district for a in user_assignments(request.user) if a.district_id),
            District.objects.order_by("pk").first(),
        )
        try:
            policy = services.policy_create(
                actor=request.user, district=district, **form.service_data()
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("Policy published."))
            return redirect("talent:policy_detail", pk=policy.pk)
    return render(request, "talent/form.html", {"form": form, "title": _("New policy")})


@login_required
def policy_detail(request, pk):
    policy = selectors.policy_for_user_or_404(request.user, pk)
    from shegong.talent.criteria import KINDS

    criteria = [
        {"label": KINDS[c.kind].label if c.kind in KINDS else c.kind, "params": c.params}
        for c in policy.criteria.all()
    ]
    keeper = services.may_keep_policies(request.user)
    counts = {}
    if keeper:
        counts = dict(
            Application.objects.filter(policy=policy)
            .values_list("status")
            .annotate(n=Count("pk"))
            .order_by()
        )
    return render(
        request,
        "talent/policy_detail.html",
        {
            "policy": policy,
            "criteria": criteria,
            "steps": policy.steps.all(),
            "may_keep": keeper,
            "counts": counts,
            "may_apply": bool(services.filing_agency_ids(request.user))
            if policy.applicant_kind == ApplicantKind.ORGANISATION
            else _filing_profiles(request.user).exists(),
        },
    )


def _require_keeper(user):
    if not services.may_keep_policies(user):
        raise PermissionDenied


@login_required
def policy_approved_export(request, pk):
    _require_keeper(request.user)
    policy = selectors.policy_for_user_or_404(request.user, pk, CHANGE)
    return xlsx_response(
        approved_xlsx(policy, user=request.user, request=request), f"policy-{policy.pk}-approved"
    )


@login_required
def policy_payments_export(request, pk):
    _require_keeper(request.user)
    policy = selectors.policy_for_user_or_404(request.user, pk, CHANGE)
    return xlsx_response(
        payments_xlsx(policy, user=request.user, request=request), f"policy-{policy.pk}-payments"
    )


# --- applications ----------------------------------------------------------------------------


def _filing_profiles(user):
    """Profiles the user may file for: their own, and those they keep."""
    from django.db.models import Q

    own = Q(user=user) if user.is_authenticated else Q(pk__in=[])
    kept = TalentProfile.objects.for_user(user, CHANGE).values("pk")
    return TalentProfile.objects.filter(own | Q(pk__in=kept)).select_related("person")


@login_required
def apply(request, pk):
    policy = selectors.policy_for_user_or_404(request.user, pk)
    if policy.applicant_kind == ApplicantKind.ORGANISATION:
        return _apply_for_agency(request, policy)
    profiles = _filing_profiles(request.user)
    if not profiles.exists():
        raise PermissionDenied
    form = ApplyForm(request.POST or None, request.FILES or None, profiles=profiles)
    check = None
    chosen = form.fields["profile"].initial
    if request.method == "POST" and form.is_valid():
        try:
            application = services.application_file(
                actor=request.user,
                policy=policy,
                profile=form.cleaned_data["profile"],
                statement=form.cleaned_data["statement"],
                attachment=request.FILES.get("attachment"),
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(
                request, _("Application %(number)s submitted.") % {"number": application.number}
            )
            return redirect("talent:application_detail", pk=application.pk)
        chosen = form.cleaned_data["profile"].pk
    if chosen:
        profile = profiles.get(pk=chosen)
        check = services.check_eligibility(policy, profile)
    return render(request, "talent/apply.html", {"form": form, "policy": policy, "check": check})


def _apply_for_agency(request, policy):
    """A policy for organisations: the director applies for the agency they direct, and sees
    first whether it qualifies and why."""
    agencies = selectors.filing_agencies(request.user)
    if not agencies:
        raise PermissionDenied
    form = AgencyApplyForm(request.POST or None, request.FILES or None, agencies=agencies)
    chosen = form.fields["agency"].initial
    if request.method == "POST" and form.is_valid():
        try:
            application = services.application_file_for_agency(
                actor=request.user,
                policy=policy,
                agency=form.cleaned_data["agency"],
                statement=form.cleaned_data["statement"],
                attachment=request.FILES.get("attachment"),
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(
                request, _("Application %(number)s submitted.") % {"number": application.number}
            )
            return redirect("talent:application_detail", pk=application.pk)
        chosen = form.cleaned_data["agency"].pk
    check = None
    agency = next((a for a in agencies if a.pk == chosen), None)
    if agency is not None:
        check = services.check_agency_eligibility(policy, agency)
    return render(
        request,
        "talent/apply.html",
        {"form": form, "policy": policy, "check": check, "organisation": agency},
    )


@login_required
def application_list(request):
    if not may_list_applications(request.user):
        raise PermissionDenied
    filterset = selectors.application_filter(request.user, request.GET)
    rows = _filtered(filterset)
    if request.GET.get("queue"):
        rows = rows.filter(selectors.queue_q(request.user))
    if not request.GET.get("sort"):
        rows = rows.order_by("-submitted_at", "-pk")
    context = {
        "filter": filterset,
        "page_obj": page_of(request, rows),
        "headers": headers(request, APPLICATION_COLUMNS),
        "queue": bool(request.GET.get("queue")),
    }
    template = "talent/_application_table.html" if request.htmx else "talent/application_list.html"
    return render(request, template, context)


def _detail_context(request, application, **forms):
    user = request.user
    district = acts_as(user, "district_admin", Application, application)
    context = {
        "application": application,
        "reviews": application.reviews.select_related("actor"),
        "objections": application.objections.all() if can(user, Objection, VIEW) else [],
        "payments": selectors.payments_of(application),
        "may_review": services.may_review(user, application),
        "may_resubmit": application.status == ApplicationStatus.RETURNED
        and services.may_file_application(user, application),
        "may_object": application.status == ApplicationStatus.IN_NOTICE
        and (district or acts_as(user, "street_admin", Application, application)),
        "district": district,
        "review_form": ReviewForm(),
        "objection_form": ObjectionForm(),
        "resolve_form": ResolveForm(),
        "payment_form": PaymentForm(initial={"paid_on": today()}),
        "amount_form": AmountForm(initial={"amount": application.amount}),
        "today": today(),
    }
    context.update(forms)
    return context


@login_required
def application_detail(request, pk):
    application = selectors.application_for_user_or_404(request.user, pk)
    return render(request, "talent/application_detail.html", _detail_context(request, application))


def _act(request, pk, *, allowed, form_class, call, form_name, done):
    """A POSTed action on one application: the predicate, the form, the service; on an error the
    detail page again with the form's errors next to its fields."""
    application = selectors.application_for_user_or_404(request.user, pk)
    if not allowed(request.user, application):
        raise PermissionDenied
    form = form_class(request.POST, request.FILES or None)
    if form.is_valid():
        try:
            call(application, form.cleaned_data)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, done)
            return redirect("talent:application_detail", pk=application.pk)
    context = _detail_context(request, application, **{form_name: form})
    return render(request, "talent/application_detail.html", context, status=400)


@login_required
def application_attachment(request, pk):
    """The application's attachment, for those who read the application; each download is in
    the access log (it is a signed form or a certificate with personal data)."""
    import io

    from django.http import FileResponse, Http404

    from shegong.core.access import log_access
    from shegong.core.models import AccessLog
    from shegong.core.sealed_files import read_plain, stored_extension

    application = selectors.application_for_user_or_404(request.user, pk)
    if not application.attachment:
        raise Http404
    try:
        content = read_plain(application.attachment)
    except OSError as exc:
        raise Http404 from exc
    log_access(
        user=request.user,
        action=AccessLog.Action.OPEN,
        obj=application,
        detail="attachment",
        request=request,
    )
    # The stored name is random; the download is named after the application.
    extension = stored_extension(application.attachment) or "pdf"
    name = f"{application.number}.{extension}"
    return FileResponse(io.BytesIO(content), as_attachment=True, filename=name)


@login_required
@require_POST
def application_review(request, pk):
    return _act(
        request,
        pk,
        allowed=services.may_review,
        form_class=ReviewForm,
        form_name="review_form",
        call=lambda a, data: services.application_review(actor=request.user, application=a, **data),
        done=_("Your decision is recorded."),
    )


@login_required
def application_resubmit(request, pk):
    application = selectors.application_for_user_or_404(request.user, pk)
    if not services.may_file_application(request.user, application):
        raise PermissionDenied
    form = ResubmitForm(
        request.POST or None, request.FILES or None, initial={"statement": application.statement}
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.application_resubmit(
                actor=request.user,
                application=application,
                statement=form.cleaned_data["statement"],
                attachment=request.FILES.get("attachment"),
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("Application resubmitted."))
            return redirect("talent:application_detail", pk=application.pk)
    return render(
        request,
        "talent/form.html",
        {
            "form": form,
            "title": _("Resubmit %(number)s") % {"number": application.number},
            "multipart": True,
        },
    )


def _district(user, application) -> bool:
    return acts_as(user, "district_admin", Application, application)


@login_required
@require_POST
def application_amount(request, pk):
    return _act(
        request,
        pk,
        allowed=_district,
        form_class=AmountForm,
        form_name="amount_form",
        call=lambda a, data: services.application_set_amount(
            actor=request.user, application=a, amount=data["amount"]
        ),
        done=_("Amount changed."),
    )


def _objector(user, application) -> bool:
    return _district(user, application) or acts_as(user, "street_admin", Application, application)


@login_required
@require_POST
def objection_new(request, pk):
    return _act(
        request,
        pk,
        allowed=_objector,
        form_class=ObjectionForm,
        form_name="objection_form",
        call=lambda a, data: services.objection_record(actor=request.user, application=a, **data),
        done=_("Objection recorded."),
    )


@login_required
@require_POST
def objection_resolve(request, pk, objection_pk):
    def call(application, data):
        objection = Objection.objects.filter(application=application, pk=objection_pk).first()
        if objection is None:
            raise ValidationError({"resolution": [_("No such objection.")]})
        services.objection_resolve(actor=request.user, objection=objection, **data)

    return _act(
        request,
        pk,
        allowed=_district,
        form_class=ResolveForm,
        form_name="resolve_form",
        call=call,
        done=_("Objection resolved."),
    )


@login_required
@require_POST
def notice_close(request, pk):
    return _act(
        request,
        pk,
        allowed=_district,
        form_class=CloseForm,
        form_name="close_form",
        call=lambda a, data: services.notice_close(actor=request.user, application=a),
        done=_("The public notice has ended."),
    )


@login_required
@require_POST
def payment_record(request, pk, payment_pk):
    def call(application, data):
        payment = Payment.objects.filter(application=application, pk=payment_pk).first()
        if payment is None:
            raise ValidationError({"paid_on": [_("No such instalment.")]})
        services.payment_record(actor=request.user, payment=payment, **data)

    return _act(
        request,
        pk,
        allowed=_district,
        form_class=PaymentForm,
        form_name="payment_form",
        call=call,
        done=_("Payment recorded."),
    )


# --- public ----------------------------------------------------------------------------------


def notices(request):
    """The public 公示 list: who is proposed for what, names partly masked, no other detail.
    Anonymous, so counted per address like the API's copy of it (``/api/v1/talent/notices``)."""
    from django.conf import settings

    from shegong.core.access import rate_window_seconds
    from shegong.core.checkin_views import refusal_page
    from shegong.core.ratelimit import limit_address, over_limit

    if over_limit(
        group="talent-notices-page",
        address=limit_address(request),
        rate=settings.SHEGONG_API_ANON_RATE,
        increment=True,
    ):
        return refusal_page(
            request,
            title=_("Too many attempts"),
            message=_("Too many requests from your network. Wait a minute and try again."),
            status=429,
            testid="notices-limited",
            retry_after=rate_window_seconds(settings.SHEGONG_API_ANON_RATE),
        )
    rows = [
        {
            "number": a.number,
            "name": selectors.public_name(a),
            "agency": a.agency.name if a.agency_id else "",
            "policy": a.policy.name,
            "amount": a.amount,
            "title": a.policy.get_grants_title_display() if a.policy.grants_title else "",
            "ends": a.notice_ends,
        }
        for a in selectors.notices_open()[:500]
    ]
    return render(request, "talent/notices.html", {"rows": rows})
