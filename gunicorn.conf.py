"""gunicorn settings for Shegong (read from the working directory, or `-c gunicorn.conf.py`).

The access log never holds a query string or a referrer: a search by ID number or mobile puts
them there, and a path may hold an ID number (``/api/v1/people/by-id/…``), which is masked. Each
line names the request id the app sends back, so it matches the app's log.
"""

from gunicorn.glogging import Logger

from shegong.core.logs import redact_query


class RedactingLogger(Logger):
    def atoms(self, resp, req, environ, request_time):
        atoms = super().atoms(resp, req, environ, request_time)
        # gunicorn logs a request it could not parse (a malformed header, an error that escaped
        # the app) without a path: "-", as gunicorn's own atoms say for what is missing. An
        # error here would kill the worker before it answers.
        atoms["U"] = redact_query(atoms["U"]) if atoms.get("U") else "-"
        return atoms


logger_class = RedactingLogger
accesslog = "-"
access_log_format = '%(h)s "%(m)s %(U)s %(H)s" %(s)s %(b)s %(M)sms [%({x-request-id}o)s]'
