from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlacesConfig(AppConfig):
    name = "shegong.places"
    label = "places"
    verbose_name = _("Places")

    def ready(self):
        from shegong.core.audit import track
        from shegong.places.models import Community, District, Street

        track(District)
        track(Street)
        track(Community)
