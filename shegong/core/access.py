"""Write the access log: called wherever personal data is shown unmasked or exported."""

from shegong.core.clientip import client_ip
from shegong.core.models import AccessLog


def log_access(
    *, user, action: str, obj=None, object_type: str = "", detail: str = "", request=None
) -> AccessLog:
    if obj is not None:
        object_type = object_type or obj._meta.label
        object_id = str(obj.pk)
        object_label = str(obj)[:200]
    else:
        object_id = ""
        object_label = ""
    return AccessLog.objects.create(
        user=user,
        action=action,
        object_type=object_type,
        object_id=object_id,
        object_label=object_label,
        detail=detail[:300],
        ip_address=client_ip(request),
    )


def log_sign_in(request, user) -> AccessLog:
    """A sign-in is an event of its own in the access log, not a change of the user's record
    (``last_login`` is left out of the change history)."""
    return log_access(user=user, action=AccessLog.Action.SIGN_IN, obj=user, request=request)
