"""One error format for the whole API (DESIGN §4.6):
``{"detail": "...", "errors": {"field": ["message", ...]}}`` with a 4xx status."""

import logging

from django.conf import settings
from django.core.exceptions import (
    PermissionDenied,
    RequestDataTooBig,
    SuspiciousOperation,
    ValidationError,
)
from django.http import Http404
from django.http.multipartparser import MultiPartParserError
from django.utils.translation import gettext as _
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError

from shegong.core.access import RateLimited
from shegong.env import rate_window_seconds

logger = logging.getLogger("django.request")


def error_body(detail: str, errors: dict | None = None) -> dict:
    return {"detail": str(detail), "errors": errors or {}}


def _ninja_errors(exc: NinjaValidationError) -> dict[str, list[str]]:
    fields: dict[str, list[str]] = {}
    for error in exc.errors:
        loc = [
            str(part)
            for part in error.get("loc", [])
            if part not in ("body", "query", "path", "payload")
        ]
        name = ".".join(loc) or "__all__"
        fields.setdefault(name, []).append(error.get("msg", _("Invalid value.")))
    return fields


def install(api) -> None:
    @api.exception_handler(ValidationError)
    def django_validation(request, exc):
        errors = exc.message_dict if hasattr(exc, "error_dict") else {"__all__": exc.messages}
        return api.create_response(request, error_body(_("Invalid input."), errors), status=400)

    @api.exception_handler(RateLimited)
    def rate_limited(request, exc):
        errors = exc.message_dict if hasattr(exc, "error_dict") else {"__all__": exc.messages}
        response = api.create_response(
            request, error_body(_("Too many requests."), errors), status=429
        )
        # The allowance is counted per hour from the first look-up: an hour at most.
        response["Retry-After"] = str(RateLimited.window_seconds)
        return response

    @api.exception_handler(NinjaValidationError)
    def schema_validation(request, exc):
        return api.create_response(
            request, error_body(_("Invalid input."), _ninja_errors(exc)), status=422
        )

    @api.exception_handler(Http404)
    def not_found(request, exc):
        return api.create_response(request, error_body(_("Not found.")), status=404)

    @api.exception_handler(PermissionDenied)
    def forbidden(request, exc):
        # Forbidden looks exactly like missing (DESIGN §4.2).
        return api.create_response(request, error_body(_("Not found.")), status=404)

    @api.exception_handler(AuthenticationError)
    def unauthenticated(request, exc):
        return api.create_response(request, error_body(_("Authentication required.")), status=401)

    @api.exception_handler(HttpError)
    def http_error(request, exc):
        response = api.create_response(request, error_body(str(exc)), status=exc.status_code)
        if exc.status_code == 429:  # the per-address limit of anonymous endpoints
            response["Retry-After"] = str(rate_window_seconds(settings.SHEGONG_API_ANON_RATE))
        return response

    @api.exception_handler(RequestDataTooBig)
    def too_large(request, exc):
        return api.create_response(request, error_body(_("The request is too large.")), status=413)

    @api.exception_handler(MultiPartParserError)
    @api.exception_handler(SuspiciousOperation)
    def bad_request(request, exc):
        # A multipart body without a boundary, a malformed upload, a forged header.
        return api.create_response(request, error_body(_("The request is malformed.")), status=400)

    @api.exception_handler(OverflowError)
    def number_out_of_range(request, exc):
        # An id or number beyond what the database stores (e.g. 2**63): no row can match it.
        return api.create_response(
            request, error_body(_("A number in the request is out of range.")), status=400
        )

    @api.exception_handler(Exception)
    def server_error(request, exc):
        # Ninja's default answers a traceback in plain text when DEBUG is on (as under `make
        # run`); the client gets the error format, the traceback goes to the log only.
        logger.error(
            "Internal Server Error: %s",
            request.path,
            exc_info=exc,
            extra={"status_code": 500, "request": request},
        )
        return api.create_response(
            request,
            error_body(_("Server error. It has been logged; please try again later.")),
            status=500,
        )
