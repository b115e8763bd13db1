"""The FilterSets of charity funds (the list) and of a fund's ledger, shared by the pages, the
Excel exports and the API."""

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from shegong.core.filters import FilterSet
from shegong.core.forms import FilterForm
from shegong.core.ordering import SortFilter, field_label
from shegong.funds.choices import EntryKind
from shegong.funds.models import Entry, Fund
from shegong.places.models import Community, Street

FUND_SORT_FIELDS = (
    ("name", "name"),
    ("community__street__code", "street"),
    ("community__code", "community"),
    ("balance", "balance"),
)
FUND_SORT_LABELS = {
    "name": field_label(Fund, "name"),
    "community__street__code": _("Street"),
    "community__code": field_label(Fund, "community"),
    "balance": field_label(Fund, "balance"),
}

ENTRY_SORT_FIELDS = (
    ("receipt_no", "receipt"),
    ("occurred_on", "date"),
    ("kind", "kind"),
    ("money", "amount"),
)
ENTRY_SORT_LABELS = {
    "receipt_no": field_label(Entry, "receipt_no"),
    "occurred_on": field_label(Entry, "occurred_on"),
    "kind": field_label(Entry, "kind"),
    "money": field_label(Entry, "money"),
}


class FundFilterForm(FilterForm):
    pass


class FundFilter(FilterSet):
    q = django_filters.CharFilter(method="filter_q", label=_("Search"))
    street = django_filters.ModelChoiceFilter(
        field_name="community__street", queryset=Street.objects.order_by("code"), label=_("Street")
    )
    community = django_filters.ModelChoiceFilter(
        queryset=Community.objects.select_related("street").order_by("code"),
        label=_("Community"),
    )
    sort = SortFilter(fields=FUND_SORT_FIELDS, field_labels=FUND_SORT_LABELS, label=_("Sort by"))

    class Meta:
        model = Fund
        fields = ["q", "street", "community"]
        form = FundFilterForm

    def filter_q(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(name__icontains=value) | Q(community__name__icontains=value))


class EntryFilterForm(FilterForm):
    pass


class EntryFilter(FilterSet):
    q = django_filters.CharFilter(method="filter_q", label=_("Search"))
    kind = django_filters.ChoiceFilter(choices=EntryKind.choices, label=_("Kind"))
    date_from = django_filters.DateFilter(
        field_name="occurred_on", lookup_expr="gte", label=_("From")
    )
    date_to = django_filters.DateFilter(field_name="occurred_on", lookup_expr="lte", label=_("To"))
    sort = SortFilter(fields=ENTRY_SORT_FIELDS, field_labels=ENTRY_SORT_LABELS, label=_("Sort by"))

    class Meta:
        model = Entry
        fields = ["q", "kind", "date_from", "date_to"]
        form = EntryFilterForm

    def filter_q(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        q = (
            Q(donor_name__icontains=value)
            | Q(purpose__icontains=value)
            | Q(recipient__icontains=value)
            | Q(goods_description__icontains=value)
        )
        if value.isdecimal() and len(value) <= 9:
            q |= Q(receipt_no=int(value))
        return queryset.filter(q)
