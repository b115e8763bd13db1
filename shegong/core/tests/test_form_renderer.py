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
