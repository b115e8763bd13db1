"""Talent API: what the pages do, with the same selectors, FilterSet and services. Uploads
(application attachments) are multipart; everything else JSON."""

import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from ninja import Field, File, Form, Query, Router, Schema, Status
from ninja.files import UploadedFile
from ninja.pagination import paginate

from shegong.api.filters import valid_filterset
from shegong.api.ratelimit import limit_anonymous
from shegong.core.scope import CHANGE, VIEW, can
from shegong.talent import selectors, services
from shegong.talent.career import career_card
from shegong.talent.choices import (
    AmountBasis,
    ApplicantKind,
    Decision,
    PaymentMode,
    PolicyKind,
    QualificationLevel,
    Title,
    TitleTier,
)
from shegong.talent.choices import (
    ApplicationStatus as AppStatus,
)
from shegong.talent.cpd import cpd_sentence, cpd_status
from shegong.talent.filters import ApplicationFilter, ProfileFilter
from shegong.talent.models import Application, Objection, Payment, TalentProfile
from shegong.talent.services.common import acts_as, today
from shegong.talent.views import (
    may_have_own_profile,
    may_keep_profiles,
    may_list_profiles,
    profile_choices,
    qualify_rows,
)

router = Router(tags=["talent"])


class TalentPolicyOut(Schema):
    id: int
    name: str
    year: int
    kind: str
    applicant_kind: str
    description: str
    opens_on: datetime.date
    closes_on: datetime.date
    amount_basis: str
    amounts: dict
    payment_mode: str
    months: int
    notice_days: int
    requires_attachment: bool
    grants_title: str
    grants_tier: str


class TalentCriterionIn(Schema):
    kind: str
    params: dict = {}


class TalentPolicyIn(Schema):
    name: str
    year: int
    kind: PolicyKind = PolicyKind.SUBSIDY
    applicant_kind: ApplicantKind = ApplicantKind.WORKER
    description: str = ""
    budget: Decimal
    opens_on: datetime.date
    closes_on: datetime.date
    amount_basis: AmountBasis = AmountBasis.FLAT
    amounts: dict = {}
    payment_mode: PaymentMode = PaymentMode.ONE_OFF
    months: int = 1
    annual_cap: Decimal | None = None
    lifetime_cap: Decimal | None = None
    notice_days: int = 5
    requires_attachment: bool = True
    grants_title: str = ""
    grants_tier: str = ""
    title_years: int = 3
    criteria: list[TalentCriterionIn] = []
    steps: list[str] = Field(..., description="agency_admin, street_admin, district_admin")


class TalentVerdictOut(Schema):
    kind: str
    passed: bool
    text: str


class TalentEligibilityOut(Schema):
    policy_id: int
    policy_name: str
    eligible: bool
    amount: Decimal
    applied_status: str
    verdicts: list[TalentVerdictOut]


class TalentProfileOut(Schema):
    id: int
    name: str = Field(..., alias="person.name")
    agency_id: int | None
    community_id: int
    qualifications: list[dict]
    titles: list[dict]

    @staticmethod
    def resolve_qualifications(obj):
        return [
            {"level": q.level, "certificate_no": q.certificate_no, "obtained_on": q.obtained_on}
            for q in obj.qualifications.all()
        ]

    @staticmethod
    def resolve_titles(obj):
        return [
            {"title": t.title, "tier": t.tier, "year": t.year, "until": t.until_year}
            for t in obj.titles.all()
        ]


class TalentMeOut(Schema):
    profile: TalentProfileOut | None
    cpd_required: Decimal
    cpd_earned: Decimal
    cpd_text: str
    next_step: str


class TalentApplicationOut(Schema):
    id: int
    number: str
    policy_id: int
    policy_name: str = Field(..., alias="policy.name")
    applicant_kind: str
    profile_id: int | None
    applicant_agency_id: int | None = Field(
        None, description="The organisation applying for itself (a policy for organisations)"
    )
    applicant_name: str = Field(..., description="The person, or the organisation")
    agency_id: int | None
    status: str
    step: int
    awaiting_role: str
    amount: Decimal
    statement: str
    eligibility: list[TalentVerdictOut]
    submitted_at: datetime.datetime | None
    notice_starts: datetime.date | None
    notice_ends: datetime.date | None


class TalentReviewIn(Schema):
    decision: Decision
    comment: str = ""


class TalentAmountIn(Schema):
    amount: Decimal


class TalentObjectionIn(Schema):
    raised_by: str
    content: str


