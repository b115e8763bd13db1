"""Write the access log: called wherever personal data is shown unmasked or exported."""

from django.core.cache import cache
from django.core.exceptions import ValidationError

from shegong.core.clientip import client_ip
from shegong.core.models import AccessLog


class RateLimited(ValidationError):
    """Too many of one kind of lookup by one user: the API answers 429 (with Retry-After), a
    page shows the message next to the field."""

    window_seconds = 3600  # the allowances that raise this are counted per hour


def count_within_limit(user, kind: str, *, limit: int, window_seconds: int) -> bool:
    """Count one more ``kind`` event for the user in the cache; False once the count passes
    ``limit`` inside the window (which starts at the first event)."""
    key = f"shegong:limit:{kind}:{user.pk}"
    cache.add(key, 0, timeout=window_seconds)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=window_seconds)
        count = 1
    return count <= limit


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


def rate_window_seconds(rate: str) -> int:
    """The window of a rate such as ``20/m`` or ``5/10m``, in seconds: what a 429 tells the
    client to wait at most (``Retry-After``)."""
    _count, _slash, period = rate.partition("/")
    number = period[:-1] or "1"
    return int(number) * {"s": 1, "m": 60, "h": 3600, "d": 86400}[period[-1]]
