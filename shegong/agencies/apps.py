from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AgenciesConfig(AppConfig):
    name = "shegong.agencies"
    label = "agencies"
    verbose_name = _("Agencies")

    def ready(self):
        from shegong.agencies import demo
        from shegong.agencies.models import Agency
        from shegong.agencies.workbench import agency_figures
        from shegong.core.audit import track
        from shegong.core.registry import MenuEntry, add_demo, add_figures, add_menu

        track(Agency)
        add_menu(
            MenuEntry(_("Agencies"), "agencies:list", "building", order=30, model="agencies.Agency")
        )
        add_figures("agencies", agency_figures, order=20)
        add_demo("agencies", demo.build, after=("places", "accounts.admin"), personas=True)
