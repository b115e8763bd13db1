"""Reads of the training academy, always through the user's scope."""

from django.db.models import Avg, Count, F, IntegerField, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce

from shegong.core.scope import CHANGE, VIEW, can
from shegong.training.choices import ClassLevel, EmployerType, EnrolmentStatus
from shegong.training.filters import ClassFilter, EnrolmentFilter, TeacherFilter
from shegong.training.models import (
    Attendance,
    Completion,
    Course,
    Enrolment,
    Feedback,
    Site,
    Teacher,
    TrainingClass,
    TrainingSession,
)


def may_view_academy(user) -> bool:
    """The academy's pages: its staff and the district's administrators."""
    return can(user, TrainingClass, VIEW)


def may_list_learners(user) -> bool:
    """The learners' list: the academy, and a site's coordinator (their site's learners)."""
    return can(user, Enrolment, VIEW)


def may_mark(user) -> bool:
    """Marking attendance: the academy's staff, and coordinators for their site's learners."""
    return can(user, Enrolment, CHANGE)


def _count(model, path: str, **extra):
    rows = (
        model.objects.filter(**{path: OuterRef("pk")}, **extra)
        .order_by()
        .values(path)
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(rows, output_field=IntegerField()), 0)


def classes_for(user, action: str = VIEW):
    return TrainingClass.objects.for_user(user, action).annotate(
        confirmed=_count(Enrolment, "klass", status=EnrolmentStatus.CONFIRMED),
        waitlisted=_count(Enrolment, "klass", status=EnrolmentStatus.WAITLISTED),
        session_count=_count(TrainingSession, "klass"),
        completed=_count(Completion, "enrolment__klass"),
    )


def class_filter(user, params) -> ClassFilter:
    return ClassFilter(params, queryset=classes_for(user))


def class_for_user_or_404(user, pk, action: str = VIEW) -> TrainingClass:
    return classes_for(user, action).get_for_user_or_404(user, action, pk=pk)


def open_classes():
    """What the public enrolment page lists: classes taking enrolments, with their numbers of
    places (counts only, nothing about anyone)."""
    from django.utils import timezone

    return (
        TrainingClass.objects.filter(enrolment_open=True, ends_on__gte=timezone.localdate())
        .annotate(confirmed=_count(Enrolment, "klass", status=EnrolmentStatus.CONFIRMED))
        .order_by("level", "starts_on", "pk")
    )


def enrolable_classes():
    """The classes a public enrolment may name (the form's choices, without the counts)."""
    from django.utils import timezone

    return TrainingClass.objects.filter(
        enrolment_open=True, ends_on__gte=timezone.localdate()
    ).order_by("level", "starts_on", "pk")


def public_sites():
    return Site.objects.order_by("name")


def courses_for(user):
    return Course.objects.for_user(user).annotate(class_count=Count("classes"))


def sessions_of(klass):
    return klass.sessions.select_related("course", "teacher").annotate(
        attendance_count=Count("attendances", distinct=True),
        rating=Avg("feedback__rating"),
    )


def session_for_user_or_404(user, pk, action: str = VIEW) -> TrainingSession:
    return TrainingSession.objects.select_related("klass", "course", "teacher").get_for_user_or_404(
        user, action, pk=pk
    )


def enrolments_for(user, action: str = VIEW):
    return (
        Enrolment.objects.for_user(user, action)
        .select_related("person", "klass", "site", "completion")
        .annotate(attended=Count("attendances"))
        .order_by("queued_at", "pk")
    )


def enrolment_filter(user, params) -> EnrolmentFilter:
    return EnrolmentFilter(params, queryset=enrolments_for(user), user=user)


def enrolment_for_user_or_404(user, pk, action: str = VIEW) -> Enrolment:
    return enrolments_for(user, action).get_for_user_or_404(user, action, pk=pk)


def own_enrolments(user):
    """A learner's own enrolments (their login's person), whatever their roles."""
    if not user.is_authenticated or not user.person_id:
        return Enrolment.objects.none()
    return (
        Enrolment.objects.filter(person_id=user.person_id)
        .select_related("klass", "site", "completion")
        .annotate(attended=Count("attendances"))
        .order_by("-klass__year", "klass__level")
    )


