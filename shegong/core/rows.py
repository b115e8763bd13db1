"""Table rows of the busiest lists, and every list's filter form, rendered with Jinja2.

A row of My work or the case register costs about 200 µs in the Django template engine (a
variable lookup or an ``{% if %}`` is several microseconds, and a row has twenty of them) and
about a tenth of that in Jinja2 (bench/cases.py). The page stays a Django template; only its
``<tr>`` loop comes from ``core/row_templates/``. The rows are dicts of plain values
(``core.lists.page_of(values=...)``) with their links and labels already computed, so these
templates need no URL reversing or translation (the case file's content, which is no list,
translates its labels with ``_()``); Jinja2 escapes every value. They read a row's
values by subscript (``case['url']``): ``case.url`` looks for an attribute first, and on a dict
raises and catches an AttributeError for every cell.
"""

import datetime
from functools import cache
from pathlib import Path

from django.template.backends.jinja2 import Jinja2
from django.template.defaultfilters import linebreaksbr
from django.utils.safestring import SafeString, mark_safe
from django.utils.timezone import template_localtime
from django.utils.translation import gettext, ngettext


def _date(value, pattern: str) -> str:
    """Django's ``|date`` with a fixed pattern: a time in the site's time zone, nothing for
    no value."""
    if not value:
        return ""
    if isinstance(value, datetime.datetime):
        value = template_localtime(value)
    return value.strftime(pattern)


@cache
def _engine() -> Jinja2:
    engine = Jinja2(
        {
            "APP_DIRS": False,
            "DIRS": [Path(__file__).parent / "row_templates"],
            "NAME": "rows",
            "OPTIONS": {"autoescape": True, "extensions": ["jinja2.ext.i18n"]},
        }
    )
    # ``{% trans %}`` and ``_()`` through Django's catalogue, with the msgids Django's
    # ``{% translate %}`` and ``{% blocktranslate %}`` use ("Done %(date)s").
    engine.env.install_gettext_callables(gettext, ngettext, newstyle=True)
    engine.env.filters.update(
        {
            "ymd": lambda value: _date(value, "%Y-%m-%d"),  # |date:"Y-m-d"
            "ymd_hm": lambda value: _date(value, "%Y-%m-%d %H:%M"),  # |date:"Y-m-d H:i"
            "linebreaksbr": lambda value: linebreaksbr(value, autoescape=True),
        }
    )
    return engine


def render_rows(template_name: str, context: dict) -> SafeString:
    # Jinja2 has escaped every value; the result is HTML to insert as it is.
    return mark_safe(_engine().get_template(template_name).render(context))  # noqa: S308
