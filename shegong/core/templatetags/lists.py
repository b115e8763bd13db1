from django import template
from django.utils.translation import gettext

from shegong.core.rows import render_rows

register = template.Library()


@register.simple_tag(takes_context=True)
def filter_fields(context):
    """The list's filter form (``filter_fields.html``), drawn by Jinja2: through the Django
    template engine its loop over a dozen fields cost more than half a millisecond of every
    list page (bench/cases.py), and a list page draws it on every request."""
    return render_rows(
        "filter_fields.html",
        {
            "fields": list(context["filter"].form),
            "action": context.get("action", ""),
            "target": context.get("target", ""),
            "testid": context.get("testid", ""),
            "extra_hidden": context.get("extra_hidden") or (),
            "more_filters": gettext("More filters"),
            "submit": gettext("Filter"),
        },
    )


@register.simple_tag(takes_context=True)
def table_head(context):
    """A list's header row (``table_head.html``), drawn by Jinja2 like its rows: every list
    page draws it on every request."""
    return render_rows("table_head.html", {"headers": context.get("headers", ())})
