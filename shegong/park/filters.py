"""The FilterSets of units and of tenancy contracts, shared by the pages, the Excel export of
arrears and the API."""

import django_filters
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from shegong.core.filters import FilterSet
from shegong.core.forms import FilterForm
from shegong.core.ordering import SortFilter, field_label
from shegong.park.choices import ContractStatus, UnitKind, UnitStatus
from shegong.park.models import Contract, Park, Unit

UNIT_SORT_FIELDS = (
    ("code", "code"),
    ("floor", "floor"),
    ("area", "area"),
    ("rent_rate", "rent"),
)
UNIT_SORT_LABELS = {
    "code": field_label(Unit, "code"),
    "floor": field_label(Unit, "floor"),
    "area": field_label(Unit, "area"),
    "rent_rate": field_label(Unit, "rent_rate"),
}
CONTRACT_SORT_FIELDS = (
    ("tenant_name", "tenant"),
    ("start_date", "start"),
    ("end_date", "end"),
    ("monthly_rent", "rent"),
)
CONTRACT_SORT_LABELS = {
    "tenant_name": field_label(Contract, "tenant_name"),
    "start_date": field_label(Contract, "start_date"),
    "end_date": field_label(Contract, "end_date"),
    "monthly_rent": field_label(Contract, "monthly_rent"),
}
YES_NO = (("yes", _("Yes")), ("no", _("No")))


def _holding_today():
    """Contracts that hold their units today."""
    today = timezone.localdate()
    return Q(status=ContractStatus.ACTIVE, start_date__lte=today) & (
        Q(terminated_on__isnull=True, end_date__gte=today) | Q(terminated_on__gte=today)
    )


class UnitFilterForm(FilterForm):
    pass


class UnitFilter(FilterSet):
    q = django_filters.CharFilter(method="filter_q", label=_("Search"))
    park = django_filters.ModelChoiceFilter(queryset=Park.objects.none(), label=_("Park"))
    kind = django_filters.ChoiceFilter(choices=UnitKind.choices, label=_("Kind"))
    status = django_filters.ChoiceFilter(choices=UnitStatus.choices, label=_("Status"))
    let = django_filters.ChoiceFilter(choices=YES_NO, method="filter_let", label=_("Let today"))
    sort = SortFilter(fields=UNIT_SORT_FIELDS, field_labels=UNIT_SORT_LABELS, label=_("Sort by"))

    class Meta:
        model = Unit
        fields = ["q", "park", "kind", "status", "let"]
        form = UnitFilterForm

    def __init__(self, *args, parks=None, **kwargs):
        super().__init__(*args, **kwargs)
        if parks is not None:
            self.filters["park"].queryset = parks
            self.form.fields["park"].queryset = parks

    def filter_q(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(code__icontains=value) | Q(note__icontains=value))

    def filter_let(self, queryset, name, value):
        # Only which units are let today, as a subquery of the already scoped units: no contract
        # row is read or shown, so it needs no scope of its own.
        held = Contract.objects.filter(_holding_today()).values("units")
        if value == "yes":
            return queryset.filter(pk__in=held)
        if value == "no":
            return queryset.exclude(pk__in=held)
        return queryset


class ContractFilterForm(FilterForm):
    pass


class ContractFilter(FilterSet):
    q = django_filters.CharFilter(method="filter_q", label=_("Search"))
    park = django_filters.ModelChoiceFilter(queryset=Park.objects.none(), label=_("Park"))
    status = django_filters.ChoiceFilter(choices=ContractStatus.choices, label=_("Status"))
    in_arrears = django_filters.ChoiceFilter(
        choices=YES_NO, method="filter_in_arrears", label=_("In arrears")
    )
    sort = SortFilter(
        fields=CONTRACT_SORT_FIELDS, field_labels=CONTRACT_SORT_LABELS, label=_("Sort by")
    )

    class Meta:
        model = Contract
        fields = ["q", "park", "status", "in_arrears"]
        form = ContractFilterForm

    def __init__(self, *args, parks=None, **kwargs):
        super().__init__(*args, **kwargs)
        if parks is not None:
            self.filters["park"].queryset = parks
            self.form.fields["park"].queryset = parks

    def filter_q(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        # The tenant's name and the units' codes: all a viewer of the contract reads anyway.
        return queryset.filter(
            Q(tenant_name__icontains=value) | Q(units__code__icontains=value)
        ).distinct()

    def filter_in_arrears(self, queryset, name, value):
        # Arrears are computed from each contract's schedule, not stored: the park holds tens of
        # contracts, and the sum of their payments is one query (selectors.standings).
        from shegong.park.selectors import contracts_in_arrears

        if value not in ("yes", "no"):
            return queryset
        owing = contracts_in_arrears(queryset)
        return queryset.filter(pk__in=owing) if value == "yes" else queryset.exclude(pk__in=owing)
