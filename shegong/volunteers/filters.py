"""The one FilterSet for volunteers, shared by the list page, its Excel export and the API."""

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from shegong.core.filters import FilterSet
from shegong.core.forms import FilterForm
from shegong.core.ordering import SortFilter, field_label
from shegong.volunteers.choices import Skill, VolunteerStatus
from shegong.volunteers.models import VolunteerProfile, VolunteerTeam

SORT_FIELDS = (
    ("number", "number"),
    ("person__name", "name"),
    ("team__name", "team"),
    ("status", "status"),
    ("approved_hours", "hours"),
    ("points_balance", "points"),
)
SORT_LABELS = {
    "number": field_label(VolunteerProfile, "number"),
    "person__name": _("Name"),
    "team__name": field_label(VolunteerProfile, "team"),
    "status": field_label(VolunteerProfile, "status"),
    "approved_hours": _("Approved hours"),
    "points_balance": field_label(VolunteerProfile, "points_balance"),
}


class VolunteerFilterForm(FilterForm):
    pass


def filter_teams(user):
    if user is None or not user.is_authenticated:
        return VolunteerTeam.objects.none()
    return VolunteerTeam.objects.for_user(user).order_by("name")


class VolunteerFilter(FilterSet):
    q = django_filters.CharFilter(method="filter_q", label=_("Name or volunteer number"))
    team = django_filters.ModelChoiceFilter(queryset=VolunteerTeam.objects.none(), label=_("Team"))
    skill = django_filters.ChoiceFilter(
        choices=Skill.choices, method="filter_skill", label=_("Skill")
    )
    status = django_filters.ChoiceFilter(choices=VolunteerStatus.choices, label=_("Status"))
    sort = SortFilter(fields=SORT_FIELDS, field_labels=SORT_LABELS, label=_("Sort by"))

    class Meta:
        model = VolunteerProfile
        fields = ["q", "team", "skill", "status"]
        form = VolunteerFilterForm

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["team"].queryset = filter_teams(user)

    def filter_q(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(person__name__icontains=value) | Q(number__iexact=value))

    def filter_skill(self, queryset, name, value):
        return queryset.filter(skills__icontains=f'"{value}"') if value else queryset


# --- teams ------------------------------------------------------------------------------------

TEAM_SORT_FIELDS = (
    ("name", "name"),
    ("community__code", "community"),
    ("volunteer_count", "volunteers"),
)
TEAM_SORT_LABELS = {
    "name": field_label(VolunteerTeam, "name"),
    "community__code": field_label(VolunteerTeam, "community"),
    "volunteer_count": _("Volunteers"),
}


class TeamFilterForm(FilterForm):
    pass


class TeamFilter(FilterSet):
    """The teams list page and ``GET /api/v1/volunteers/teams``: a search by the team's name
    (the only text a team has) and the sort."""

    q = django_filters.CharFilter(method="filter_q", label=_("Team name"))
    sort = SortFilter(fields=TEAM_SORT_FIELDS, field_labels=TEAM_SORT_LABELS, label=_("Sort by"))

    class Meta:
        model = VolunteerTeam
        fields = ["q"]
        form = TeamFilterForm

    def __init__(self, *args, user=None, **kwargs):
        # ``user`` for valid_filterset's call; the queryset is scoped already.
        super().__init__(*args, **kwargs)

    def filter_q(self, queryset, name, value):
        value = value.strip()
        return queryset.filter(name__icontains=value) if value else queryset
