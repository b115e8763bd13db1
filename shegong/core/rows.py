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

from django.utils.safestring import SafeString, mark_safe

from shegong.core.jinja import engine


def render_rows(template_name: str, context: dict) -> SafeString:
    # Jinja2 has escaped every value; the result is HTML to insert as it is.
    return mark_safe(engine().get_template(template_name).render(context))  # noqa: S308
