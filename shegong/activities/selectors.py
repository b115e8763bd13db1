"""Reads of activities, always through the user's scope."""

import datetime

from django.db.models import Count, IntegerField, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from shegong.activities.choices import RegistrationStatus
from shegong.activities.filters import ActivityFilter
from shegong.activities.models import Activity, ActivitySession, Attendance, Registration
from shegong.core.scope import CHANGE, VIEW


def _count_of(model, path: str):
    """A count of ``model`` rows per activity or session, correlated to the outer query's rows,
    which come through ``for_user``: a number about a visible row, never rows of its own."""
    rows = (
        model.objects.filter(**{path: OuterRef("pk")})
        .order_by()
        .values(path)
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(rows, output_field=IntegerField()), 0)


def activities_for(user, action: str = VIEW):
    return (
        Activity.objects.for_user(user, action)
        .select_related("community__street", "agency")
        .annotate(
            session_count=_count_of(ActivitySession, "activity"),
            person_times=_count_of(Attendance, "session__activity"),
        )
    )


def activity_filter(user, params) -> ActivityFilter:
    return ActivityFilter(params, queryset=activities_for(user), user=user)


def activity_for_user_or_404(user, pk, action: str = VIEW) -> Activity:
    return Activity.objects.select_related("community__street", "agency").get_for_user_or_404(
        user, action, pk=pk
    )


def pairing_of(user, activity: Activity):
    """The agreement the activity belongs to, if the user may see it."""
    if activity.pairing_id is None:
        return None
    from shegong.pairing.selectors import agreements_for

    return agreements_for(user).filter(pk=activity.pairing_id).first()


def project_of(user, activity: Activity):
    """The purchased-service project the activity is delivered under, if the user may see it."""
    if activity.project_id is None:
        return None
    from shegong.purchasing.models import Project

    return Project.objects.for_user(user).filter(pk=activity.project_id).first()


def delivered_needs_of(user, activity: Activity):
    """Needs delivered through the activity that the user may see (the resources app links
    them here; read through the reverse relation, so this app names nothing above it)."""
    return (
        activity.delivered_needs.for_user(user)
        .select_related("community")
        .order_by("-delivered_on", "-pk")
    )


def may_change(user, obj) -> bool:
    return type(obj).objects.for_user(user, CHANGE).filter(pk=obj.pk).exists()


def sessions_of(activity: Activity):
    return activity.sessions.annotate(
        registered=Count(
            "registrations",
            filter=Q(registrations__status=RegistrationStatus.REGISTERED),
            distinct=True,
        ),
        attended=Count("attendances", distinct=True),
    ).order_by("starts_at", "id")


def session_for_user_or_404(user, pk, action: str = VIEW) -> ActivitySession:
    return ActivitySession.objects.select_related(
        "activity__community__street", "activity__agency"
    ).get_for_user_or_404(user, action, pk=pk)


def registrations_of(session: ActivitySession):
    return (
        Registration.objects.filter(session=session, status=RegistrationStatus.REGISTERED)
        .select_related("person")
        .order_by("created_at", "id")
    )


def attendances_of(session: ActivitySession):
    return (
        Attendance.objects.filter(session=session)
        .select_related("person")
        .order_by("created_at", "id")
    )


def registration_for_user_or_404(user, pk) -> Registration:
    """A sign-up the user may cancel: staff with CHANGE on it, or the person themself."""
    from django.http import Http404

    registration = (
        Registration.objects.select_related("session__activity").filter(pk=pk).first()
        if isinstance(pk, int)
        else None
    )
    if registration is None:
        raise Http404
    own = getattr(user, "person_id", None) and user.person_id == registration.person_id
    if own or Registration.objects.for_user(user, CHANGE).filter(pk=pk).exists():
        return registration
    raise Http404


def sessions_today(user):
    """Sessions of today the user may take attendance for."""
    today = timezone.localdate()
    start = timezone.make_aware(datetime.datetime.combine(today, datetime.time.min))
    return ActivitySession.objects.for_user(user, CHANGE).filter(
        starts_at__gte=start, starts_at__lt=start + datetime.timedelta(days=1)
    )


def activity_totals(user) -> dict:
    """Activities, sessions and person-times (attendances) in the user's VIEW scope."""
    return {
        "activities": Activity.objects.for_user(user, VIEW).count(),
        "sessions": ActivitySession.objects.for_user(user, VIEW).count(),
        "person_times": Attendance.objects.for_user(user, VIEW).count(),
    }
