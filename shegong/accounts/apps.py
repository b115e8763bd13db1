from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "shegong.accounts"
    label = "accounts"
    verbose_name = _("Accounts")

    def ready(self):
        from shegong.accounts import demo
        from shegong.accounts.models import ApiToken, RoleAssignment, User
        from shegong.accounts.services import is_user_admin
        from shegong.core.audit import track
        from shegong.core.registry import MenuEntry, add_demo, add_menu

        # Sign-ins are recorded as events of their own (core.access.log_sign_in).
        track(User, exclude=("last_login",))
        track(RoleAssignment)
        track(ApiToken)
        add_menu(
            MenuEntry(_("Users"), "accounts:user_list", "user-cog", order=80, check=is_user_admin)
        )
        add_demo("accounts.admin", demo.build_district_admin, after=("places",), personas=True)
        add_demo("accounts", demo.build_logins, after=("agencies",), personas=True)
        add_demo("accounts.agency_staff", demo.build_agency_staff, after=("accounts",))
