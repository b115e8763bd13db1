"""The FilterSets of applications and talent profiles, shared by the pages, the exports and the
API. The text search matches the application number and the applicant's name (a person's or an
organisation's): both are shown to everyone who may see the row."""

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from shegong.core.filters import FilterSet
from shegong.core.forms import FilterForm
from shegong.core.ordering import SortFilter, field_label
from shegong.talent.choices import ApplicationStatus, QualificationLevel
from shegong.talent.models import Application, Policy, TalentProfile

APPLICATION_SORT_FIELDS = (
    ("number", "number"),
    ("submitted_at", "submitted"),
    ("status", "status"),
    ("amount", "amount"),
)
APPLICATION_SORT_LABELS = {
    "number": field_label(Application, "number"),
    "submitted_at": field_label(Application, "submitted_at"),
    "status": field_label(Application, "status"),
    "amount": field_label(Application, "amount"),
}


class ApplicationFilterForm(FilterForm):
    pass


class ApplicationFilter(FilterSet):
    q = django_filters.CharFilter(method="filter_q", label=_("Search"))
    status = django_filters.ChoiceFilter(choices=ApplicationStatus.choices, label=_("Status"))
    policy = django_filters.ModelChoiceFilter(
        queryset=Policy.objects.order_by("-year", "name"), label=_("Policy")
    )
    awaiting = django_filters.ChoiceFilter(
        field_name="awaiting_role",
        choices=[
            ("agency_admin", _("Agency confirms")),
            ("street_admin", _("Street reviews")),
            ("district_admin", _("District approves")),
        ],
        label=_("Waiting for"),
    )
    sort = SortFilter(
        fields=APPLICATION_SORT_FIELDS, field_labels=APPLICATION_SORT_LABELS, label=_("Sort by")
    )

    class Meta:
        model = Application
        fields = ["q", "status", "policy", "awaiting"]
        form = ApplicationFilterForm

    def filter_q(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(number__icontains=value)
            | Q(profile__person__name__icontains=value)
            | Q(applicant_agency__name__icontains=value)
        )


class ProfileFilterForm(FilterForm):
    pass


class ProfileFilter(FilterSet):
    q = django_filters.CharFilter(method="filter_q", label=_("Search"))
    level = django_filters.ChoiceFilter(
        field_name="qualifications__level",
        choices=QualificationLevel.choices,
        label=_("Qualification"),
        distinct=True,
    )
    sort = SortFilter(
        fields=(("person__name", "name"),),
        field_labels={"person__name": _("Name")},
        label=_("Sort by"),
    )

    class Meta:
        model = TalentProfile
        fields = ["q", "level"]
        form = ProfileFilterForm

    def filter_q(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(person__name__icontains=value) | Q(agency__name__icontains=value))
