"""Every answer under /api/ is the API's JSON error format, including the ones Django gives
before the API sees the request: an address that matches no operation (Django's 404 page, which
in debug mode lists the project's URL patterns), a method an operation does not take, or a
request refused before it (``core.middleware.FormCharsetMiddleware``'s 400 page)."""

from django.http import JsonResponse
from django.utils.translation import gettext as _

from shegong.api.errors import error_body

API_PREFIX = "/api/"


class ApiErrorFormatMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if not request.path.startswith(API_PREFIX) or response.status_code not in (400, 404, 405):
            return response
        if response.get("Content-Type", "").startswith("application/json"):
            return response
        if response.status_code == 400:
            replaced = JsonResponse(error_body(_("The request is malformed.")), status=400)
        elif response.status_code == 404:
            replaced = JsonResponse(error_body(_("Not found.")), status=404)
        else:
            replaced = JsonResponse(error_body(_("This method is not allowed here.")), status=405)
            if response.has_header("Allow"):
                replaced["Allow"] = response["Allow"]
        return replaced
