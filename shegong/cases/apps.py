from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CasesConfig(AppConfig):
    name = "shegong.cases"
    label = "cases"
    verbose_name = _("Case work")

    def ready(self):
        from shegong.cases import models
        from shegong.core.audit import track

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
        from shegong.cases.import_kind import KIND
        from shegong.imports.registry import register

        register(KIND)
