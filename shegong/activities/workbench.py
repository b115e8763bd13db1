"""Activities on the workbench: today's sessions to take attendance for, and the activities,
sessions and person-times of the user's scope (DESIGN §4.4)."""

from django.urls import reverse
from django.utils.translation import gettext as _

from shegong.activities import selectors
from shegong.activities.models import Activity
from shegong.core.registry import Figure, Todo
from shegong.core.scope import CHANGE, VIEW, can


def activity_todos(user):
    if not can(user, Activity, CHANGE):
        return []
    today = selectors.sessions_today(user)
    first = today.order_by("starts_at", "id").first()
    url = (
        reverse("activities:session", args=[first.pk])
        if first is not None and today.count() == 1
        else reverse("activities:list")
    )
    return [
        Todo(
            label=_("Sessions today"),
            count=today.count(),
            url=url,
            empty=_("Sessions of your activities held today appear here, to take attendance."),
            testid="sessions-today",
        )
    ]


def activity_figures(user):
    if not can(user, Activity, VIEW):
        return []
    totals = selectors.activity_totals(user)
    url = reverse("activities:list")
    return [
        Figure(
            label=_("Activities"),
            value=totals["activities"],
            detail=_("sessions: %(n)s") % {"n": totals["sessions"]},
            url=url,
            testid="activities",
        ),
        Figure(
            label=_("Activity person-times"),
            value=totals["person_times"],
            detail=_("attendances at activity sessions"),
            url=url,
            testid="activity-person-times",
        ),
    ]
