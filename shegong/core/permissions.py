"""Who may read the audit trail (the auditor role, bound to the district, and superusers) and
who keeps the holiday calendar (the district's administrators)."""

from django.http import Http404

from shegong.core.scope import user_roles

AUDITOR = "auditor"


def is_auditor(user) -> bool:
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    return user.is_superuser or AUDITOR in user_roles(user)


def require_auditor(user) -> None:
    """404, not 403: the audit trail's existence is not advertised to other roles."""
    if not is_auditor(user):
        raise Http404


# The holiday calendar is national and belongs to no place: the district's administrators keep
# it (a street or an agency does not move the State Council's holidays).
CALENDAR_KEEPER = "district_admin"


def may_keep_calendar(user) -> bool:
    """Roles only, no query: the menu calls it on every page."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    return user.is_superuser or CALENDAR_KEEPER in user_roles(user)


def require_calendar_keeper(user) -> None:
    """Like the audit trail: 404 for everyone else (the calendar page is not advertised)."""
    if not may_keep_calendar(user):
        raise Http404
