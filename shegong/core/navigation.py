"""The navigation menu: each entry names the check its page makes (the model it lists, or the
page's own predicate), so a user sees exactly the pages they can open."""

from dataclasses import dataclass
from functools import cache

from django.apps import apps
from django.urls import get_script_prefix, reverse
from django.utils.module_loading import import_string
from django.utils.translation import gettext_lazy as _

from shegong.core.scope import VIEW, can


@dataclass(frozen=True)
class NavItem:
    label: str
    url_name: str
    icon: str
    model: str = ""  # "app_label.Model": shown when the user can VIEW it
    check: str = ""  # or: dotted path of the predicate(user) the page itself requires

    def visible_to(self, user) -> bool:
        if self.model:
            return can(user, apps.get_model(self.model), VIEW)
        if self.check:
            return import_string(self.check)(user)
        return True


PEOPLE, CASES, ACCOUNTS = (
    "shegong.people.permissions",
    "shegong.cases.selectors",
    "shegong.accounts.services",
)
NAV_ITEMS = [
    NavItem(_("Home"), "home", "home"),
    NavItem(_("Places"), "places:tree", "map"),
    # Staff roles only: a volunteer can read their own record, but has no people list.
    NavItem(_("People"), "people:list", "users", check=f"{PEOPLE}.may_list_people"),
    NavItem(_("Agencies"), "agencies:list", "building", model="agencies.Agency"),
    NavItem(_("Cases"), "cases:list", "folder", model="cases.Case"),
    NavItem(_("My work"), "cases:my_work", "checklist", check=f"{CASES}.carries_cases"),
    NavItem(_("Supervision"), "cases:supervision", "eye-check", check=f"{CASES}.leads_cases"),
    NavItem(_("Users"), "accounts:user_list", "user-cog", check=f"{ACCOUNTS}.is_user_admin"),
    NavItem(_("Audit log"), "core:audit", "shield", check="shegong.core.permissions.is_auditor"),
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
        items.append({"label": item.label, "url": url, "icon": item.icon, "active": False})
    # One entry is active: the one whose address is the longest prefix of the page's, so
    # /cases/supervision/ marks 督导 and not 个案 too.
    matches = [
        item
        for item in items
        if (
            current_path == item["url"]
            if item["url"] == "/"
            else current_path.startswith(item["url"])
        )
    ]
    if matches:
        max(matches, key=lambda item: len(item["url"]))["active"] = True
    return items
