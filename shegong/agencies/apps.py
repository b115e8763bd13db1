from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AgenciesConfig(AppConfig):
    name = "shegong.agencies"
    label = "agencies"
    verbose_name = _("Agencies")

    def ready(self):
        from shegong.agencies.models import Agency
        from shegong.core.audit import track

        track(Agency)
