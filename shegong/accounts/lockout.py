"""What a locked-out login sees (django-axes ``AXES_LOCKOUT_CALLABLE``).

Pages get the Chinese lockout page; the API gets its one JSON error format (DESIGN §4.6)
instead of an HTML page a client cannot parse. Both answer 429.
"""

from django.conf import settings
from django.http import JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from shegong.api.errors import error_body


def lockout_response(request, original_response=None, credentials=None):
    status = settings.AXES_HTTP_RESPONSE_CODE
    if request.path.startswith("/api/"):
        response = JsonResponse(
            error_body(_("Too many failed logins. This account is locked for one hour.")),
            status=status,
        )
    else:
        response = render(request, settings.AXES_LOCKOUT_TEMPLATE, status=status)
    response["Retry-After"] = str(int(settings.AXES_COOLOFF_TIME * 3600))  # hours → seconds
    return response
