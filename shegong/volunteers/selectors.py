"""Reads of volunteers, always through the user's scope (or the volunteer's own rows)."""

from decimal import Decimal

from django.db.models import Count, DecimalField, Q, Sum
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils import timezone

from shegong.core.scope import CHANGE, VIEW, user_roles
from shegong.volunteers.choices import HoursStatus, SignupStatus
from shegong.volunteers.filters import TeamFilter, VolunteerFilter
from shegong.volunteers.models import (
    VOLUNTEER_VIEWERS,
    Certificate,
    PointsEntry,
    ServiceHours,
    ShiftSignup,
    VolunteerProfile,
    VolunteerShift,
    VolunteerTeam,
)
from shegong.volunteers.services import own_profile

ZERO = Decimal("0.0")


def may_list(user) -> bool:
    """Staff who work with volunteers; a volunteer reads their own profile, not the list."""
    if not getattr(user, "is_authenticated", False):
        return False
    return user.is_superuser or bool(user_roles(user) & VOLUNTEER_VIEWERS)


def may_use_shifts(user) -> bool:
    return own_profile(user) is not None


def shows_my_shifts(user) -> bool:
    """The menu entry "My shifts", for volunteer logins: from the roles every page has loaded
    already, where ``may_use_shifts`` would look up a profile on every page of every user."""
    return "volunteer" in user_roles(user)


def volunteers_for(user, action: str = VIEW):
    return (
        VolunteerProfile.objects.for_user(user, action)
        .select_related("person", "team__community", "team__agency")
        .annotate(
            approved_hours=Coalesce(
                Sum("hours__hours", filter=Q(hours__status=HoursStatus.APPROVED)),
                ZERO,
                output_field=DecimalField(max_digits=10, decimal_places=1),
            )
        )
        .order_by("number")
    )


def volunteer_filter(user, params) -> VolunteerFilter:
    return VolunteerFilter(params, queryset=volunteers_for(user), user=user)


def volunteer_for_user_or_404(user, pk, action: str = VIEW) -> VolunteerProfile:
    return volunteers_for(user, action).get_for_user_or_404(user, action, pk=pk)


def teams_for(user):
    """Teams in the user's view with their volunteer counts. A team's volunteers sit where the
    team sits (the same scope rule), so the count shows nobody the user could not list."""
    return (
        VolunteerTeam.objects.for_user(user, VIEW)
        .select_related("community", "agency")
        .annotate(volunteer_count=Count("volunteers"))
        .order_by("name", "id")
    )


def team_filter(user, params) -> TeamFilter:
    return TeamFilter(params, queryset=teams_for(user), user=user)


def registrable_people(user):
    """People the user may register as volunteers: those in their view (the service's rule)."""
    from shegong.people.selectors import people_for

    return people_for(user, VIEW)


def register_candidates(user):
    """What the register page offers to choose from: people in view who are no volunteer yet."""
    return registrable_people(user).filter(volunteer_profile__isnull=True)


RECENT_PEOPLE = 8


def register_matches(user, query: str):
    """People to choose from on the register page: found by name, pinyin, ID number or mobile
    (the people search), or, before any search, the last registered (often the one at hand)."""
    from shegong.people.selectors import people_search

    candidates = register_candidates(user)
    if query:
        return people_search(candidates, query)[:20]
    return candidates.order_by("-created_at", "-id")[:RECENT_PEOPLE]


def may_change(user, obj) -> bool:
    return type(obj).objects.for_user(user, CHANGE).filter(pk=obj.pk).exists()


def hours_of(profile):
    return profile.hours.select_related("activity", "decided_by").order_by("-served_on", "-id")


def points_of(profile):
    return PointsEntry.objects.filter(volunteer=profile).order_by("-created_at", "-id")


def certificates_of(profile):
    return Certificate.objects.filter(volunteer=profile).order_by("-year", "-sequence")


def signups_of(profile):
    return (
        ShiftSignup.objects.filter(volunteer=profile)
        .select_related("shift__session__activity")
        .order_by("-shift__session__starts_at", "-id")
    )


