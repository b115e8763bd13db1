"""Per-address rate limits for the API's anonymous endpoints (``core/ratelimit.py``).

Counted by client address (shegong.core.clientip), so one address guessing passwords is slowed
down without touching anyone else; the login lockout still guards each username.
"""

from django.conf import settings
from django.utils.translation import gettext as _
from ninja.errors import HttpError

from shegong.core.ratelimit import limit_address, over_limit


def limit_anonymous(request, *, group: str) -> None:
    """Count this request; past ``SHEGONG_API_ANON_RATE`` answer 429 in the API's error format."""
    if over_limit(
        group=f"api-anon:{group}",
        address=limit_address(request),
        rate=settings.SHEGONG_API_ANON_RATE,
        increment=True,
    ):
        raise HttpError(429, _("Too many requests from your address. Wait a minute and try again."))
