"""The navigation menu, drawn from the entries the apps register (``core.registry.add_menu``).
Each entry names the check its page makes, so a user sees exactly the pages they can open."""

from functools import cache

from django.apps import apps
from django.urls import get_script_prefix, reverse

from shegong.core.registry import MenuEntry, menu_entries
from shegong.core.scope import VIEW, can


def visible_to(entry: MenuEntry, user) -> bool:
    if entry.model:
        return can(user, apps.get_model(entry.model), VIEW)
    if entry.check is not None:
        return entry.check(user)
    return True


@cache
def _url(url_name: str, script_prefix: str) -> str:
    # Every page draws the menu; its addresses only change with the prefix the site is served under.
    return reverse(url_name)


def nav_for(user, current_path: str) -> list[dict]:
    items = []
    for entry in menu_entries():
        if not visible_to(entry, user):
            continue
        url = _url(entry.url_name, get_script_prefix())
        items.append({"label": entry.label, "url": url, "icon": entry.icon, "active": False})
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
