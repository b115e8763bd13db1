from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FundsConfig(AppConfig):
    name = "shegong.funds"
    label = "funds"
    verbose_name = _("Charity funds")

    def ready(self):
        from shegong.core.audit import track
        from shegong.core.registry import MenuEntry, add_demo, add_figures, add_menu
        from shegong.funds import demo, models, workbench

        track(models.Fund)
        track(models.Entry)
        add_menu(MenuEntry(_("Charity funds"), "funds:list", "coin", order=60, model="funds.Fund"))
        add_figures("funds", workbench.fund_figures, order=60)
        add_demo("funds", demo.build, after=("accounts",))
