from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TrainingConfig(AppConfig):
    name = "shegong.training"
    label = "training"
    verbose_name = _("Training academy")

    def ready(self):
        from shegong.core.audit import track
        from shegong.core.checkin import CheckinKind, register_checkin_kind
        from shegong.core.registry import add_cpd_source
        from shegong.training import models, services

        for model in (
            models.Site,
            models.Teacher,
            models.Course,
            models.TrainingClass,
            models.TrainingSession,
            models.Enrolment,
            models.Attendance,
            models.Completion,
            models.Feedback,
        ):
            track(model)
        register_checkin_kind(
            CheckinKind(
                code="ts",
                model="training.TrainingSession",
                describe=services.session_describe,
                record=services.attendance_check_in,
                expires_at=services.session_checkin_expiry,
                claims_nonce=True,
            )
        )
        add_cpd_source("training", services.cpd_credits_for)
