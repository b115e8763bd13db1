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
    if not user_roles(user) & STAFF:
        return []
    from shegong.training.models import Enrolment

    waiting = Enrolment.objects.for_user(user, "change").filter(status="waitlisted").count()
    return [
        Todo(
            label=_("Learners on a waitlist"),
            count=waiting,
            url=reverse("training:enrolments") + "?status=waitlisted",
            empty=_("Learners who enrol in a full class wait here until a place frees up."),
            testid="todo-training-waitlist",
        )
    ]


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
