"""The notifications app's to-do: unread notifications, for everyone."""

from django.urls import reverse
from django.utils.translation import gettext as _

from shegong.core.registry import Todo
from shegong.notifications.selectors import unread_count


def notification_todos(user):
    return [
        Todo(
            label=_("Unread notifications"),
            count=unread_count(user),
            url=reverse("notifications:list") + "?unread=1",
            empty=_("You are up to date. What other people ask of you arrives here."),
            testid="notifications",
        )
    ]
