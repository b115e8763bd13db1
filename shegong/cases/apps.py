from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CasesConfig(AppConfig):
    name = "shegong.cases"
    label = "cases"
    verbose_name = _("Case work")

    def ready(self):
        from shegong.cases import models
        from shegong.core.audit import track

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
