"""The one FilterSet for agencies, shared by the list page, its Excel export and the API."""

import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from shegong.agencies.choices import AgencyKind
from shegong.agencies.models import Agency
from shegong.core.forms import TablerFormMixin
from shegong.places.models import Community, Street


class AgencyFilterForm(TablerFormMixin, forms.Form):
    pass


class AgencyFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="filter_q", label=_("Search"))
    kind = django_filters.ChoiceFilter(choices=AgencyKind.choices, label=_("Kind"))
    street = django_filters.ModelChoiceFilter(
        field_name="community__street",
        queryset=Street.objects.order_by("code"),
        label=_("Street"),
    )
    community = django_filters.ModelChoiceFilter(
        queryset=Community.objects.select_related("street").order_by("code"),
        label=_("Community"),
    )
    active = django_filters.BooleanFilter(field_name="is_active", label=_("Active"))

    class Meta:
        model = Agency
        fields = ["q", "kind", "street", "community", "active"]
        form = AgencyFilterForm

    def filter_q(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(name__icontains=value) | Q(uscc__icontains=value.upper()))
