"""The one FilterSet for agencies, shared by the list page, its Excel export and the API."""

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from shegong.agencies.choices import AgencyKind
from shegong.agencies.models import Agency
from shegong.core.filters import FilterSet
from shegong.core.forms import FilterForm
from shegong.core.ordering import SortFilter, field_label
from shegong.places.models import Community, Street

# ``?sort=`` keys, one per sortable column of the list; the contact phone is encrypted.
SORT_FIELDS = (
    ("name", "name"),
    ("uscc", "uscc"),
    ("kind", "kind"),
    ("community__street__code", "street"),
    ("community__code", "community"),
    ("contact_name", "contact_name"),
    ("is_active", "is_active"),
)
SORT_LABELS = {
    "name": field_label(Agency, "name"),
    "uscc": field_label(Agency, "uscc"),
    "kind": field_label(Agency, "kind"),
    "community__street__code": _("Street"),
    "community__code": field_label(Agency, "community"),
    "contact_name": field_label(Agency, "contact_name"),
    "is_active": field_label(Agency, "is_active"),
}


class AgencyFilterForm(FilterForm):
    pass


class AgencyFilter(FilterSet):
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
    sort = SortFilter(fields=SORT_FIELDS, field_labels=SORT_LABELS, label=_("Sort by"))

    class Meta:
        model = Agency
        fields = ["q", "kind", "street", "community", "active"]
        form = AgencyFilterForm

    def filter_q(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(name__icontains=value) | Q(uscc__icontains=value.upper()))
