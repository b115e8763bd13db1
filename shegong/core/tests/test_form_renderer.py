"""The form renderer writes a select's options inline: the HTML must stay Django's own."""

import re

from django import forms
from django.forms.renderers import Jinja2

from shegong.core.forms import FAST_SELECTS, FilterForm, FormRenderer


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


def _tags(html: str) -> str:
    """Whitespace between tags dropped, and markupsafe's spelling of escaped quotes (Jinja2)
    written as Django's, so that only a real difference fails."""
    html = html.replace("&#34;", "&quot;").replace("&#39;", "&#x27;")
    return re.sub(r">\s+<", "><", re.sub(r"\s+", " ", html)).strip()


def test_selects_drawn_in_python_are_djangos_html():
    """Every form styled by TablerFormMixin draws its selects in Python (``OptionsInPython``);
    the HTML is what Django's own templates write, grouped, selected, escaped or not."""
    for data in (None, {"plain": "y", "several": ["1", "2"], "maybe": "false"}, {"plain": "x"}):
        for name in ("plain", "several", "maybe"):
            form = Sample(data)
            form.renderer = Jinja2()
            django_html = _tags(str(form[name]))
            widget = form.fields[name].widget
            widget.__class__ = FAST_SELECTS[type(widget)]
            assert _tags(str(form[name])) == django_html, name


def test_a_styled_form_draws_model_choices_grouped_and_selected(world):
    from shegong.places.models import Community

    class Place(FilterForm):
        community = forms.ModelChoiceField(Community.objects.all(), required=False)

    chosen = Community.objects.order_by("code").first()
    html = str(Place({"community": chosen.pk})["community"])
    assert type(Place().fields["community"].widget) is not forms.Select
    assert f'<option value="{chosen.pk}" selected>{chosen.name}</option>' in html
    assert html.count("<optgroup") == Community.objects.values("street").distinct().count()
    assert '<option value="">' in html and html.count(" selected") == 1


class Boxes(forms.Form):
    agreed = forms.BooleanField(label="Agreed", required=False)
    kinds = forms.MultipleChoiceField(
        label="Kinds",
        choices=[("a", "Alpha"), ("b", "Beta"), ("c", "Gamma")],
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )


def test_the_shared_field_template_draws_a_box_per_choice_of_a_multiple_choice():
    # Before, a CheckboxSelectMultiple (input type "checkbox" too) was drawn as one box named
    # after the field: a resource's categories could not be chosen on the page.
    from django.template.loader import render_to_string

    form = Boxes({"agreed": "on", "kinds": ["b", "c"]})
    kinds = render_to_string("form_field.html", {"field": form["kinds"]})
    agreed = render_to_string("form_field.html", {"field": form["agreed"]})

    assert re.findall(r'value="(\w)"', kinds) == ["a", "b", "c"]
    assert kinds.count("checked") == 2 and "Gamma" in kinds
    assert agreed.count('type="checkbox"') == 1 and "checked" in agreed