class TalentObjectionOut(Schema):
    id: int
    raised_by: str
    content: str
    status: str
    resolution: str


class TalentResolveIn(Schema):
    upheld: bool
    resolution: str


class TalentPaymentIn(Schema):
    paid_on: datetime.date | None = None
    reference: str = ""


class TalentPaymentOut(Schema):
    id: int
    instalment: int
    due_on: datetime.date
    amount: Decimal
    paid_on: datetime.date | None
    reference: str


class TalentNoticeOut(Schema):
    number: str
    name: str
    agency: str
    policy: str
    amount: Decimal
    notice_ends: datetime.date


class TalentApplicationQuery(Schema):
    q: str | None = None
    status: AppStatus | None = None
    policy: int | None = None
    awaiting: str | None = None
    queue: bool = Field(False, description="Only applications waiting for my review")
    sort: str | None = Field(None, description="number, submitted, status, amount; '-' descends")


class TalentProfileQuery(Schema):
    q: str | None = None
    level: str | None = None
    sort: str | None = None


# --- policies --------------------------------------------------------------------------------


@router.get("/policies", response=list[TalentPolicyOut], summary="Talent policies")
@paginate
def list_policies(request):
    return selectors.policies_for(request.auth).order_by("-year", "name", "pk")


@router.post("/policies", response={201: TalentPolicyOut}, summary="Publish a policy")
def create_policy(request, payload: TalentPolicyIn):
    if not services.may_keep_policies(request.auth):
        raise Http404
    from shegong.core.scope import user_assignments
    from shegong.places.models import District

    district = next(
        (a.district for a in user_assignments(request.auth) if a.district_id),
        District.objects.order_by("pk").first(),
    )
    data = payload.dict()
    data["criteria"] = [dict(c) for c in data["criteria"]]
    return Status(201, services.policy_create(actor=request.auth, district=district, **data))


@router.get("/policies/{policy_id}", response=TalentPolicyOut, summary="One policy")
def get_policy(request, policy_id: int):
    return selectors.policy_for_user_or_404(request.auth, policy_id)


class TalentPolicyPatch(Schema):
    """Only the fields sent change; see ``services.policies.policy_update`` for what is locked
    once applications have been submitted."""

    name: str | None = None
    description: str | None = None
    year: int | None = None
    budget: Decimal | None = None
    opens_on: datetime.date | None = None
    closes_on: datetime.date | None = None
    amount_basis: AmountBasis | None = None
    amounts: dict | None = None
    payment_mode: PaymentMode | None = None
    months: int | None = None
    annual_cap: Decimal | None = None
    lifetime_cap: Decimal | None = None
    notice_days: int | None = None
    requires_attachment: bool | None = None
    grants_title: str | None = None
    grants_tier: str | None = None
    title_years: int | None = None
    criteria: list[TalentCriterionIn] | None = None
    steps: list[str] | None = None


# Sent as null, these mean "no cap"; any other field sent as null is left as it is.
NULLABLE_POLICY_FIELDS = ("annual_cap", "lifetime_cap")


@router.patch("/policies/{policy_id}", response=TalentPolicyOut, summary="Edit a policy")
def update_policy(request, policy_id: int, payload: TalentPolicyPatch):
    from shegong.talent.services.policies import policy_update

    if not services.may_keep_policies(request.auth):
        raise Http404
    policy = selectors.policy_for_user_or_404(request.auth, policy_id, CHANGE)
    changes = {
        name: value
        for name, value in payload.dict(exclude_unset=True).items()
        if value is not None or name in NULLABLE_POLICY_FIELDS
    }
    if "criteria" in changes:
        changes["criteria"] = [dict(c) for c in changes["criteria"]]
    return policy_update(actor=request.auth, policy=policy, **changes)


# --- the caller's own ------------------------------------------------------------------------


def _own(request) -> TalentProfile | None:
    if not may_have_own_profile(request.auth):
        raise Http404
    return selectors.own_profile(request.auth)


@router.get("/me", response=TalentMeOut, summary="My talent profile, career card and hours")
def me(request):
    profile = _own(request)
    if profile is None:
        return {
            "profile": None,
            "cpd_required": 0,
            "cpd_earned": 0,
            "cpd_text": "",
            "next_step": "",
        }
    status = cpd_status(profile, today())
    return {
        "profile": profile,
        "cpd_required": status.required,
        "cpd_earned": status.earned,
        "cpd_text": cpd_sentence(status),
        "next_step": career_card(profile, today())["next_step"],
    }


