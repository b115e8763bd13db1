from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "shegong.core"
    label = "core"
    verbose_name = _("Core")

    def ready(self):
        from shegong.core.permissions import is_auditor
        from shegong.core.registry import MenuEntry, add_menu, add_todos
        from shegong.core.workbench import audit_todos

        add_menu(
            MenuEntry(_("Home"), "home", "home", order=0),
            MenuEntry(_("Audit log"), "core:audit", "shield", order=90, check=is_auditor),
        )
        add_todos("core.audit", audit_todos, order=80)
