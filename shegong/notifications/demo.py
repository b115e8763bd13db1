"""Demo notifications: a welcome for every demo login, sent once through ``notify``, so each one
lands on a workbench with something to read, whatever their role's capabilities so far."""

from django.utils.translation import gettext as _

from shegong.notifications.models import Notification
from shegong.notifications.services import notify


def build(world) -> None:
    for user in world.users.values():
        if Notification.objects.filter(user=user).exists():
            continue  # welcomed on an earlier run, or already busy
        notify(
            user,
            _(
                "Welcome to Shegong. Your workbench (工作台) lists what waits for you and the "
                "figures of your area; the menu holds the pages your role may open."
            ),
        )
