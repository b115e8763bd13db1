from django import template

from shegong.core.filters import model_label
from shegong.core.selectors import changed_field_labels

register = template.Library()


@register.filter
def changed_fields(entry) -> list[str]:
    """Human names of the fields a change-history entry touched (never their values)."""
    return changed_field_labels(entry)


@register.filter
def object_type_label(value: str) -> str:
    return model_label(value)


@register.filter
def content_type_label(content_type) -> str:
    model = content_type.model_class()
    return str(model._meta.verbose_name) if model else content_type.model
