from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ImportsConfig(AppConfig):
    name = "shegong.imports"
    label = "imports"
    verbose_name = _("Imports")

    def ready(self):
        from shegong.core.audit import track
        from shegong.imports.models import ImportJob

        # Progress counters change every second while a task runs: they are not history.
        track(ImportJob, exclude=("processed_rows",))
