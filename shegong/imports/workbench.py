"""The imports app's to-do: the user's imports that finished checking or importing lately."""

import datetime

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from shegong.core.registry import Todo
from shegong.imports.choices import FINISHED, ImportStatus
from shegong.imports.selectors import jobs_for

RECENT_DAYS = 7


def import_todos(user):
    """Checked files waiting for the user's choice, and imports finished in the last week.
    Shown only to users who have imported something: for anyone else it is no work."""
    jobs = jobs_for(user)
    if not jobs.exists():
        return []
    since = timezone.now() - datetime.timedelta(days=RECENT_DAYS)
    waiting = Q(status=ImportStatus.VALIDATED) | Q(status__in=FINISHED, finished_at__gte=since)
    return [
        Todo(
            label=_("Imports finished"),
            count=jobs.filter(waiting).count(),
            url=reverse("imports:list"),
            empty=_("A file you upload is checked in the background; it appears here when done."),
            testid="imports",
        )
    ]
