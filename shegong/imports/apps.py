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

        # Progress counters and heartbeats change every second while a task runs: not history.
        track(ImportJob, exclude=("processed_rows", "heartbeat_at", "task_id"))
        add_todos("imports", import_todos, order=60)
