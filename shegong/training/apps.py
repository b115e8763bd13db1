from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TrainingConfig(AppConfig):
    name = "shegong.training"
    label = "training"
    verbose_name = _("Training academy")

    def ready(self):
        from shegong.core.audit import track
        from shegong.core.checkin import CheckinKind, register_checkin_kind
        from shegong.core.registry import (
            MenuEntry,
            add_cpd_source,
            add_demo,
            add_figures,
            add_menu,
            add_todos,
        )
        from shegong.training import demo, models, selectors, services, workbench

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
                related=("klass", "course", "teacher"),
            )
        )
        add_cpd_source("training", services.cpd_credits_for)
        # The exams app compares the pass rates of trainees and everyone else.
        from shegong.exams.registry import add_trainee_source

        add_trainee_source(selectors.trained_people, key="training")
        add_menu(
            MenuEntry(
                _("Training academy"),
                "training:classes",
                "school",
                order=64,
                model="training.TrainingClass",
            ),
            # A learner's own record: read from the login's person link, no query.
            MenuEntry(
                _("My training"),
                "training:mine",
                "certificate",
                order=65,
                check=lambda user: bool(getattr(user, "person_id", None)),
            ),
        )
        add_todos("training", workbench.training_todos, order=60)
        add_figures("training", workbench.training_figures, order=60)
        add_demo("training", demo.build, after=("people", "accounts"))
