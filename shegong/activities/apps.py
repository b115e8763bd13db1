from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ActivitiesConfig(AppConfig):
    name = "shegong.activities"
    label = "activities"
    verbose_name = _("Activities")

    def ready(self):
        from shegong.activities import demo, models, services, workbench
        from shegong.core.audit import track
        from shegong.core.checkin import CheckinKind, register_checkin_kind
        from shegong.core.registry import MenuEntry, add_demo, add_figures, add_menu, add_todos

        track(models.Activity)
        track(models.ActivitySession)
        track(models.Registration)
        track(models.Attendance)
        add_menu(
            MenuEntry(
                _("Activities"),
                "activities:list",
                "calendar-event",
                order=45,
                model="activities.Activity",
            )
        )
        add_todos("activities", workbench.activity_todos, order=45)
        add_figures("activities", workbench.activity_figures, order=45)
        add_demo("activities", demo.build, after=("people", "accounts", "cases"))
        add_demo("activities.joint", demo.link_joint_activities, after=("activities", "pairing"))
        register_checkin_kind(
            CheckinKind(
                code="as",
                model="activities.ActivitySession",
                describe=services.session_describe,
                record=services.attendance_check_in,
                expires_at=services.session_checkin_expiry,
                claims_nonce=True,
                related=("activity__agency", "activity__community"),
            )
        )
        from shegong.activities.import_kind import KIND as IMPORT_KIND
        from shegong.imports.registry import register as register_import_kind

        register_import_kind(IMPORT_KIND)
