"""The academy on the home page: a to-do for its staff, figures for them and for site
coordinators (their site's learners)."""

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from shegong.core.registry import Figure, Todo
from shegong.core.scope import user_roles

STAFF = {"training_admin"}
READERS = STAFF | {"site_coordinator"}


def training_todos(user) -> list[Todo]:
    roles = user_roles(user)
    todos = []
    if "site_coordinator" in roles:
        todos.append(_to_check_in_today(user))
    if not roles & STAFF:
        return todos
    from shegong.training.models import Enrolment

    waiting = Enrolment.objects.for_user(user, "change").filter(status="waitlisted").count()
    return [
        *todos,
        Todo(
            label=_("Learners on a waitlist"),
            count=waiting,
            url=reverse("training:enrolments") + "?status=waitlisted",
            empty=_("Learners who enrol in a full class wait here until a place frees up."),
            testid="todo-training-waitlist",
        ),
    ]


def _to_check_in_today(user) -> Todo:
    """A coordinator's learners who have not checked in yet at today's sessions of their
    classes, linking to the session (its check-in code and the marking list)."""
    from shegong.training.models import Enrolment, TrainingSession

    today = TrainingSession.objects.filter(starts_at__date=timezone.localdate())
    missing = (
        Enrolment.objects.for_user(user, "change")
        .filter(status="confirmed", klass__in=today.values("klass"))
        .exclude(attendances__session__in=today)
        .count()
    )
    first = today.order_by("starts_at").values_list("pk", flat=True).first() if missing else None
    url = (
        reverse("training:session_detail", args=[first])
        if first
        else reverse("training:enrolments")
    )
    return Todo(
        label=_("Learners of my site to check in today"),
        count=missing,
        url=url,
        empty=_("On a session day, the learners of your site who have not checked in show here."),
        testid="todo-training-checkin",
    )


def training_figures(user) -> list[Figure]:
    if not user_roles(user) & READERS:
        return []
    from shegong.training.models import Enrolment

    year = timezone.localdate().year
    learners = Enrolment.objects.for_user(user).filter(status="confirmed", klass__year=year).count()
    return [
        Figure(
            label=_("Learners this year"),
            value=learners,
            url=reverse("training:enrolments") + f"?year={year}&status=confirmed",
            testid="figure-training-learners",
        )
    ]
