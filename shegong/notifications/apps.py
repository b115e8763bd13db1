from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "shegong.notifications"
    label = "notifications"
    verbose_name = _("Notifications")

    def ready(self):
        from shegong.core.registry import add_demo, add_todos
        from shegong.notifications import demo
        from shegong.notifications.workbench import notification_todos

        add_todos("notifications", notification_todos, order=90)
        add_demo("notifications", demo.build, after=("accounts", "accounts.agency_staff"))
