"""The one FilterSet per list, shared by the list page, its Excel export and the API. The
community choices are those of the viewer's scope (``user=``)."""

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from shegong.core.filters import FilterSet
from shegong.core.forms import FilterForm
from shegong.core.ordering import SortFilter, field_label
from shegong.places.models import Community
from shegong.resources.choices import (
    Category,
    NeedStatus,
    ProjectStatus,
    ResourceKind,
    Urgency,
    WishStatus,
)
from shegong.resources.models import Need, Project, Resource, Wish


class ScopedCommunityFilterSet(FilterSet):
    community = django_filters.ModelChoiceFilter(
        queryset=Community.objects.none(), label=_("Community")
    )

    def __init__(self, data=None, queryset=None, *, user=None, **kwargs):
        super().__init__(data, queryset=queryset, **kwargs)
        from shegong.resources.selectors import filter_communities

        self.filters["community"].queryset = (
            filter_communities(user) if user is not None else Community.objects.none()
        )


def _categories(queryset, name, value):
    return queryset.filter(categories__contains=f",{value},") if value else queryset


NEED_SORT = (
    ("created_at", "created"),
    ("title", "title"),
    ("category", "category"),
    ("urgency", "urgency"),
    ("people_affected", "people"),
    ("wanted_by", "wanted_by"),
    ("community__code", "community"),
    ("status", "status"),
)


class NeedFilter(ScopedCommunityFilterSet):
    q = django_filters.CharFilter(method="filter_q", label=_("Search"))
    status = django_filters.ChoiceFilter(choices=NeedStatus.choices, label=_("Status"))
    category = django_filters.ChoiceFilter(choices=Category.choices, label=_("Category"))
    urgency = django_filters.ChoiceFilter(choices=Urgency.choices, label=_("Urgency"))
    sort = SortFilter(
        fields=NEED_SORT,
        field_labels={
            "created_at": field_label(Need, "created_at"),
            "title": field_label(Need, "title"),
            "category": field_label(Need, "category"),
            "urgency": field_label(Need, "urgency"),
            "people_affected": field_label(Need, "people_affected"),
            "wanted_by": field_label(Need, "wanted_by"),
            "community__code": field_label(Need, "community"),
            "status": field_label(Need, "status"),
        },
        label=_("Sort by"),
    )

    class Meta:
        model = Need
        fields = ["q", "status", "category", "urgency", "community"]
        form = FilterForm

    def filter_q(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        condition = Q(title__icontains=value)
        number = value.upper().removeprefix("XQ")
        if number.isdecimal() and len(number) < 12:
            condition |= Q(pk=int(number))
        return queryset.filter(condition)


class ResourceFilter(ScopedCommunityFilterSet):
    q = django_filters.CharFilter(method="filter_q", label=_("Search"))
    kind = django_filters.ChoiceFilter(choices=ResourceKind.choices, label=_("Kind"))
    category = django_filters.ChoiceFilter(
        choices=Category.choices, method=_categories, label=_("Category")
    )
    active = django_filters.BooleanFilter(field_name="is_active", label=_("Active"))
    sort = SortFilter(
        fields=(
            ("name", "name"),
            ("kind", "kind"),
            ("capacity", "capacity"),
            ("available_to", "available_to"),
            ("community__code", "community"),
        ),
        field_labels={
            "name": field_label(Resource, "name"),
            "kind": field_label(Resource, "kind"),
            "capacity": field_label(Resource, "capacity"),
            "available_to": field_label(Resource, "available_to"),
            "community__code": field_label(Resource, "community"),
        },
        label=_("Sort by"),
    )

    class Meta:
        model = Resource
        fields = ["q", "kind", "category", "community", "active"]
        form = FilterForm

    def filter_q(self, queryset, name, value):
        value = value.strip()
        return queryset.filter(name__icontains=value) if value else queryset


class ProjectFilter(ScopedCommunityFilterSet):
    q = django_filters.CharFilter(method="filter_q", label=_("Search"))
    status = django_filters.ChoiceFilter(choices=ProjectStatus.choices, label=_("Status"))
    category = django_filters.ChoiceFilter(
        choices=Category.choices, method=_categories, label=_("Category")
    )
    sort = SortFilter(
        fields=(
            ("title", "title"),
            ("starts_on", "starts_on"),
            ("status", "status"),
            ("community__code", "community"),
        ),
        field_labels={
            "title": field_label(Project, "title"),
            "starts_on": field_label(Project, "starts_on"),
            "status": field_label(Project, "status"),
            "community__code": field_label(Project, "community"),
        },
        label=_("Sort by"),
    )

    class Meta:
        model = Project
        fields = ["q", "status", "category", "community"]
        form = FilterForm

    def filter_q(self, queryset, name, value):
        value = value.strip()
        return queryset.filter(title__icontains=value) if value else queryset


class WishFilter(ScopedCommunityFilterSet):
    q = django_filters.CharFilter(method="filter_q", label=_("Search"))
    status = django_filters.ChoiceFilter(choices=WishStatus.choices, label=_("Status"))
    sort = SortFilter(
        fields=(
            ("created_at", "created"),
            ("title", "title"),
            ("status", "status"),
            ("wanted_by", "wanted_by"),
            ("community__code", "community"),
        ),
        field_labels={
            "created_at": field_label(Wish, "created_at"),
            "title": field_label(Wish, "title"),
            "status": field_label(Wish, "status"),
            "wanted_by": field_label(Wish, "wanted_by"),
            "community__code": field_label(Wish, "community"),
        },
        label=_("Sort by"),
    )

    class Meta:
        model = Wish
        fields = ["q", "status", "community"]
        form = FilterForm

    def filter_q(self, queryset, name, value):
        value = value.strip()
        return queryset.filter(title__icontains=value) if value else queryset
