"""Who may read the audit trail: the auditor role (bound to the district) and superusers."""

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
