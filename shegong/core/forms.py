"""Form helpers: Tabler classes on every widget, and foreign-key choices limited to scope."""

from django import forms


class TablerFormMixin:
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, forms.CheckboxInput):
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
    """Attach a service's ValidationError to the form's fields so the page shows them inline."""
    if hasattr(error, "error_dict"):
        for field, messages in error.message_dict.items():
            form.add_error(field if field in form.fields else None, messages)
    else:
        form.add_error(None, error.messages)
    form.add_error_classes()
