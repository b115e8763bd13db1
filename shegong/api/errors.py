"""One error format for the whole API (DESIGN §4.6):
``{"detail": "...", "errors": {"field": ["message", ...]}}`` with a 4xx status."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError

from shegong.core.access import RateLimited


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
        return api.create_response(request, error_body(_("Too many requests."), errors), status=429)

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
        return api.create_response(request, error_body(str(exc)), status=exc.status_code)
