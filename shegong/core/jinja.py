"""The Jinja2 environment of the few templates drawn on hot paths.

Most pages are Django templates. Where one template is drawn many times a request (a list's
rows, ``core/row_templates/``) or a page is opened by a crowd at once (the public check-in page,
``core/page_templates/``), Jinja2 draws it in about a tenth of the time (bench/cases.py,
bench/checkin.py). Jinja2 escapes every value; ``{% trans %}`` and ``_()`` go through Django's
catalogue with the msgids Django's ``{% translate %}`` and ``{% blocktranslate %}`` use
("Done %(date)s"), so one catalogue serves both engines.
"""

import datetime
from functools import cache
from pathlib import Path

from django.http import HttpResponse
from django.template.backends.jinja2 import Jinja2
from django.template.defaultfilters import linebreaksbr
from django.templatetags.static import static
from django.utils.timezone import template_localtime
from django.utils.translation import get_language, gettext, ngettext

HERE = Path(__file__).parent


def _date(value, pattern: str) -> str:
    """Django's ``|date`` with a fixed pattern: a time in the site's time zone, nothing for
    no value."""
    if not value:
        return ""
    if isinstance(value, datetime.datetime):
        value = template_localtime(value)
    return value.strftime(pattern)


@cache
def engine() -> Jinja2:
    engine = Jinja2(
        {
            "APP_DIRS": False,
            "DIRS": [HERE / "row_templates", HERE / "page_templates"],
            "NAME": "hot_paths",
            "OPTIONS": {"autoescape": True, "extensions": ["jinja2.ext.i18n"]},
        }
    )
    engine.env.install_gettext_callables(gettext, ngettext, newstyle=True)
    engine.env.filters.update(
        {
            "ymd": lambda value: _date(value, "%Y-%m-%d"),  # |date:"Y-m-d"
            "ymd_hm": lambda value: _date(value, "%Y-%m-%d %H:%M"),  # |date:"Y-m-d H:i"
            "linebreaksbr": lambda value: linebreaksbr(value, autoescape=True),
        }
    )
    # A static file's URL is fixed for the life of the process (the manifest is read once).
    engine.env.globals.update({"static": cache(static), "get_language": get_language})
    return engine


def render_page(request, template_name: str, context: dict, *, status: int = 200) -> HttpResponse:
    """A whole page from ``core/page_templates/``, with ``csrf_input`` and ``csrf_token``."""
    html = engine().get_template(template_name).render(context, request)
    return HttpResponse(html, status=status)
