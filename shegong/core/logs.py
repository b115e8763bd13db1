"""Logging helpers (wired in settings.LOGGING): the request id on every line, and no query
strings or ID-like numbers in request lines, since a search by ID number or mobile carries them
there, and a few addresses carry an ID number in their path (``/api/v1/people/by-id/…``)."""

import contextvars
import logging
import re

request_id: contextvars.ContextVar[str] = contextvars.ContextVar("request_id", default="-")

QUERY_STRING = re.compile(r"\?[^\s\"]*")
# A mobile has 11 digits, a resident ID 18 (the last may be X), a residence permit likewise:
# any run of 11 or more digits in a request line is treated as one of them.
PERSONAL_NUMBER = re.compile(r"\d{11,}[Xx]?")


class RequestIdFilter(logging.Filter):
    def filter(self, record):
        record.request_id = request_id.get()
        return True


def redact_query(text: str) -> str:
    """``GET /api/v1/cases?q=3502… HTTP/1.1`` -> ``GET /api/v1/cases?… HTTP/1.1``, and
    ``Not Found: /people/35022119680709678X/`` -> ``Not Found: /people/…/``."""
    return PERSONAL_NUMBER.sub("…", QUERY_STRING.sub("?…", text))


class RedactQueryStringFilter(logging.Filter):
    """For request-line loggers (runserver's ``django.server``, ``django.request``'s "Not
    Found: <path>", gunicorn's access log): drop every query string and ID-like number."""

    def filter(self, record):
        record.msg = redact_query(str(record.msg))
        if isinstance(record.args, tuple):
            record.args = tuple(
                redact_query(arg) if isinstance(arg, str) else arg for arg in record.args
            )
        return True
