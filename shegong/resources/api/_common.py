"""Helpers of the lists' API: references by id, refused like missing ones."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from shegong.people.selectors import people_for
from shegong.places.models import Community

# --- helpers -----------------------------------------------------------------------------------


def _ref(model, pk, field: str, message: str):
    if pk is None:
        return None
    obj = model.objects.filter(pk=pk).first()
    if obj is None:
        raise ValidationError({field: [message]})
    return obj


def _community(pk):
    return _ref(Community, pk, "community", _("Choose a community inside your own scope."))


def _person(user, pk):
    if pk is None:
        return None
    person = people_for(user).filter(pk=pk).first()
    if person is None:
        raise ValidationError({"person": [_("Choose a resident you may see.")]})
    return person


def _sorted(qs, filters, *default):
    return qs if filters.sort else qs.order_by(*default)
