from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PeopleConfig(AppConfig):
    name = "shegong.people"
    label = "people"
    verbose_name = _("People")

    def ready(self):
        from shegong.core.audit import track
        from shegong.people.models import Consent, Person

        track(Person)
        track(Consent)
        from shegong.imports.registry import register
        from shegong.people import permissions  # noqa: F401 - registers rules
        from shegong.people.import_kind import KIND

        register(KIND)
