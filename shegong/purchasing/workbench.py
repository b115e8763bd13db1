"""Purchased services on the workbench: tranches ready to pay (district), evaluations due
(evaluators), open rectification items (agency directors); this year's projects as a figure."""

from django.urls import reverse
from django.utils.translation import gettext as _

from shegong.core.registry import Figure, Todo
from shegong.core.scope import VIEW, can, user_roles
from shegong.purchasing import selectors
from shegong.purchasing.models import Project


def purchasing_todos(user):
    roles = user_roles(user)
    todos = []
    if "district_admin" in roles:
        todos.append(
            Todo(
                label=_("Tranches ready to pay"),
                count=selectors.payable_tranches(user).count(),
                url=reverse("purchasing:payable"),
                empty=_("A tranche appears here when its condition holds."),
                testid="purchasing-payable",
            )
        )
    if "evaluator" in roles:
        todos.append(
            Todo(
                label=_("Evaluations due"),
                count=len(selectors.evaluations_due(user)),
                url=reverse("purchasing:project_list"),
                empty=_("Projects assigned to you appear here when an evaluation falls due."),
                testid="purchasing-evaluations-due",
            )
        )
    if "agency_admin" in roles:
        todos.append(
            Todo(
                label=_("Open rectification items"),
                count=selectors.open_rectifications(user).count(),
                url=reverse("purchasing:rectification_list"),
                empty=_("Items an evaluation asks your agency to put right appear here."),
                testid="purchasing-rectifications",
            )
        )
    return todos


def purchasing_figures(user):
    if not can(user, Project, VIEW) or "evaluator" in user_roles(user):
        return []
    figures = selectors.figures_for(user)
    return [
        Figure(
            label=_("Purchased-service projects this year"),
            value=figures["count"],
            detail=_("%(yuan)s yuan contracted") % {"yuan": figures["contracted"] or 0},
            url=reverse("purchasing:project_list"),
            testid="purchasing-projects",
        )
    ]
