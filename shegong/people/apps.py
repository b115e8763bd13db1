from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PeopleConfig(AppConfig):
    name = "shegong.people"
    label = "people"
    verbose_name = _("People")

    def ready(self):
        from shegong.core.audit import track
        from shegong.core.registry import MenuEntry, add_demo, add_figures, add_menu
        from shegong.people import (
            demo,
            permissions,  # registers rules
        )
        from shegong.people.models import Consent, Person
        from shegong.people.workbench import people_figures

        track(Person)
        track(Consent)
        # Staff roles only: a volunteer can read their own record, but has no people list.
        add_menu(
            MenuEntry(
                _("People"), "people:list", "users", order=20, check=permissions.may_list_people
            )
        )
        add_figures("people", people_figures, order=50)
        add_demo("people", demo.build, after=("places", "agencies", "accounts"))
        from shegong.imports.registry import register as register_import_kind
        from shegong.people.import_kind import KIND as IMPORT_KIND

        register_import_kind(IMPORT_KIND)