def _with_counts(shifts):
    return shifts.select_related(
        "session__activity__community", "session__activity__agency"
    ).annotate(taken=Count("signups", filter=Q(signups__status=SignupStatus.SIGNED_UP)))


def upcoming_shifts(user):
    """Shifts not yet over that the user may sign up for (a volunteer: those of their district)
    or sees as staff."""
    now = timezone.now()
    profile = own_profile(user)
    rows = VolunteerShift.objects.filter(session__ends_at__gt=now)
    if profile is not None:
        district = profile.team.community.street.district_id
        rows = rows.filter(session__activity__community__street__district_id=district)
    else:
        rows = rows.filter(pk__in=VolunteerShift.objects.for_user(user, VIEW).values("pk"))
    return _with_counts(rows).order_by("session__starts_at", "id")


def shift_for_sign_up_or_404(user, pk) -> VolunteerShift:
    shift = upcoming_shifts(user).filter(pk=pk).first() if isinstance(pk, int) else None
    if shift is None:
        raise Http404
    return shift


def shift_for_user_or_404(user, pk, action: str = VIEW) -> VolunteerShift:
    return VolunteerShift.objects.select_related(
        "session__activity__community", "session__activity__agency"
    ).get_for_user_or_404(user, action, pk=pk)


def signup_for_user_or_404(user, pk) -> ShiftSignup:
    """A sign-up the user may cancel: their own, or one the organising staff may change."""
    signup = (
        ShiftSignup.objects.select_related("shift__session", "volunteer").filter(pk=pk).first()
        if isinstance(pk, int)
        else None
    )
    if signup is None:
        raise Http404
    profile = own_profile(user)
    if (profile is not None and profile.pk == signup.volunteer_id) or ShiftSignup.objects.for_user(
        user, CHANGE
    ).filter(pk=pk).exists():
        return signup
    raise Http404


def my_upcoming_signups(user):
    profile = own_profile(user)
    if profile is None:
        return ShiftSignup.objects.none()
    return (
        ShiftSignup.objects.filter(
            volunteer=profile,
            status=SignupStatus.SIGNED_UP,
            shift__session__ends_at__gt=timezone.now(),
        )
        .select_related("shift__session__activity")
        .order_by("shift__session__starts_at", "id")
    )


def hours_queue(user):
    """Hours awaiting the user's decision: pending, of activities they organise."""
    return (
        ServiceHours.objects.for_user(user, CHANGE)
        .filter(status=HoursStatus.PENDING)
        .select_related("volunteer__person", "activity", "signup__shift")
        .order_by("served_on", "id")
    )


def hours_for_user_or_404(user, pk, action: str = VIEW) -> ServiceHours:
    return ServiceHours.objects.select_related("volunteer", "activity").get_for_user_or_404(
        user, action, pk=pk
    )


def certificate_for_user_or_404(user, pk) -> Certificate:
    return Certificate.objects.select_related("volunteer__team").get_for_user_or_404(
        user, VIEW, pk=pk
    )


def volunteer_totals(user) -> dict:
    year_start = timezone.localdate().replace(month=1, day=1)
    hours = (
        ServiceHours.objects.for_user(user, VIEW)
        .filter(status=HoursStatus.APPROVED, served_on__gte=year_start)
        .aggregate(t=Sum("hours"))["t"]
    )
    return {
        "volunteers": VolunteerProfile.objects.for_user(user, VIEW).count(),
        "hours_this_year": Decimal(hours or ZERO),
    }


def sessions_for_shifts(user):
    """Sessions not over yet of activities the user organises: where they may add shifts."""
    from shegong.activities.models import ActivitySession

    return (
        ActivitySession.objects.for_user(user, CHANGE)
        .filter(ends_at__gt=timezone.now())
        .select_related("activity")
        .order_by("starts_at", "id")
    )


def signups_of_shift(shift):
    return (
        ShiftSignup.objects.filter(shift=shift)
        .select_related("volunteer__person")
        .order_by("created_at", "id")
    )
