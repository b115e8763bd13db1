"""Logging helpers (wired in settings.LOGGING): the request id on every line, and no query
strings in request lines, since a search by ID number or mobile carries them there."""

import contextvars
import logging
import re

request_id: contextvars.ContextVar[str] = contextvars.ContextVar("request_id", default="-")

QUERY_STRING = re.compile(r"\?[^\s\"]*")


class RequestIdFilter(logging.Filter):
    def filter(self, record):
        record.request_id = request_id.get()
        return True


def redact_query(text: str) -> str:
    """``GET /api/v1/cases?q=3502… HTTP/1.1`` -> ``GET /api/v1/cases?… HTTP/1.1``."""
    return QUERY_STRING.sub("?…", text)


class RedactQueryStringFilter(logging.Filter):
    """For request-line loggers (runserver's ``django.server``): drop every query string."""

    def filter(self, record):
        record.msg = redact_query(str(record.msg))
        if isinstance(record.args, tuple):
            record.args = tuple(
                redact_query(arg) if isinstance(arg, str) else arg for arg in record.args
            )
        return True
