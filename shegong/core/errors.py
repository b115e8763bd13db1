"""What a browser sees when a request fails: a plain page, never a traceback, whatever DEBUG says.

Django's DEBUG page shows source lines, settings and local variables (personal data among them)
to whoever made the request, and ``make run`` serves with DEBUG on. With this reporter the DEBUG
response is the same plain page as in production; the traceback still goes to the log
(``django.request``), where the developer reads it. The API has its own JSON answer
(shegong/api/errors.py).
"""

from django.core.exceptions import SuspiciousOperation
from django.template import loader
from django.views.debug import ExceptionReporter


class PlainExceptionReporter(ExceptionReporter):
    def _bad_request(self) -> bool:
        # Django answers these (oversized or malformed requests) with 400, not 500.
        return bool(self.exc_type and issubclass(self.exc_type, SuspiciousOperation))

    def get_traceback_html(self):
        return loader.get_template("400.html" if self._bad_request() else "500.html").render()

    def get_traceback_text(self):
        if self._bad_request():
            return "请求无效。 Bad request.\n"
        return "服务器错误，已记录。请稍后再试。 Server error; it has been logged.\n"