def completion_for_user_or_404(user, pk) -> Completion:
    """A certificate: in the viewer's scope, or the viewer's own."""
    from django.http import Http404

    rows = Completion.objects.select_related("enrolment__person", "enrolment__klass")
    visible = rows.for_user(user)
    if user.is_authenticated and user.person_id:
        visible = rows.filter(
            Q(pk__in=visible.values("pk")) | Q(enrolment__person_id=user.person_id)
        )
    found = visible.filter(pk=pk).first() if str(pk).isdecimal() else None
    if found is None:
        raise Http404
    return found


def teachers_for(user):
    return (
        Teacher.objects.for_user(user)
        .annotate(
            session_count=Count("sessions", distinct=True),
            rating=Avg("sessions__feedback__rating"),
            rating_count=Count("sessions__feedback", distinct=True),
        )
        .order_by("name", "pk")
    )


def teacher_filter(user, params) -> TeacherFilter:
    return TeacherFilter(params, queryset=teachers_for(user))


def teacher_for_user_or_404(user, pk) -> Teacher:
    return teachers_for(user).get_for_user_or_404(user, pk=pk)


def sites_for(user):
    return Site.objects.for_user(user).annotate(
        learners=_count(Enrolment, "site", status=EnrolmentStatus.CONFIRMED),
        person_times=_count(Attendance, "site"),
    )


def site_for_user_or_404(user, pk) -> Site:
    return sites_for(user).get_for_user_or_404(user, pk=pk)


def figures(user, *, year=None, site=None) -> dict:
    """The academy's figures in the user's scope: learners by employer type, level and site;
    satisfaction; completion rate. Every number is counted from rows."""
    enrolments = Enrolment.objects.for_user(user).exclude(status=EnrolmentStatus.CANCELLED)
    if year:
        enrolments = enrolments.filter(klass__year=year)
    if site is not None:
        enrolments = enrolments.filter(site=site)
    confirmed = enrolments.filter(status=EnrolmentStatus.CONFIRMED)
    by_employer = dict(confirmed.order_by().values_list("employer_type").annotate(n=Count("pk")))
    by_level = dict(confirmed.order_by().values_list("klass__level").annotate(n=Count("pk")))
    by_site = dict(confirmed.order_by().values_list("site__name").annotate(n=Count("pk")))
    completed = confirmed.filter(completion__isnull=False).count()
    total = confirmed.count()
    feedback = Feedback.objects.filter(enrolment__in=confirmed.values("pk")).aggregate(
        avg=Avg("rating"), n=Count("pk")
    )
    return {
        "by_class": class_pass_rates(confirmed),
        "learners": total,
        "waitlisted": enrolments.filter(status=EnrolmentStatus.WAITLISTED).count(),
        "by_employer": [(label, by_employer.get(v, 0)) for v, label in EmployerType.choices],
        "by_level": [(label, by_level.get(v, 0)) for v, label in ClassLevel.choices],
        "by_site": sorted(by_site.items(), key=lambda item: (item[0] is not None, item[0] or "")),
        "completed": completed,
        "completion_rate": round(100 * completed / total, 1) if total else None,
        "satisfaction": round(feedback["avg"], 2) if feedback["avg"] is not None else None,
        "ratings": feedback["n"],
    }


def class_pass_rates(confirmed) -> list[dict]:
    """Per class, the national exam papers its confirmed learners sat in the class's year and
    how many they passed (the exams app's results), in one query."""
    same_year = Q(person__exam_results__year=F("klass__year"))
    rows = (
        confirmed.order_by()
        .values("klass_id", "klass__title", "klass__year")
        .annotate(
            sat=Count("person__exam_results", filter=same_year),
            passed=Count(
                "person__exam_results", filter=same_year & Q(person__exam_results__passed=True)
            ),
        )
        .order_by("-klass__year", "klass__title")
    )
    return [
        {
            "title": row["klass__title"],
            "year": row["klass__year"],
            "sat": row["sat"],
            "passed": row["passed"],
            "rate": round(100 * row["passed"] / row["sat"], 1) if row["sat"] else None,
        }
        for row in rows
    ]


def may_change(user, obj) -> bool:
    return type(obj).objects.for_user(user, CHANGE).filter(pk=obj.pk).exists()


def trained_people(person_ids: set[int], year: int) -> set[int]:
    """Which of these people trained for ``year``'s national exam: a confirmed place in one
    of the academy's classes of that year (the exams app's trainee source)."""
    return set(
        Enrolment.objects.filter(
            person_id__in=person_ids,
            klass__year=year,
            status=EnrolmentStatus.CONFIRMED,
        ).values_list("person_id", flat=True)
    )
