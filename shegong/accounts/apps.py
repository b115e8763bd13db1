from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "shegong.accounts"
    label = "accounts"
    verbose_name = _("Accounts")

    def ready(self):
        from shegong.accounts.models import ApiToken, RoleAssignment, User
        from shegong.core.audit import track

        track(User)
        track(RoleAssignment)
        track(ApiToken)
