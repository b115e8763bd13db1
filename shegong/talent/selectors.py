"""Reads of talent profiles, policies and applications: always through the scope."""

from django.db.models import Q

from shegong.core.scope import NOTHING, VIEW, user_assignments
from shegong.talent.choices import ApplicationStatus
from shegong.talent.filters import ApplicationFilter, ProfileFilter
from shegong.talent.models import Application, Payment, Policy, TalentProfile


def profiles_for(user, action: str = VIEW):
    return TalentProfile.objects.for_user(user, action).select_related("person", "agency")


def profile_filter(user, params) -> ProfileFilter:
    return ProfileFilter(params, queryset=profiles_for(user))


def profile_for_user_or_404(user, pk, action: str = VIEW) -> TalentProfile:
    return TalentProfile.objects.select_related(
        "person", "agency", "community__street"
    ).get_for_user_or_404(user, action, pk=pk)


def own_profile(user) -> TalentProfile | None:
    """The signed-in user's own talent profile, if they have one."""
    if not getattr(user, "is_authenticated", False):
        return None
    return (
        TalentProfile.objects.select_related("person", "agency", "community__street")
        .filter(user=user)
        .first()
    )


def own_profile_id(user) -> int | None:
    if not getattr(user, "is_authenticated", False):
        return None
    return TalentProfile.objects.filter(user=user).values_list("pk", flat=True).first()


def policies_for(user):
    return Policy.objects.for_user(user)


def policy_for_user_or_404(user, pk, action: str = VIEW) -> Policy:
    return Policy.objects.get_for_user_or_404(user, action, pk=pk)


def applications_for(user, action: str = VIEW):
    return Application.objects.for_user(user, action).select_related(
        "policy", "profile__person", "applicant_agency", "agency", "community"
    )


def application_filter(user, params) -> ApplicationFilter:
    return ApplicationFilter(params, queryset=applications_for(user))


def application_for_user_or_404(user, pk, action: str = VIEW) -> Application:
    return Application.objects.select_related(
        "policy",
        "profile__person",
        "applicant_agency",
        "agency",
        "community__street",
        "applicant_user",
    ).get_for_user_or_404(user, action, pk=pk)


def filing_agencies(user) -> list:
    """The agencies the user may apply for as an organisation (those they direct)."""
    from shegong.agencies.models import Agency
    from shegong.talent.services import filing_agency_ids

    ids = filing_agency_ids(user)
    return list(Agency.objects.filter(pk__in=ids).order_by("name")) if ids else []


def queue_q(user) -> Q:
    """Applications waiting for one of the user's roles at a node that reaches them: the
    review queue (an agency director's confirmations, a street's reviews, the district's
    approvals)."""
    q = NOTHING
    rule = Application.scope_rule
    for assignment in user_assignments(user) if user.is_authenticated else []:
        if assignment.role in ("agency_admin", "street_admin", "district_admin"):
            q |= rule.q_for(assignment) & Q(awaiting_role=assignment.role)
    return q & Q(status=ApplicationStatus.IN_REVIEW)


def review_queue(user):
    return applications_for(user).filter(queue_q(user))


def notices_open():
    """Applications in public notice now: the public 公示 list (names masked by the page)."""
    return (
        Application.objects.filter(status=ApplicationStatus.IN_NOTICE)
        .select_related("policy", "profile__person", "applicant_agency", "agency")
        .order_by("notice_ends", "number")
    )


def payments_of(application):
    return Payment.objects.filter(application=application).order_by("instalment")


def public_name(application) -> str:
    """The applicant as the public notice names them: an organisation in full (its name is
    public record), a person partly masked."""
    if application.applicant_agency_id is not None:
        return application.applicant_agency.name
    return mask_name(application.profile.person.name)


def mask_name(name: str) -> str:
    """张三 → 张*, 欧阳娜娜 → 欧**娜: enough for colleagues to recognise, not for a stranger."""
    if len(name) <= 1:
        return name
    if len(name) == 2:
        return name[0] + "*"
    return name[0] + "*" * (len(name) - 2) + name[-1]
