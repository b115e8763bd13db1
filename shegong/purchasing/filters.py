"""The FilterSets of budgets and service projects, shared by the pages, the Excel exports and
the API."""

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from shegong.agencies.models import Agency
from shegong.core.filters import FilterSet
from shegong.core.forms import FilterForm
from shegong.core.ordering import SortFilter, field_label
from shegong.places.models import Street
from shegong.purchasing.choices import Grade
from shegong.purchasing.models import Budget, Project

BUDGET_SORT_FIELDS = (("year", "year"), ("street__code", "source"), ("amount", "amount"))
BUDGET_SORT_LABELS = {
    "year": field_label(Budget, "year"),
    "street__code": _("Funding source"),
    "amount": field_label(Budget, "amount"),
}
PROJECT_SORT_FIELDS = (
    ("title", "title"),
    ("agency__name", "agency"),
    ("starts_on", "start"),
    ("contract_amount", "amount"),
)
PROJECT_SORT_LABELS = {
    "title": field_label(Project, "title"),
    "agency__name": field_label(Project, "agency"),
    "starts_on": field_label(Project, "starts_on"),
    "contract_amount": field_label(Project, "contract_amount"),
}


class PurchasingFilterForm(FilterForm):
    pass


class BudgetFilter(FilterSet):
    year = django_filters.NumberFilter(label=_("Year"))
    source = django_filters.ChoiceFilter(
        method="filter_source",
        choices=(("district", _("District")), ("street", _("Streets"))),
        label=_("Funding source"),
    )
    street = django_filters.ModelChoiceFilter(
        queryset=Street.objects.order_by("code"), label=_("Funding street")
    )
    sort = SortFilter(
        fields=BUDGET_SORT_FIELDS, field_labels=BUDGET_SORT_LABELS, label=_("Sort by")
    )

    class Meta:
        model = Budget
        fields = ["year", "source", "street"]
        form = PurchasingFilterForm

    def filter_source(self, queryset, name, value):
        if value == "district":
            return queryset.filter(street__isnull=True)
        if value == "street":
            return queryset.filter(street__isnull=False)
        return queryset


class ProjectFilter(FilterSet):
    q = django_filters.CharFilter(method="filter_q", label=_("Search"))
    year = django_filters.NumberFilter(field_name="budget__year", label=_("Year"))
    agency = django_filters.ModelChoiceFilter(queryset=Agency.objects.none(), label=_("Agency"))
    street = django_filters.ModelChoiceFilter(
        queryset=Street.objects.order_by("code"), label=_("Street")
    )
    grade = django_filters.ChoiceFilter(
        method="filter_grade", choices=Grade.choices, label=_("Latest grade")
    )
    sort = SortFilter(
        fields=PROJECT_SORT_FIELDS, field_labels=PROJECT_SORT_LABELS, label=_("Sort by")
    )

    class Meta:
        model = Project
        fields = ["q", "year", "agency", "street", "grade"]
        form = PurchasingFilterForm

    def __init__(self, *args, request_user=None, **kwargs):
        super().__init__(*args, **kwargs)
        # Only agencies the viewer may read are offered (DESIGN §4.2).
        self.filters["agency"].queryset = Agency.objects.for_user(request_user).order_by("name")

    def filter_q(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(title__icontains=value)
            | Q(agency__name__icontains=value)
            | Q(contract_no__icontains=value)
        )

    def filter_grade(self, queryset, name, value):
        return queryset.filter(latest_grade=value) if value else queryset
