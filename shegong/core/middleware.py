"""Request-wide middleware: a request id for the logs, and the real client address for the
change history."""

import contextvars
import re
import uuid

from auditlog.context import auditlog_value
from auditlog.middleware import AuditlogMiddleware as BaseAuditlogMiddleware

from shegong.core import logs
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


# The client address of the request being served, for change-history rows written inside it.
request_client_ip: contextvars.ContextVar[str | None] = contextvars.ContextVar(
    "request_client_ip", default=None
)


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
        token = request_client_ip.set(client_ip(request))
        try:
            return super().__call__(request)
        finally:
            request_client_ip.reset(token)


def fill_log_entry_address(sender, **kwargs):
    """Services name their actor with auditlog's ``set_actor(actor)``, which opens a context
    without an address; the request's address still belongs on the row. Runs on auditlog's
    ``pre_log``, before the entry is built from that context."""
    context = auditlog_value.get(None)
    if context is not None and context.get("remote_addr") is None:
        context["remote_addr"] = request_client_ip.get()
