from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PurchasingConfig(AppConfig):
    name = "shegong.purchasing"
    label = "purchasing"
    verbose_name = _("Purchased services")

    def ready(self):
        from shegong.core.audit import track
        from shegong.core.registry import MenuEntry, add_demo, add_figures, add_menu, add_todos
        from shegong.purchasing import demo, models, workbench

        for model in (
            models.Budget,
            models.IndicatorTemplate,
            models.Project,
            models.ContractChange,
            models.Tranche,
            models.Payment,
            models.Evaluation,
            models.Rectification,
        ):
            track(model)
        add_menu(
            MenuEntry(
                _("Purchased services"),
                "purchasing:project_list",
                "briefcase",
                order=47,
                model="purchasing.Project",
            ),
            MenuEntry(
                _("Budgets"),
                "purchasing:budget_list",
                "report-money",
                order=48,
                model="purchasing.Budget",
            ),
        )
        add_todos("purchasing", workbench.purchasing_todos, order=45)
        add_figures("purchasing", workbench.purchasing_figures, order=45)
        add_demo("purchasing", demo.build, after=("cases", "activities", "volunteers"))
