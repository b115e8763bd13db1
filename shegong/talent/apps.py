from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TalentConfig(AppConfig):
    name = "shegong.talent"
    label = "talent"
    verbose_name = _("Talent and subsidies")

    def ready(self):
        from shegong.core.audit import track
        from shegong.core.registry import (
            MenuEntry,
            add_cpd_source,
            add_demo,
            add_menu,
            add_sealed_files,
            add_todos,
        )
        from shegong.core.sealed_files import reseal_all
        from shegong.talent import cpd, demo, models, views, workbench

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
        # Signed forms and certificates are kept encrypted; a key rotation re-encrypts them.
        add_sealed_files("talent.Application", lambda: reseal_all(models.Application, "attachment"))
        add_sealed_files("talent.CpdEntry", lambda: reseal_all(models.CpdEntry, "evidence"))
        add_menu(
            MenuEntry(
                _("My talent"), "talent:me", "award", order=74, check=views.may_have_own_profile
            ),
            MenuEntry(
                _("Talent applications"),
                "talent:application_list",
                "file-certificate",
                order=75,
                check=views.may_list_applications,
            ),
            MenuEntry(_("Talent policies"), "talent:policy_list", "list-check", order=76),
            MenuEntry(
                _("Talent profiles"),
                "talent:profile_list",
                "id-badge",
                order=77,
                check=views.may_list_profiles,
            ),
        )
        add_todos("talent", workbench.talent_todos, order=70)
        # After the park (its tenants apply for rent relief) and the other agencies' directors.
        add_demo(
            "talent",
            demo.build,
            after=("accounts", "accounts.agency_staff", "people", "cases", "park"),
        )
