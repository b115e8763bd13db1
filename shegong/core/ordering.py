"""The ``?sort=`` filter of the list FilterSets: the page and the API sort alike."""

import django_filters
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _


class SortFilter(django_filters.OrderingFilter):
    """An OrderingFilter whose fields may themselves descend (``age`` sorts by ``-birth_date``),
    with the id breaking ties so pages never repeat or skip a row."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("empty_label", _("Default order"))
        super().__init__(*args, **kwargs)

    def get_ordering_value(self, param):
        value = super().get_ordering_value(param)
        return value[2:] if value.startswith("--") else value

    def filter(self, qs, value):
        ordering = [self.get_ordering_value(param) for param in value or () if param]
        if not ordering:
            return qs
        return qs.order_by(*ordering, "id")


def field_label(model, name: str):
    """A model field's verbose name with a capital first letter, as column headers show it."""
    return capfirst(model._meta.get_field(name).verbose_name)
