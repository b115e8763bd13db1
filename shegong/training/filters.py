"""The FilterSets of the academy's lists, shared by the pages, the Excel exports and the API."""

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from shegong.core.filters import FilterSet
from shegong.core.forms import FilterForm
from shegong.core.ordering import SortFilter
from shegong.training.choices import ClassLevel, EmployerType, EnrolmentStatus
from shegong.training.models import Enrolment, Site, Teacher, TrainingClass


class ClassFilter(FilterSet):
    q = django_filters.CharFilter(field_name="title", lookup_expr="icontains", label=_("Search"))
    year = django_filters.NumberFilter(label=_("Year"))
    level = django_filters.ChoiceFilter(choices=ClassLevel.choices, label=_("Level"))
    sort = SortFilter(
        fields=(("year", "year"), ("level", "level"), ("title", "title"), ("capacity", "capacity")),
        field_labels={
            "year": _("Year"),
            "level": _("Level"),
            "title": _("Title"),
            "capacity": _("Capacity"),
        },
        label=_("Sort by"),
    )

    class Meta:
        model = TrainingClass
        fields = ["q", "year", "level"]
        form = FilterForm


class EnrolmentFilter(FilterSet):
    q = django_filters.CharFilter(method="filter_q", label=_("Search"))
    klass = django_filters.ModelChoiceFilter(
        queryset=TrainingClass.objects.none(), label=_("Class")
    )
    site = django_filters.ModelChoiceFilter(queryset=Site.objects.none(), label=_("Remote site"))
    status = django_filters.ChoiceFilter(choices=EnrolmentStatus.choices, label=_("Status"))
    employer_type = django_filters.ChoiceFilter(
        choices=EmployerType.choices, label=_("Employer type")
    )
    level = django_filters.ChoiceFilter(
        field_name="klass__level", choices=ClassLevel.choices, label=_("Level")
    )
    year = django_filters.NumberFilter(field_name="klass__year", label=_("Year"))
    completed = django_filters.BooleanFilter(
        field_name="completion", lookup_expr="isnull", exclude=True, label=_("Completed")
    )
    sort = SortFilter(
        fields=(
            ("person__name", "name"),
            ("klass__title", "class"),
            ("site__name", "site"),
            ("status", "status"),
            ("employer_type", "employer_type"),
            ("queued_at", "queued_at"),
        ),
        field_labels={
            "person__name": _("Name"),
            "klass__title": _("Class"),
            "site__name": _("Remote site"),
            "status": _("Status"),
            "employer_type": _("Employer type"),
            "queued_at": _("Enrolled at"),
        },
        label=_("Sort by"),
    )

    class Meta:
        model = Enrolment
        fields = ["q", "klass", "site", "status", "employer_type", "level", "year", "completed"]
        form = FilterForm

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        # Choices in the viewer's scope only: a coordinator picks among their own sites.
        self.filters["site"].queryset = Site.objects.for_user(user)
        from shegong.core.scope import can

        if can(user, TrainingClass, "view"):
            classes = TrainingClass.objects.for_user(user)
        else:
            classes = TrainingClass.objects.filter(
                pk__in=Enrolment.objects.for_user(user).values("klass")
            )
        self.filters["klass"].queryset = classes.order_by("-year", "level")

    def filter_q(self, queryset, name, value):
        """Name, employer, or an exact ID number or mobile (by their blind indexes)."""
        value = value.strip()
        if not value:
            return queryset
        from shegong.core import crypto

        compact = value.replace(" ", "").upper()
        return queryset.filter(
            Q(person__name__icontains=value)
            | Q(employer_name__icontains=value)
            | Q(person__id_number_index=crypto.blind_index(compact, purpose="id_number"))
            | Q(mobile_index=crypto.blind_index(compact, purpose="mobile"))
        )


class TeacherFilter(FilterSet):
    q = django_filters.CharFilter(method="filter_q", label=_("Search"))
    expertise = django_filters.CharFilter(
        field_name="expertise", lookup_expr="icontains", label=_("Expertise")
    )
    active = django_filters.BooleanFilter(field_name="is_active", label=_("Active"))
    sort = SortFilter(
        fields=(("name", "name"), ("session_count", "sessions"), ("rating", "rating")),
        field_labels={
            "name": _("Name"),
            "session_count": _("Sessions taught"),
            "rating": _("Rating"),
        },
        label=_("Sort by"),
    )

    class Meta:
        model = Teacher
        fields = ["q", "expertise", "active"]
        form = FilterForm

    def filter_q(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(name__icontains=value)
            | Q(expertise__icontains=value)
            | Q(organisation__icontains=value)
        )
