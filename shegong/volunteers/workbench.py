"""Volunteers on the workbench: hours awaiting the staff's approval, a volunteer's upcoming
shifts; the volunteers and approved hours of this year in the user's scope."""

from decimal import Decimal

from django.urls import reverse
from django.utils.translation import gettext as _

from shegong.core.registry import Figure, Todo
from shegong.volunteers import selectors, services


def volunteer_todos(user):
    todos = []
    if services.may_manage(user):
        todos.append(
            Todo(
                label=_("Volunteer hours to approve"),
                count=selectors.hours_queue(user).count(),
                url=reverse("volunteers:hours_queue"),
                empty=_("Hours volunteers serve at your activities arrive here for approval."),
                testid="volunteer-hours-pending",
            )
        )
    if selectors.may_use_shifts(user):
        todos.append(
            Todo(
                label=_("My upcoming shifts"),
                count=selectors.my_upcoming_signups(user).count(),
                url=reverse("volunteers:shifts"),
                empty=_("Shifts you sign up for appear here."),
                testid="volunteer-my-shifts",
            )
        )
    return todos


def volunteer_figures(user):
    if not selectors.may_list(user):
        return []
    totals = selectors.volunteer_totals(user)
    url = reverse("volunteers:list")
    return [
        Figure(
            label=_("Volunteers"),
            value=totals["volunteers"],
            detail=_("registered in teams of your scope"),
            url=url,
            testid="volunteers",
        ),
        Figure(
            label=_("Volunteer hours this year"),
            # Half hours count: shown with one decimal, not rounded to a whole number.
            value=totals["hours_this_year"].quantize(Decimal("0.1")),
            detail=_("approved hours"),
            url=url,
            testid="volunteer-hours",
        ),
    ]
