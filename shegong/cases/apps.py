from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CasesConfig(AppConfig):
    name = "shegong.cases"
    label = "cases"
    verbose_name = _("Case work")

    def ready(self):
        from shegong.cases import demo, models, workbench
        from shegong.cases.attachments import reseal_all
        from shegong.cases.import_kind import KIND as IMPORT_KIND
        from shegong.cases.selectors import carries_cases, leads_cases
        from shegong.core.audit import track
        from shegong.core.registry import (
            MenuEntry,
            add_demo,
            add_figures,
            add_menu,
            add_sealed_files,
            add_todos,
        )
        from shegong.imports.registry import register as register_import_kind

        # Confidential content, each with the case it belongs to (see ``track``).
        content_of = {
            models.Assessment: "case",
            models.ServicePlan: "case",
            models.PlanGoal: "plan.case",
            models.PlanTask: "plan.case",
            models.ServiceNote: "case",
            models.NoteAttachment: "note.case",
            models.NoteComment: "note.case",
            models.Evaluation: "case",
            models.Review: "case",
            models.Referral: "case",
        }
        for model in (
            models.TargetGroup,
            models.ClientFile,
            models.HouseholdMember,
            models.TaiwanFileItem,
        ):
            track(model)
        # The case itself is listed by its number; what the client told us stays out.
        track(models.Case, private=("presenting_problem", "closure_note"))
        for model, case_path in content_of.items():
            track(model, content_of=case_path)
        add_menu(
            MenuEntry(_("Cases"), "cases:list", "folder", order=40, model="cases.Case"),
            MenuEntry(_("My work"), "cases:my_work", "checklist", order=41, check=carries_cases),
            MenuEntry(
                _("Supervision"), "cases:supervision", "eye-check", order=42, check=leads_cases
            ),
        )
        add_todos("cases.lead", workbench.lead_todos, order=10)
        add_todos("cases.worker", workbench.worker_todos, order=20)
        add_todos("cases.oversight", workbench.oversight_todos, order=30)
        add_figures("cases", workbench.case_figures, order=30)
        add_demo("cases", demo.build, after=("people", "accounts.agency_staff"))
        add_sealed_files("cases.NoteAttachment", reseal_all)

        register_import_kind(IMPORT_KIND)
