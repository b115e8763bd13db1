"""Form helpers: Tabler classes on every widget, foreign-key choices limited to scope, and the
form renderer."""

import html
from itertools import groupby
from operator import itemgetter
from pathlib import Path

from django import forms
from django.forms.models import ModelChoiceIterator
from django.forms.renderers import Jinja2
from django.forms.utils import flatatt
from django.utils.functional import cached_property
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django_filters.widgets import BaseCSVWidget

# Django's and django-filter's placeholder for "nothing chosen".
DJANGO_BLANK = "---------"


class GroupedChoiceIterator(ModelChoiceIterator):
    """The choices of a model that names a ``choice_group`` (a foreign key, e.g. a community's
    street), as one <optgroup> per group: 56 communities read as a list of streets. One query:
    the group rows come along through ``select_related``."""

    def __iter__(self):
        group = getattr(self.queryset.model, "choice_group", None)
        if group is None:
            yield from super().__iter__()
            return
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        rows = self.queryset.order_by(f"{group}__code", "code")
        if self.field.to_field_name is None and _names_label(self.field):
            # The options show the names only: read them as values, no model instances (the
            # case lists' filters draw the district's fifty-odd communities on every page).
            names = rows.values_list("pk", "name", f"{group}__name")
            for parent, members in groupby(names, key=itemgetter(2)):
                yield (parent, [(pk, name) for pk, name, _parent in members])
            return
        rows = rows.select_related(group).only("pk", "name", f"{group}__name")
        for parent, members in groupby(rows, key=lambda row: getattr(row, group)):
            yield (str(parent), [self.choice(row) for row in members])


def _names_label(field) -> bool:
    """Whether the field labels its options with the model's ``__str__``, which for a model
    with a ``choice_group`` (and its group) is the ``name``."""
    return type(field).label_from_instance is forms.ModelChoiceField.label_from_instance


ISO_DATE = "%Y-%m-%d"


def iso_date_input(widget) -> forms.DateInput:
    """Every date field the same way: the browser's date picker, which sends and shows the
    value as YYYY-MM-DD (the format the pages display dates in); where no picker exists the
    placeholder and pattern say that format."""
    attrs = {**widget.attrs, "type": "date", "placeholder": "YYYY-MM-DD"}
    attrs.setdefault("pattern", r"\d{4}-\d{2}-\d{2}")
    return forms.DateInput(attrs=attrs, format=ISO_DATE)


class FormRenderer(Jinja2):
    """Django's Jinja2 widget templates, except a select that writes its options in its own loop
    (``core/form_templates``) instead of including a template per option: the filter forms' selects
    (the district's communities, workers) were a fifth of a list page's time (bench/cases.py)."""

    @cached_property
    def engine(self):
        return self.backend(
            {
                "APP_DIRS": True,
                "DIRS": [
                    Path(__file__).parent / "form_templates",
                    Path(forms.__file__).parent / "jinja2",
                ],
                "NAME": "djangoforms",
                "OPTIONS": {},
            }
        )


class OptionsInPython:
    """A select that writes its options in Python: the same HTML as Django's templates, without
    a dict of attributes and a template call per option. Every list page draws its filters'
    selects (the district's communities grouped by street, target groups, statuses) on each
    request, where the templates cost about a millisecond per page (bench/cases.py)."""

    def render(self, name, value, attrs=None, renderer=None):
        attrs = self.build_attrs(self.attrs, attrs)
        if self.allow_multiple_selected:
            attrs["multiple"] = True
        chosen = self.format_value(value)  # a list, or one string (NullBooleanSelect)
        chosen = {chosen} if isinstance(chosen, str) else set(chosen)
        parts = [format_html('<select name="{}"{}>', name, flatatt(attrs))]
        any_selected = False
        for group, options in self._option_groups():
            if group:
                parts.append(format_html('<optgroup label="{}">', group))
            for option_value, label in options:
                option_value = "" if option_value is None else str(option_value)
                # As Django's optgroups: one selected option unless the select takes several.
                selected = (not any_selected or self.allow_multiple_selected) and (
                    option_value in chosen
                )
                any_selected |= selected
                mark = " selected" if selected else ""
                parts.append(
                    f'<option value="{html.escape(option_value)}"{mark}>{_escaped(label)}</option>'
                )
            if group:
                parts.append("</optgroup>")
        parts.append("</select>")
        return mark_safe("".join(parts))  # noqa: S308 - every value in it is escaped

    def _option_groups(self):
        for option_value, label in self.choices:
            if isinstance(label, list | tuple):
                yield option_value, label
            else:
                yield None, [(option_value, label)]


def _escaped(label) -> str:
    """``conditional_escape`` for an option's label, without its lazy-string wrapper on each
    call (a list page escapes a few hundred labels): the same HTML, as Django's ``escape`` is
    ``html.escape`` of the text."""
    if hasattr(label, "__html__"):
        return label.__html__()
    return html.escape(str(label))


class FastSelect(OptionsInPython, forms.Select):
    pass


class FastSelectMultiple(OptionsInPython, forms.SelectMultiple):
    pass


class FastNullBooleanSelect(OptionsInPython, forms.NullBooleanSelect):
    pass


class FastCSVSelect(BaseCSVWidget, OptionsInPython, forms.Select):
    """django-filter's select of a comma-separated value (a list's "Sort by"): one value is
    drawn as a FastSelect, several as its text input (``BaseCSVWidget.render``)."""


