from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VolunteersConfig(AppConfig):
    name = "shegong.volunteers"
    label = "volunteers"
    verbose_name = _("Volunteers")

    def ready(self):
        from shegong.core.audit import track
        from shegong.core.checkin import CheckinKind, register_checkin_kind
        from shegong.core.registry import MenuEntry, add_demo, add_figures, add_menu, add_todos
        from shegong.volunteers import demo, models, selectors, services, workbench

        track(models.VolunteerTeam)
        track(models.VolunteerProfile, exclude=("points_balance",))
        track(models.VolunteerShift)
        track(models.ShiftSignup)
        track(models.ServiceHours)
        track(models.PointsEntry)
        track(models.Certificate)
        add_menu(
            MenuEntry(
                _("Volunteers"), "volunteers:list", "heart", order=55, check=selectors.may_list
            ),
            MenuEntry(
                _("My shifts"),
                "volunteers:shifts",
                "heart-handshake",
                order=56,
                check=selectors.shows_my_shifts,
            ),
        )
        add_todos("volunteers", workbench.volunteer_todos, order=50)
        add_figures("volunteers", workbench.volunteer_figures, order=50)
        add_demo("volunteers", demo.build, after=("people", "accounts", "activities"))
        # A shift's link: the first scan checks in, the second checks out and records hours.
        register_checkin_kind(
            CheckinKind(
                code="vs",
                model="volunteers.VolunteerShift",
                describe=services.shift_describe,
                record=services.shift_check,
                expires_at=services.shift_checkin_expiry,
            )
        )
