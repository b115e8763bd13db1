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
from django.utils.translation import gettext_lazy
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError

from shegong.core.access import RateLimited, rate_window_seconds

logger = logging.getLogger("django.request")


def error_body(detail: str, errors: dict | None = None) -> dict:
    return {"detail": str(detail), "errors": errors or {}}


# Pydantic's error types, said in the user's language (its own messages are English and
# sometimes Python's, e.g. "maximum recursion depth exceeded"). Limits come from the error's
# context. A type not listed gets the general message: never Python's words.
SCHEMA_MESSAGES = {
    "missing": gettext_lazy("This field is required."),
    "string_type": gettext_lazy("Enter text."),
    "string_too_short": gettext_lazy("Enter at least %(min_length)s characters."),
    "string_too_long": gettext_lazy("Enter at most %(max_length)s characters."),
    "string_pattern_mismatch": gettext_lazy("The value is not in the expected format."),
    "int_type": gettext_lazy("Enter a whole number."),
    "int_parsing": gettext_lazy("Enter a whole number."),
    "int_from_float": gettext_lazy("Enter a whole number."),
    "float_type": gettext_lazy("Enter a number."),
    "float_parsing": gettext_lazy("Enter a number."),
    "decimal_type": gettext_lazy("Enter a number."),
    "decimal_parsing": gettext_lazy("Enter a number."),
    "decimal_max_digits": gettext_lazy("Enter a number with at most %(max_digits)s digits."),
    "decimal_max_places": gettext_lazy(
        "Enter a number with at most %(decimal_places)s decimal places."
    ),
    "bool_type": gettext_lazy("Enter true or false."),
    "bool_parsing": gettext_lazy("Enter true or false."),
    "date_type": gettext_lazy("Enter a date as 2024-03-05."),
    "date_parsing": gettext_lazy("Enter a date as 2024-03-05."),
    "date_from_datetime_parsing": gettext_lazy("Enter a date as 2024-03-05."),
    "date_from_datetime_inexact": gettext_lazy("Enter a date as 2024-03-05."),
    "datetime_type": gettext_lazy("Enter a date and time as 2024-03-05T14:30."),
    "datetime_parsing": gettext_lazy("Enter a date and time as 2024-03-05T14:30."),
    "datetime_from_date_parsing": gettext_lazy("Enter a date and time as 2024-03-05T14:30."),
    "time_parsing": gettext_lazy("Enter a time as 14:30."),
    "greater_than": gettext_lazy("Enter a value greater than %(gt)s."),
    "greater_than_equal": gettext_lazy("Enter a value of at least %(ge)s."),
    "less_than": gettext_lazy("Enter a value less than %(lt)s."),
    "less_than_equal": gettext_lazy("Enter a value of at most %(le)s."),
    "literal_error": gettext_lazy("Choose one of: %(expected)s."),
    "enum": gettext_lazy("Choose one of: %(expected)s."),
    "list_type": gettext_lazy("Enter a list."),
    "too_short": gettext_lazy("Enter at least %(min_length)s items."),
    "too_long": gettext_lazy("Enter at most %(max_length)s items."),
    "dict_type": gettext_lazy("Enter an object."),
    "model_type": gettext_lazy("Enter an object."),
    "model_attributes_type": gettext_lazy("Enter an object."),
    "json_invalid": gettext_lazy("The request body is not valid JSON."),
    "extra_forbidden": gettext_lazy("This field is not accepted."),
    "uuid_parsing": gettext_lazy("Enter a valid identifier."),
}


def _schema_message(error: dict) -> str:
    message = SCHEMA_MESSAGES.get(error.get("type", ""))
    if message is None:
        return _("Invalid value.")
    try:
        return str(message) % dict(error.get("ctx") or {})
    except (KeyError, TypeError, ValueError):
        return _("Invalid value.")


def _ninja_errors(exc: NinjaValidationError) -> dict[str, list[str]]:
    fields: dict[str, list[str]] = {}
    for error in exc.errors:
        loc = [
            str(part)
            for part in error.get("loc", [])
            if part not in ("body", "query", "path", "payload")
        ]
        name = ".".join(loc) or "__all__"
        fields.setdefault(name, []).append(_schema_message(error))
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
