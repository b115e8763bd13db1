from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "shegong.core"
    label = "core"
    verbose_name = _("Core")

    def ready(self):
        from auditlog.signals import pre_log

        from shegong.core.middleware import fill_log_entry_address

        pre_log.connect(fill_log_entry_address, dispatch_uid="log_entry_address")
