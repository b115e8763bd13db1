from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ExamsConfig(AppConfig):
    name = "shegong.exams"
    label = "exams"
    verbose_name = _("Exam preparation")

    def ready(self):
        from shegong.core.audit import track
        from shegong.core.registry import MenuEntry, add_demo, add_figures, add_menu, add_todos
        from shegong.exams import demo, import_kind, models, services, workbench
        from shegong.imports.registry import register

        track(models.Question)
        track(models.Attempt)
        # An answer is saved as the learner goes: the attempt's entry is its history.
        track(models.AttemptItem, exclude=("chosen", "answered_at", "points", "is_correct"))
        track(models.ExamResult)
        add_menu(
            MenuEntry(
                _("Exam prep"), "exams:home", "school", order=70, check=services.may_practise
            ),
            MenuEntry(
                _("Question bank"),
                "exams:questions",
                "list-check",
                order=71,
                check=services.may_manage_exams,
            ),
            MenuEntry(
                _("Exam results"),
                "exams:results",
                "certificate",
                order=72,
                check=services.may_manage_exams,
            ),
        )
        add_todos("exams", workbench.exam_todos, order=70)
        add_figures("exams", workbench.exam_figures, order=70)
        add_demo("exams", demo.build, after=("people", "accounts"))
        register(import_kind.QUESTIONS_KIND)
        register(import_kind.RESULTS_KIND)