@router.get(
    "/me/eligibility", response=list[TalentEligibilityOut], summary="What do I qualify for, and why"
)
def my_eligibility(request):
    profile = _own(request)
    if profile is None:
        return []
    return [
        {
            "policy_id": row["result"].policy.pk,
            "policy_name": row["result"].policy.name,
            "eligible": row["result"].eligible,
            "amount": row["result"].amount,
            "applied_status": row["status_code"],
            "verdicts": [v.as_dict() for v in row["result"].verdicts],
        }
        for row in qualify_rows(profile.pk, request.auth)
    ]


# --- profiles --------------------------------------------------------------------------------


@router.get("/profiles", response=list[TalentProfileOut], summary="Talent profiles in my scope")
@paginate
def list_profiles(request, filters: Query[TalentProfileQuery]):
    if not may_list_profiles(request.auth):
        raise Http404
    rows = valid_filterset(
        ProfileFilter, filters, queryset=selectors.profiles_for(request.auth)
    ).qs.prefetch_related("qualifications", "titles")
    return rows if filters.sort else rows.order_by("person__name", "pk")


@router.get("/profiles/{profile_id}", response=TalentProfileOut, summary="One talent profile")
def get_profile(request, profile_id: int):
    return selectors.profile_for_user_or_404(request.auth, profile_id)


class TalentProfileIn(Schema):
    person_id: int
    agency_id: int | None = None
    user_id: int | None = None
    registration_start: datetime.date | None = None
    business_name: str = ""
    business_community_id: int | None = None


class TalentQualificationIn(Schema):
    level: QualificationLevel
    certificate_no: str
    obtained_on: datetime.date
    subjects: str = ""


class TalentEmploymentIn(Schema):
    agency_id: int
    started_on: datetime.date
    ended_on: datetime.date | None = None
    position: str = ""


class TalentTitleIn(Schema):
    title: Title
    tier: TitleTier
    year: int
    years: int = 3


class TalentRowOut(Schema):
    id: int


def _scoped(queryset, pk, field: str, message: str):
    """A referenced row the caller may see, or the field's error: missing and out of scope
    answer alike."""
    if pk is None:
        return None
    row = queryset.filter(pk=pk).first()
    if row is None:
        raise ValidationError({field: [message]})
    return row


@router.post("/profiles", response={201: TalentProfileOut}, summary="Register a talent profile")
def create_profile(request, payload: TalentProfileIn):
    from shegong.places.models import Community

    if not may_keep_profiles(request.auth):
        raise Http404
    people, agencies, users = profile_choices(request.auth)
    profile = services.profile_create(
        actor=request.auth,
        person=_scoped(people, payload.person_id, "person", _("Choose a person you may see.")),
        agency=_scoped(agencies, payload.agency_id, "agency", _("Choose an agency you keep.")),
        user=_scoped(users, payload.user_id, "user", _("Choose a social worker's login.")),
        registration_start=payload.registration_start,
        business_name=payload.business_name,
        business_community=_scoped(
            Community.objects.all(),
            payload.business_community_id,
            "business_community",
            _("Choose a community."),
        ),
    )
    return Status(201, selectors.profile_for_user_or_404(request.auth, profile.pk))


@router.post(
    "/profiles/{profile_id}/qualifications",
    response={201: TalentRowOut},
    summary="Record a qualification",
)
def create_qualification(request, profile_id: int, payload: TalentQualificationIn):
    profile = selectors.profile_for_user_or_404(request.auth, profile_id, CHANGE)
    return Status(
        201, services.qualification_add(actor=request.auth, profile=profile, **payload.dict())
    )


@router.post(
    "/profiles/{profile_id}/employments", response={201: TalentRowOut}, summary="Record employment"
)
def create_employment(request, profile_id: int, payload: TalentEmploymentIn):
    from shegong.agencies.selectors import agencies_for

    profile = selectors.profile_for_user_or_404(request.auth, profile_id, CHANGE)
    data = payload.dict()
    data["agency"] = _scoped(
        agencies_for(request.auth), data.pop("agency_id"), "agency", _("Choose the agency.")
    )
    return Status(201, services.employment_add(actor=request.auth, profile=profile, **data))


@router.post("/profiles/{profile_id}/titles", response={201: TalentRowOut}, summary="Grant a title")
def create_title(request, profile_id: int, payload: TalentTitleIn):
    profile = selectors.profile_for_user_or_404(request.auth, profile_id)
    if not services.may_keep_policies(request.auth):
        raise Http404
    return Status(201, services.title_add(actor=request.auth, profile=profile, **payload.dict()))


