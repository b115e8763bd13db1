from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlacesConfig(AppConfig):
    name = "shegong.places"
    label = "places"
    verbose_name = _("Places")

    def ready(self):
        from shegong.core.audit import track
        from shegong.core.registry import MenuEntry, add_demo, add_figures, add_menu
        from shegong.places import demo
        from shegong.places.models import Community, District, Street
        from shegong.places.workbench import place_figures

        track(District)
        track(Street)
        track(Community)
        add_menu(MenuEntry(_("Places"), "places:tree", "map", order=10))
        add_figures("places", place_figures, order=10)
        add_demo("places", demo.build, personas=True)
