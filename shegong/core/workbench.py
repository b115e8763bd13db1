"""The home page as a workbench (工作台): the to-dos and figures the apps register
(``core.registry``), and core's own items: what the audit trail recorded lately, for auditors."""

import datetime
from urllib.parse import urlencode

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from shegong.core.filters import day_start
from shegong.core.permissions import is_auditor
from shegong.core.registry import Todo, figures_for, todos_for
from shegong.core.selectors import access_entries, change_entries

AUDIT_DAYS = 7


def workbench(user) -> dict:
    todos = todos_for(user)
    return {
        "todos": todos,
        "waiting": sum(todo.count for todo in todos),
        "figures": figures_for(user),
    }


def audit_todos(user):
    """The last week of the audit trail, linked to the same filter on the audit pages."""
    if not is_auditor(user):
        return []
    since = timezone.localdate() - datetime.timedelta(days=AUDIT_DAYS - 1)
    query = "?" + urlencode({"date_from": since.isoformat()})
    start = day_start(since)
    return [
        Todo(
            label=_("Reads of personal data, last %(n)s days") % {"n": AUDIT_DAYS},
            count=access_entries().filter(created_at__gte=start).count(),
            url=reverse("core:audit_access") + query,
            empty=_("Unmasked views and exports will be listed here as they happen."),
            testid="audit-access",
        ),
        Todo(
            label=_("Changes, last %(n)s days") % {"n": AUDIT_DAYS},
            count=change_entries().filter(timestamp__gte=start).count(),
            url=reverse("core:audit") + query,
            empty=_("Every change to records will be listed here with who made it."),
            testid="audit-changes",
        ),
    ]