@router.post(
    "/me/cpd",
    response={201: TalentRowOut},
    summary="Record my continuing-education hours (multipart: date, hours, label, evidence)",
)
def create_cpd(
    request,
    # Optional here so that the service answers what is missing, after the caller's check.
    date: datetime.date | None = Form(None),  # noqa: B008
    hours: str = Form(""),  # noqa: B008
    label: str = Form(""),  # noqa: B008
    evidence: UploadedFile = File(None),  # noqa: B008
):
    profile = _own(request)
    if profile is None:
        raise Http404
    entry = services.cpd_add(
        actor=request.auth, profile=profile, date=date, hours=hours, label=label, evidence=evidence
    )
    return Status(201, entry)


class TalentCpdEntryOut(Schema):
    id: int
    date: datetime.date
    hours: Decimal
    label: str
    has_evidence: bool
    review: str
    review_label: str
    review_reason: str
    reviewed_at: datetime.datetime | None

    @staticmethod
    def resolve_has_evidence(entry) -> bool:
        return bool(entry.evidence)

    @staticmethod
    def resolve_review_label(entry) -> str:
        return str(entry.get_review_display())


class TalentCpdReviewIn(Schema):
    decision: str
    reason: str = ""


@router.get(
    "/profiles/{profile_id}/cpd",
    response=list[TalentCpdEntryOut],
    summary="A profile's hand-recorded hours and their review (the evidence on the page)",
)
def list_cpd_entries(request, profile_id: int):
    profile = selectors.profile_for_user_or_404(request.auth, profile_id)
    return profile.cpd_entries.order_by("-date", "-pk")


@router.post(
    "/profiles/{profile_id}/cpd/{entry_id}/review",
    response=TalentCpdEntryOut,
    summary="Accept hand-recorded hours, or say why not (keepers of the profile)",
)
def review_cpd_entry(request, profile_id: int, entry_id: int, payload: TalentCpdReviewIn):
    from shegong.talent.cpd_views import entry_for_user_or_404
    from shegong.talent.services.profiles import cpd_review

    entry = entry_for_user_or_404(request.auth, profile_id, entry_id, CHANGE)
    return cpd_review(actor=request.auth, entry=entry, **payload.dict())


# --- applications ----------------------------------------------------------------------------


@router.get(
    "/applications", response=list[TalentApplicationOut], summary="Applications in my scope"
)
@paginate
def list_applications(request, filters: Query[TalentApplicationQuery]):
    if not can(request.auth, Application, VIEW):
        raise Http404
    rows = valid_filterset(
        ApplicationFilter, filters, queryset=selectors.applications_for(request.auth)
    ).qs
    if filters.queue:
        rows = rows.filter(selectors.queue_q(request.auth))
    return rows if filters.sort else rows.order_by("-submitted_at", "-pk")


@router.post(
    "/applications",
    response={201: TalentApplicationOut},
    summary=(
        "Apply (multipart: policy_id, profile_id — or agency_id for a policy for "
        "organisations —, statement, attachment)"
    ),
)
def create_application(
    request,
    policy_id: int = Form(...),  # noqa: B008
    profile_id: int | None = Form(None),  # noqa: B008
    agency_id: int | None = Form(None),  # noqa: B008
    statement: str = Form(""),  # noqa: B008
    attachment: UploadedFile = File(None),  # noqa: B008
):
    policy = selectors.policies_for(request.auth).filter(pk=policy_id).first()
    if policy is None:
        raise ValidationError({"policy": [_("Choose a policy.")]})
    if policy.applicant_kind == ApplicantKind.ORGANISATION:
        if profile_id is not None:
            raise ValidationError({"profile": [_("An organisation applies for this policy.")]})
        # Only an agency the caller directs: any other answers like a missing one.
        agency = next(
            (a for a in selectors.filing_agencies(request.auth) if a.pk == agency_id), None
        )
        if agency is None:
            raise ValidationError({"agency": [_("Choose an organisation you direct.")]})
        application = services.application_file_for_agency(
            actor=request.auth,
            policy=policy,
            agency=agency,
            statement=statement,
            attachment=attachment,
        )
        return Status(201, application)
    if agency_id is not None:
        raise ValidationError({"agency": [_("A person applies for this policy.")]})
    profile = TalentProfile.objects.for_user(request.auth).filter(pk=profile_id).first()
    if profile is None:
        raise ValidationError({"profile": [_("Choose an applicant you may apply for.")]})
    application = services.application_file(
        actor=request.auth,
        policy=policy,
        profile=profile,
        statement=statement,
        attachment=attachment,
    )
    return Status(201, application)


