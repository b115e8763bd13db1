from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CasesConfig(AppConfig):
    name = "shegong.cases"
    label = "cases"
    verbose_name = _("Case work")

    def ready(self):
        from shegong.cases import demo, models, workbench
        from shegong.cases.selectors import carries_cases, leads_cases
        from shegong.core.audit import track
        from shegong.core.registry import MenuEntry, add_demo, add_figures, add_menu, add_todos

        for model in (
            models.TargetGroup,
            models.ClientFile,
            models.HouseholdMember,
            models.TaiwanFileItem,
            models.Case,
            models.Assessment,
            models.ServicePlan,
            models.PlanGoal,
            models.PlanTask,
            models.ServiceNote,
            models.NoteAttachment,
            models.NoteComment,
            models.Evaluation,
            models.Review,
            models.Referral,
        ):
            track(model)
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
