from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ResourcesConfig(AppConfig):
    name = "shegong.resources"
    label = "resources"
    verbose_name = _("Needs and resources")

    def ready(self):
        from shegong.core.audit import track
        from shegong.core.registry import MenuEntry, add_demo, add_figures, add_menu, add_todos
        from shegong.resources import demo, models, workbench

        track(models.Need)
        track(models.NeedEvent)
        track(models.Resource)
        track(models.Project)
        track(models.Wish)
        add_menu(
            MenuEntry(
                _("Needs"), "resources:need_list", "list-check", order=50, model="resources.Need"
            ),
            MenuEntry(
                _("Resources"),
                "resources:resource_list",
                "package",
                order=51,
                model="resources.Resource",
            ),
            MenuEntry(
                _("Community projects"),
                "resources:project_list",
                "briefcase",
                order=52,
                model="resources.Project",
            ),
            MenuEntry(
                _("Small wishes"), "resources:wish_list", "gift", order=53, model="resources.Wish"
            ),
        )
        add_todos("resources", workbench.resource_todos, order=50)
        add_figures("resources", workbench.resource_figures, order=50)
        add_demo("resources", demo.build, after=("people", "accounts"))