@router.get(
    "/applications/{application_id}", response=TalentApplicationOut, summary="One application"
)
def get_application(request, application_id: int):
    return selectors.application_for_user_or_404(request.auth, application_id)


def _application(request, application_id) -> Application:
    return selectors.application_for_user_or_404(request.auth, application_id)


@router.post(
    "/applications/{application_id}/review",
    response=TalentApplicationOut,
    summary="Approve, return for changes or reject at my step",
)
def review(request, application_id: int, payload: TalentReviewIn):
    application = _application(request, application_id)
    if not services.may_review(request.auth, application):
        raise Http404
    return services.application_review(
        actor=request.auth,
        application=application,
        decision=payload.decision,
        comment=payload.comment,
    )


@router.post(
    "/applications/{application_id}/resubmit",
    response=TalentApplicationOut,
    summary="Resubmit a returned application (multipart: statement, attachment)",
)
def resubmit(
    request,
    application_id: int,
    statement: str | None = Form(None),  # noqa: B008
    attachment: UploadedFile = File(None),  # noqa: B008
):
    application = _application(request, application_id)
    if not services.may_file_application(request.auth, application):
        raise Http404
    return services.application_resubmit(
        actor=request.auth, application=application, statement=statement, attachment=attachment
    )


def _district(request, application):
    if not acts_as(request.auth, "district_admin", Application, application):
        raise Http404


@router.post(
    "/applications/{application_id}/amount",
    response=TalentApplicationOut,
    summary="Correct the amount before approval",
)
def set_amount(request, application_id: int, payload: TalentAmountIn):
    application = _application(request, application_id)
    _district(request, application)
    return services.application_set_amount(
        actor=request.auth, application=application, amount=payload.amount
    )


@router.post(
    "/applications/{application_id}/objections",
    response={201: TalentObjectionOut},
    summary="Record an objection during the public notice",
)
def create_objection(request, application_id: int, payload: TalentObjectionIn):
    application = _application(request, application_id)
    if not (
        acts_as(request.auth, "district_admin", Application, application)
        or acts_as(request.auth, "street_admin", Application, application)
    ):
        raise Http404
    return Status(
        201,
        services.objection_record(
            actor=request.auth,
            application=application,
            raised_by=payload.raised_by,
            content=payload.content,
        ),
    )


@router.post(
    "/applications/{application_id}/objections/{objection_id}/resolve",
    response=TalentObjectionOut,
    summary="Uphold or dismiss an objection",
)
def resolve_objection(request, application_id: int, objection_id: int, payload: TalentResolveIn):
    application = _application(request, application_id)
    _district(request, application)
    objection = Objection.objects.filter(application=application, pk=objection_id).first()
    if objection is None:
        raise Http404
    return services.objection_resolve(
        actor=request.auth,
        objection=objection,
        upheld=payload.upheld,
        resolution=payload.resolution,
    )


@router.post(
    "/applications/{application_id}/close-notice",
    response=TalentApplicationOut,
    summary="End the public notice and schedule the payments",
)
def close_notice(request, application_id: int):
    application = _application(request, application_id)
    _district(request, application)
    return services.notice_close(actor=request.auth, application=application)


@router.get(
    "/applications/{application_id}/payments",
    response=list[TalentPaymentOut],
    summary="An application's payment schedule",
)
def list_payments(request, application_id: int):
    application = _application(request, application_id)
    return list(selectors.payments_of(application))


@router.post(
    "/applications/{application_id}/payments/{payment_id}/record",
    response=TalentPaymentOut,
    summary="Record that an instalment was paid",
)
def record_payment(request, application_id: int, payment_id: int, payload: TalentPaymentIn):
    application = _application(request, application_id)
    _district(request, application)
    payment = Payment.objects.filter(application=application, pk=payment_id).first()
    if payment is None:
        raise Http404
    return services.payment_record(
        actor=request.auth, payment=payment, paid_on=payload.paid_on, reference=payload.reference
    )


# --- public ----------------------------------------------------------------------------------


@router.get(
    "/notices", auth=None, response=list[TalentNoticeOut], summary="The public notice (公示)"
)
@paginate
def public_notices(request):
    limit_anonymous(request, group="talent-notices")
    return [
        {
            "number": a.number,
            "name": selectors.public_name(a),
            "agency": a.agency.name if a.agency_id else "",
            "policy": a.policy.name,
            "amount": a.amount,
            "notice_ends": a.notice_ends,
        }
        for a in selectors.notices_open()[:500]
    ]
