"""The one FilterSet for people, shared by the list page, its Excel export and the API."""

import datetime

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from shegong.core.filters import FilterSet
from shegong.core.forms import FilterForm
from shegong.core.masks import mask_id_number
from shegong.core.ordering import SortFilter, field_label
from shegong.people.choices import Gender, IdType
from shegong.people.models import Person
from shegong.people.selectors import people_filter_communities, people_search
from shegong.people.validators import normalise_id_number


def _years_ago(today: datetime.date, years: int) -> datetime.date:
    try:
        return today.replace(year=today.year - years)
    except ValueError:  # 29 February in a non-leap year
        return today.replace(year=today.year - years, day=28)


# ``?sort=`` keys, one per sortable column of the list; ID number and mobile are encrypted and
# cannot sort.
SORT_FIELDS = (
    ("id", "number"),
    ("name", "name"),
    ("gender", "gender"),
    ("birth_date", "birth_date"),
    ("-birth_date", "age"),
    ("id_type", "id_type"),
    ("community__code", "community"),
    ("owner_agency__name", "owner_agency"),
)
SORT_LABELS = {
    "id": _("No."),
    "name": _("Name"),
    "gender": field_label(Person, "gender"),
    "birth_date": field_label(Person, "birth_date"),
    "-birth_date": _("Age"),
    "id_type": field_label(Person, "id_type"),
    "community__code": field_label(Person, "community"),
    "owner_agency__name": field_label(Person, "owner_agency"),
}


class PersonFilterForm(FilterForm):
    pass


class PersonFilter(FilterSet):
    """Search, place, gender, ID type, and age or birth-date ranges.

    Pass ``user=`` so the community choices are those the user can see people in.
    """

    q = django_filters.CharFilter(
        method="filter_q",
        label=_("Search"),
        widget=forms.TextInput(attrs={"placeholder": _("Name, pinyin, initials or ID number")}),
    )
    community = django_filters.ModelChoiceFilter(
        queryset=Person.objects.none(), label=_("Home community")
    )
    gender = django_filters.ChoiceFilter(choices=Gender.choices, label=_("Gender"))
    id_type = django_filters.ChoiceFilter(choices=IdType.choices, label=_("ID type"))
    age_min = django_filters.NumberFilter(
        method="filter_age_min", label=_("Age from"), min_value=0, max_value=150
    )
    age_max = django_filters.NumberFilter(
        method="filter_age_max", label=_("Age to"), min_value=0, max_value=150
    )
    born_from = django_filters.DateFilter(
        field_name="birth_date",
        lookup_expr="gte",
        label=_("Born on or after"),
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    born_to = django_filters.DateFilter(
        field_name="birth_date",
        lookup_expr="lte",
        label=_("Born on or before"),
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    sort = SortFilter(fields=SORT_FIELDS, field_labels=SORT_LABELS, label=_("Sort by"))

    class Meta:
        model = Person
        fields = ["q", "community", "gender", "id_type", "age_min", "age_max"]
        form = PersonFilterForm

    def __init__(self, data=None, queryset=None, *, user=None, today=None, **kwargs):
        super().__init__(data, queryset, **kwargs)
        self.today = today or datetime.date.today()
        self.filters["community"].queryset = people_filter_communities(user)

    def filter_q(self, queryset, name, value):
        return people_search(queryset, value)

    def filter_age_min(self, queryset, name, value):
        # At least N years old: born on or before today minus N years.
        return queryset.filter(birth_date__lte=_years_ago(self.today, int(value)))

    def filter_age_max(self, queryset, name, value):
        # At most N years old: born after today minus N+1 years.
        return queryset.filter(birth_date__gt=_years_ago(self.today, int(value) + 1))

    def describe(self) -> str:
        """The filter as ``key=value`` pairs for the access log, with ID numbers masked.

        Searching by an exact ID number is allowed, but the log must not store the plaintext.
        """
        if not self.is_bound or not self.form.is_valid():
            return ""
        parts = []
        for key, value in self.form.cleaned_data.items():
            if value in (None, "", []) or key == "sort":  # the export has its own order
                continue
            if key == "q":
                compact = normalise_id_number(value)
                if sum(ch.isdigit() for ch in compact) >= 5:
                    value = mask_id_number(compact)
            if hasattr(value, "pk"):
                value = value.pk
            parts.append(f"{key}={value}")
        return "&".join(parts)
