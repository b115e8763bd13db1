from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ImportsConfig(AppConfig):
    name = "shegong.imports"
    label = "imports"
    verbose_name = _("Imports")

    def ready(self):
        from shegong.core.audit import track
        from shegong.core.registry import add_todos
        from shegong.imports.models import ImportJob
        from shegong.imports.workbench import import_todos

        # Progress counters change every second while a task runs: they are not history.
        track(ImportJob, exclude=("processed_rows",))
        add_todos("imports", import_todos, order=60)
