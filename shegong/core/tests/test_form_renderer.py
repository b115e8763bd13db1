"""The form renderer writes a select's options inline: the HTML must stay Django's own."""

import re

from django import forms
from django.forms.renderers import Jinja2

from shegong.core.forms import FormRenderer


class Sample(forms.Form):
    plain = forms.ChoiceField(
        choices=[("", "Any"), ("x", "X<&>"), ("Group", [("y", "Y"), ("z", 'Z"')])],
        required=False,
    )
    several = forms.MultipleChoiceField(choices=[("1", "one"), ("2", "two")], required=False)
    maybe = forms.NullBooleanField()
    radio = forms.ChoiceField(choices=[("a", "A"), ("b", "B")], widget=forms.RadioSelect)


def _html(renderer, data) -> str:
    form = Sample(data)
    form.renderer = renderer
    return re.sub(r"\s+", " ", "".join(str(form[name]) for name in form.fields))


def test_selects_render_as_with_djangos_templates():
    for data in (None, {"plain": "y", "several": ["1", "2"], "maybe": "true", "radio": "b"}):
        ours = _html(FormRenderer(), data)
        assert ours == _html(Jinja2(), data)
    assert '<option value="y" selected>Y</option>' in ours
    assert "X&lt;&amp;&gt;" in ours


def test_jinja2_rows_escape_every_value():
    from shegong.core.rows import render_rows

    html = render_rows(
        "cases/case_rows.html",
        {
            "rows": [
                {
                    "url": "/cases/1/",
                    "number": "<b>1</b>",
                    "status_label": "介入",
                    "risk_label": "高",
                    "community__name": "殿前社区",
                    "intake_date": __import__("datetime").date(2026, 1, 2),
                    "person_times": 3,
                }
            ],
            "show_content": False,
        },
    )
    assert "&lt;b&gt;1&lt;/b&gt;" in html and "<b>" not in html
    assert "2026-01-02" in html
