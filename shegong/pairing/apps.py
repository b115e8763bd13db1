from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PairingConfig(AppConfig):
    name = "shegong.pairing"
    label = "pairing"
    verbose_name = _("Pairing agreements")

    def ready(self):
        from shegong.core.audit import track
        from shegong.core.registry import (
            MenuEntry,
            add_demo,
            add_figures,
            add_menu,
            add_todos,
        )
        from shegong.pairing import demo, models, workbench

        track(models.PairingAgreement)
        track(models.Commitment)
        track(models.AnnualReview)
        add_menu(
            MenuEntry(
                _("Pairing agreements"),
                "pairing:list",
                "link",
                order=62,
                model="pairing.PairingAgreement",
            )
        )
        add_todos("pairing", workbench.pairing_todos, order=60)
        add_figures("pairing", workbench.pairing_figures, order=62)
        add_demo("pairing", demo.build, after=("accounts",))
