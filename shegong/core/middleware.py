"""Request-wide middleware: a request id for the logs, a form body in a charset Django cannot
take refused before anything reads it, and the real client address for the change history."""

import re
import uuid

from auditlog.cid import set_cid
from auditlog.middleware import AuditlogMiddleware as BaseAuditlogMiddleware
from django.http import HttpResponseBadRequest
from django.template import loader

from shegong.core import logs
from shegong.core.audit import open_context
from shegong.core.clientip import client_ip

# A proxy's own request id (nginx's $request_id) is kept so that its log and ours line up; anything
# else a client sends is replaced, so no one writes arbitrary text into our log lines.
INCOMING_REQUEST_ID = re.compile(r"[A-Za-z0-9._-]{8,64}")


class RequestIdMiddleware:
    """Give every request an id: on each of its log lines and in the X-Request-ID header."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        incoming = request.headers.get("X-Request-ID", "")
        request_id = incoming if INCOMING_REQUEST_ID.fullmatch(incoming) else uuid.uuid4().hex
        request.request_id = request_id
        token = logs.request_id.set(request_id)
        try:
            response = self.get_response(request)
        finally:
            logs.request_id.reset(token)
        response["X-Request-ID"] = request_id
        return response


class FormCharsetMiddleware:
    """Answer 400 to a urlencoded form in any charset but UTF-8, before anything reads it.

    Django raises BadRequest for such a body each time ``request.POST`` is read, and its error
    views (404, 400, 500), made to carry a CSRF token, read it again while drawing the error:
    the error escaped Django altogether, and one anonymous POST (a CSRF cookie from any form,
    ``charset=latin-1``) killed a gunicorn worker. No browser sends such a form. The API's
    answer is made JSON by ``api.middleware.ApiErrorFormatMiddleware``, which stands before this.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if (
            request.content_type == "application/x-www-form-urlencoded"
            and request.encoding is not None
            and request.encoding.lower() != "utf-8"  # Django's own test
        ):
            return HttpResponseBadRequest(loader.render_to_string("400.html"))
        return self.get_response(request)


class AuditlogMiddleware(BaseAuditlogMiddleware):
    """django-auditlog's, but the change history records the same client address as the access
    log: the stock one believes the first X-Forwarded-For entry, which any client can write."""

    @staticmethod
    def _get_remote_addr(request):
        return client_ip(request)

    @staticmethod
    def _get_remote_port(request):
        return None

    def __call__(self, request):
        # As auditlog's, through core.audit's context (one receiver, connected once): services
        # acting for the request's user write through it without opening their own.
        set_cid(request)
        with open_context(self.get_extra_data(request)):
            return self.get_response(request)
