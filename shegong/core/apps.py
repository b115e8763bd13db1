from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "shegong.core"
    label = "core"
    verbose_name = _("Core")

    def ready(self):
        from shegong.core.audit import track
        from shegong.core.models import CalendarDay
        from shegong.core.permissions import is_auditor, may_keep_calendar
        from shegong.core.registry import MenuEntry, add_menu, add_todos
        from shegong.core.workbench import audit_todos

        track(CalendarDay)
        add_menu(
            MenuEntry(_("Home"), "home", "home", order=0),
            MenuEntry(
                _("Holiday calendar"),
                "core:calendar",
                "calendar",
                order=88,
                check=may_keep_calendar,
            ),
            MenuEntry(_("Audit log"), "core:audit", "shield", order=90, check=is_auditor),
        )
        add_todos("core.audit", audit_todos, order=80)
