from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "shegong.accounts"
    label = "accounts"
    verbose_name = _("Accounts")

    def ready(self):
        from shegong.accounts.models import ApiToken, RoleAssignment, User
        from shegong.core.audit import track

        # Sign-ins are recorded as events of their own (core.access.log_sign_in).
        track(User, exclude=("last_login",))
        track(RoleAssignment)
        track(ApiToken)
