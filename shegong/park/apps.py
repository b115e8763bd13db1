from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ParkConfig(AppConfig):
    name = "shegong.park"
    label = "park"
    verbose_name = _("Incubation park")

    def ready(self):
        from shegong.core.audit import track
        from shegong.core.registry import MenuEntry, add_demo, add_figures, add_menu, add_todos
        from shegong.park import demo, models, workbench

        track(models.Park)
        track(models.Unit)
        track(models.Contract)
        track(models.Payment)
        add_menu(
            MenuEntry(
                _("Incubation park"),
                "park:overview",
                "building-community",
                order=78,
                model="park.Contract",
            )
        )
        add_todos("park", workbench.park_todos, order=65)
        add_figures("park", workbench.park_figures, order=65)
        add_demo("park", demo.build, after=("accounts",))
