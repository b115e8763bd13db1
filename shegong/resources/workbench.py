"""The lists on the workbench: needs waiting for the user's step, wishes to confirm, and the
figures of the needs in the user's scope."""

from django.db.models import Count, Q
from django.urls import reverse
from django.utils.translation import gettext as _

from shegong.core.registry import Figure, Todo
from shegong.core.scope import VIEW
from shegong.resources import selectors
from shegong.resources.choices import NeedStatus, WishStatus
from shegong.resources.models import Need, Wish
from shegong.resources.services import works_for_place


def resource_todos(user):
    todos = []
    needs = reverse("resources:need_list")
    if works_for_place(user):
        todos.append(
            Todo(
                label=_("Needs awaiting dispatch"),
                count=selectors.awaiting_dispatch(user).count(),
                url=needs + "?status=raised",
                empty=_("Needs residents raise in your area wait here to be dispatched."),
                testid="needs-to-dispatch",
            )
        )
        todos.append(
            Todo(
                label=_("Needs for our own resources"),
                count=selectors.awaiting_own_resources(user).count(),
                url=needs + "?status=dispatched",
                empty=_("Needs dispatched to resources of your community wait here for you."),
                testid="needs-own-resources",
            )
        )
        todos.append(
            Todo(
                label=_("Wishes to confirm"),
                count=Wish.objects.for_user(user, VIEW).filter(status=WishStatus.CLAIMED).count(),
                url=reverse("resources:wish_list") + "?status=claimed",
                empty=_("Claimed wishes wait here until you confirm they were fulfilled."),
                testid="wishes-to-confirm",
            )
        )
    if selectors.lead_agencies(user):
        todos.append(
            Todo(
                label=_("Needs dispatched to my agency"),
                count=selectors.awaiting_claim(user).count(),
                url=needs + "?status=dispatched",
                empty=_("Needs a community dispatches to your agency wait here for your answer."),
                testid="needs-to-claim",
            )
        )
    if selectors.staff_agencies(user):
        todos.append(
            Todo(
                label=_("Claimed needs to deliver"),
                count=selectors.awaiting_delivery(user).count(),
                url=needs + "?status=claimed",
                empty=_("Needs your agency has claimed wait here until they are delivered."),
                testid="needs-to-deliver",
            )
        )
    return todos


def resource_figures(user):
    if not selectors.may_view(user, Need):
        return []
    counts = Need.objects.for_user(user, VIEW).aggregate(
        total=Count("pk"),
        open=Count("pk", filter=~Q(status__in=[NeedStatus.DELIVERED, NeedStatus.RATED])),
    )
    return [
        Figure(
            label=_("Needs"),
            value=counts["total"],
            detail=_("open: %(n)s") % {"n": counts["open"]},
            url=reverse("resources:need_list"),
            testid="needs",
        )
    ]
