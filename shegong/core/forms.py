"""Form helpers: Tabler classes on every widget, foreign-key choices limited to scope, and the
form renderer."""

from pathlib import Path

from django import forms
from django.forms.renderers import Jinja2
from django.utils.functional import cached_property


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


class TablerFormMixin:
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            widget = field.widget
            # Boxes and radio buttons (a CheckboxSelectMultiple is a kind of RadioSelect).
            if isinstance(widget, forms.CheckboxInput | forms.RadioSelect):
                css = "form-check-input"
            elif isinstance(widget, forms.Select | forms.SelectMultiple):
                css = "form-select"
            else:
                css = "form-control"
            widget.attrs["class"] = f"{widget.attrs.get('class', '')} {css}".strip()

    def add_error_classes(self):
        for name in self.errors:
            if name in self.fields:
                widget = self.fields[name].widget
                widget.attrs["class"] = f"{widget.attrs.get('class', '')} is-invalid".strip()

    def full_clean(self):
        super().full_clean()
        self.add_error_classes()


def limit_choices(form, field_name: str, queryset) -> None:
    """Restrict a ModelChoiceField to rows in the user's scope (DESIGN §4.2)."""
    form.fields[field_name].queryset = queryset


def apply_service_errors(form, error) -> None:
    """Attach a service's ValidationError to the form so the page shows it inline: fields it
    names next to them; a form with ``sections`` (parts of the form that are no single field,
    such as a plan's goals) collects theirs in ``form.section_errors``; the rest at the top."""
    sections = getattr(form, "sections", ())
    if hasattr(error, "error_dict"):
        for field, messages in error.message_dict.items():
            if field in form.fields:
                form.add_error(field, messages)
            elif field in sections:
                form.section_errors.setdefault(field, []).extend(messages)
            else:
                form.add_error(None, messages)
    else:
        form.add_error(None, error.messages)
    form.add_error_classes()
