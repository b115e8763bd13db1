"""The navigation menu: each entry names the model and action it needs, so a user sees only
what their roles can use (the same ``can`` check the views make)."""

from dataclasses import dataclass
from functools import cache

from django.urls import get_script_prefix, reverse
from django.utils.translation import gettext_lazy as _

from shegong.core.scope import VIEW, can, user_roles


@dataclass(frozen=True)
class NavItem:
    label: str
    url_name: str
    icon: str
    model: str = ""  # "app_label.Model": shown when the user can VIEW it
    roles: frozenset = frozenset()  # or: shown to these roles

    def visible_to(self, user) -> bool:
        if self.model:
            from django.apps import apps

            return can(user, apps.get_model(self.model), VIEW)
        if self.roles:
            return user.is_superuser or bool(user_roles(user) & self.roles)
        return True


NAV_ITEMS = [
    NavItem(_("Home"), "home", "home"),
    NavItem(_("Places"), "places:tree", "map"),
    # Staff roles only: a volunteer can read their own record, but has no people list.
    NavItem(
        _("People"),
        "people:list",
        "users",
        roles=frozenset(
            {
                "district_admin",
                "street_admin",
                "community_staff",
                "agency_admin",
                "supervisor",
                "social_worker",
            }
        ),
    ),
    NavItem(_("Agencies"), "agencies:list", "building", model="agencies.Agency"),
    NavItem(_("Cases"), "cases:list", "folder", model="cases.Case"),
    NavItem(
        _("My work"),
        "cases:my_work",
        "checklist",
        roles=frozenset({"agency_admin", "supervisor", "social_worker"}),
    ),
    NavItem(
        _("Supervision"),
        "cases:supervision",
        "eye-check",
        roles=frozenset({"agency_admin", "supervisor"}),
    ),
    NavItem(
        _("Users"),
        "accounts:user_list",
        "user-cog",
        roles=frozenset({"district_admin", "street_admin", "agency_admin"}),
    ),
    NavItem(_("Audit log"), "core:audit", "shield", roles=frozenset({"auditor"})),
]


@cache
def _url(url_name: str, script_prefix: str) -> str:
    # Every page draws the menu; its addresses only change with the prefix the site is served under.
    return reverse(url_name)


def nav_for(user, current_path: str) -> list[dict]:
    items = []
    for item in NAV_ITEMS:
        if not item.visible_to(user):
            continue
        url = _url(item.url_name, get_script_prefix())
        active = current_path == url if url == "/" else current_path.startswith(url)
        items.append({"label": item.label, "url": url, "icon": item.icon, "active": active})
    return items
