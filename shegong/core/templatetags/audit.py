from django import template

from shegong.core.filters import CHANGE_ACTION_CHOICES, CHANGE_ACTIONS, model_label
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


@register.filter
def action_label(entry) -> str:
    """The change-history action in our own words: auditlog ships no Chinese catalog."""
    labels = {CHANGE_ACTIONS[key]: label for key, label in CHANGE_ACTION_CHOICES}
    return str(labels.get(entry.action, entry.get_action_display()))
