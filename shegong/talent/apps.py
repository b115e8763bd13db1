from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TalentConfig(AppConfig):
    name = "shegong.talent"
    label = "talent"
    verbose_name = _("Talent and subsidies")

    def ready(self):
        from shegong.core.audit import track
        from shegong.core.registry import add_cpd_source
        from shegong.talent import cpd, models

        for model in (
            models.TalentProfile,
            models.Qualification,
            models.TitleGrant,
            models.Employment,
            models.CpdEntry,
            models.Policy,
            models.Criterion,
            models.ReviewStep,
            models.Application,
            models.Review,
            models.Objection,
            models.Payment,
        ):
            track(model)
        add_cpd_source("talent", cpd.manual_credits)
