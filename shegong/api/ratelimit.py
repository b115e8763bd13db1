"""Per-address rate limits for the API's anonymous endpoints (django-ratelimit, shared cache).

Counted by client address (shegong.core.clientip), so one address guessing passwords is slowed
down without touching anyone else; the login lockout still guards each username.
"""

from django.conf import settings
from django.utils.translation import gettext as _
from django_ratelimit.core import is_ratelimited
from ninja.errors import HttpError

from shegong.core.clientip import client_ip

# gunicorn on a unix socket gives no peer address: those requests share one count.
NO_ADDRESS = "0.0.0.0"  # noqa: S104 - a bucket name, nothing binds to it


def limit_address(request) -> str:
    """settings.RATELIMIT_IP_META_KEY: the client address (IPv6 counted per /64 by the library)."""
    return client_ip(request) or NO_ADDRESS


def limit_anonymous(request, *, group: str) -> None:
    """Count this request; past ``SHEGONG_API_ANON_RATE`` answer 429 in the API's error format."""
    if is_ratelimited(
        request,
        group=f"api-anon:{group}",
        key="ip",
        rate=settings.SHEGONG_API_ANON_RATE,
        increment=True,
    ):
        raise HttpError(429, _("Too many requests from your address. Wait a minute and try again."))