# Exact classes only: a subclass may draw itself differently.
FAST_SELECTS = {
    forms.Select: FastSelect,
    forms.SelectMultiple: FastSelectMultiple,
    forms.NullBooleanSelect: FastNullBooleanSelect,
}


def _fast_select(kind: type) -> type:
    # django-filter makes its CSV select class anew for each field class, from these two.
    if kind.__bases__ == (BaseCSVWidget, forms.Select):
        return FastCSVSelect
    return FAST_SELECTS.get(kind, kind)


def _ids_in_range(field, check_values):
    """A multiple model choice whose ids the database cannot hold (past 64 bits: the driver's
    OverflowError, a 500) is refused like any unknown id. A single choice is refused already
    by Django."""

    def check(value):
        try:
            return check_values(value)
        except OverflowError as exc:
            raise forms.ValidationError(
                field.error_messages["invalid_choice"],
                code="invalid_choice",
                params={"value": "…"},
            ) from exc

    return check


class TablerFormMixin:
    # What an empty choice says: "please choose" in a form, "any" in a list's filters.
    blank_label = _("Choose…")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            self._adjust_choices(field)
            if isinstance(field, forms.ModelMultipleChoiceField):
                field._check_values = _ids_in_range(field, field._check_values)
            if isinstance(field, forms.DateField):
                field.widget = iso_date_input(field.widget)
                field.widget.is_required = field.required
            widget = field.widget
            # Boxes and radio buttons (a CheckboxSelectMultiple is a kind of RadioSelect).
            if isinstance(widget, forms.CheckboxInput | forms.RadioSelect):
                css = "form-check-input"
            elif isinstance(widget, forms.Select | forms.SelectMultiple):
                css = "form-select"
                # Same state, same HTML; only the drawing is faster (see OptionsInPython).
                widget.__class__ = _fast_select(type(widget))
            else:
                css = "form-control"
            widget.attrs["class"] = f"{widget.attrs.get('class', '')} {css}".strip()

    def _adjust_choices(self, field):
        if isinstance(field, forms.ModelMultipleChoiceField | forms.MultipleChoiceField):
            return
        if getattr(field, "empty_label", None) == DJANGO_BLANK:  # model and filter choices
            field.empty_label = self.blank_label
            if not isinstance(field, forms.ModelChoiceField):
                # A filter's choices were copied with the form's fields, still bound to the
                # class's field: bind them to this one so the new label shows.
                field.choices = field.choices.choices
        if isinstance(field, forms.ModelChoiceField):
            # The queryset is often set after this runs; the iterator looks at it when drawn.
            field.iterator = GroupedChoiceIterator
            field.widget.choices = field.choices
        elif isinstance(field, forms.ChoiceField) and not hasattr(field, "empty_label"):
            # A plain form's choices, with the model's blank choice among them.
            field.choices = [
                (value, self.blank_label if label == DJANGO_BLANK else label)
                for value, label in field.choices
            ]
        elif isinstance(field.widget, forms.NullBooleanSelect):
            # A yes/no filter left open means "either", not "unknown".
            field.widget.choices = [
                (value, self.blank_label if value == "unknown" else label)
                for value, label in field.widget.choices
            ]

    def add_error_classes(self):
        for name in self.errors:
            if name in self.fields:
                widget = self.fields[name].widget
                widget.attrs["class"] = f"{widget.attrs.get('class', '')} is-invalid".strip()

    def full_clean(self):
        super().full_clean()
        self.add_error_classes()


class FilterForm(TablerFormMixin, forms.Form):
    """The form of a list's FilterSet: an open choice filters nothing, so it says "any"."""

    blank_label = _("Any")


def limit_choices(form, field_name: str, queryset) -> None:
    """Restrict a ModelChoiceField to rows in the user's scope (DESIGN §4.2)."""
    form.fields[field_name].queryset = queryset


def apply_service_errors(form, error) -> None:
    """Attach a service's ValidationError to the form so the page shows it inline: fields it
    names next to them (``form.error_fields`` maps a name the service uses for a part drawn as
    several fields, such as a contract's tranches, to the field it is shown at); a form with
    ``sections`` (parts of the form that are no single field, such as a plan's goals) collects
    theirs in ``form.section_errors``; the rest at the top."""
    sections = getattr(form, "sections", ())
    shown_at = getattr(form, "error_fields", {})
    if hasattr(error, "error_dict"):
        for field, messages in error.message_dict.items():
            field = shown_at.get(field, field)
            if field in form.fields:
                form.add_error(field, messages)
            elif field in sections:
                form.section_errors.setdefault(field, []).extend(messages)
            else:
                form.add_error(None, messages)
    else:
        form.add_error(None, error.messages)
    form.add_error_classes()


class CalendarDayForm(TablerFormMixin, forms.Form):
    """A day of the holiday calendar; ``core.services.calendar_day_add`` validates it."""

    date = forms.DateField(label=_("Date"))
    kind = forms.ChoiceField(label=_("Kind"), choices=())
    name = forms.CharField(
        label=pgettext_lazy("holiday", "Name"),
        max_length=50,
        help_text=_("The holiday it belongs to, such as 春节 or 国庆节."),
    )

    def __init__(self, *args, **kwargs):
        from shegong.core.models import CalendarDay

        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [("", self.blank_label), *CalendarDay.Kind.choices]
