"""The one FilterSet for activities, shared by the list page, its Excel export and the API."""

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from shegong.activities.choices import ActivityCategory, ActivityKind, GroupStage
from shegong.activities.models import Activity
from shegong.core.filters import FilterSet
from shegong.core.forms import FilterForm
from shegong.core.ordering import SortFilter, field_label
from shegong.places.models import Community, Street

SORT_FIELDS = (
    ("title", "title"),
    ("kind", "kind"),
    ("category", "category"),
    ("community__code", "community"),
    ("starts_on", "starts_on"),
    ("stage", "stage"),
    ("session_count", "sessions"),
    ("person_times", "person_times"),
)
SORT_LABELS = {
    "title": field_label(Activity, "title"),
    "kind": field_label(Activity, "kind"),
    "category": field_label(Activity, "category"),
    "community__code": field_label(Activity, "community"),
    "starts_on": field_label(Activity, "starts_on"),
    "stage": field_label(Activity, "stage"),
    "session_count": _("Sessions"),
    "person_times": _("Person-times"),
}


class ActivityFilterForm(FilterForm):
    pass


def filter_communities(user):
    """Communities the viewer has activities in (the filter offers no others)."""
    if user is None or not user.is_authenticated:
        return Community.objects.none()
    seen = Activity.objects.for_user(user).values("community_id")
    return (
        Community.objects.for_user(user)
        .filter(pk__in=seen)
        .select_related("street")
        .order_by("code")
    )


def filter_agreements(user):
    """Pairing agreements the viewer sees (joint activities are filtered by them)."""
    from shegong.pairing.models import PairingAgreement

    if user is None or not user.is_authenticated:
        return PairingAgreement.objects.none()
    return PairingAgreement.objects.for_user(user).order_by("-starts_on", "pk")


class ActivityFilter(FilterSet):
    q = django_filters.CharFilter(method="filter_q", label=_("Search"))
    kind = django_filters.ChoiceFilter(choices=ActivityKind.choices, label=_("Kind"))
    category = django_filters.ChoiceFilter(choices=ActivityCategory.choices, label=_("Category"))
    stage = django_filters.ChoiceFilter(choices=GroupStage.choices, label=_("Stage"))
    street = django_filters.ModelChoiceFilter(
        field_name="community__street",
        queryset=Street.objects.order_by("code"),
        label=_("Street"),
    )
    community = django_filters.ModelChoiceFilter(
        queryset=Community.objects.none(), label=_("Community")
    )
    pairing = django_filters.ModelChoiceFilter(
        queryset=Activity.objects.none(), label=_("Pairing agreement")
    )
    date_from = django_filters.DateFilter(
        field_name="ends_on", lookup_expr="gte", label=_("Running on or after")
    )
    date_to = django_filters.DateFilter(
        field_name="starts_on", lookup_expr="lte", label=_("Running on or before")
    )
    sort = SortFilter(fields=SORT_FIELDS, field_labels=SORT_LABELS, label=_("Sort by"))

    class Meta:
        model = Activity
        fields = [
            "q",
            "kind",
            "category",
            "stage",
            "street",
            "community",
            "pairing",
            "date_from",
            "date_to",
        ]
        form = ActivityFilterForm

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["community"].queryset = filter_communities(user)
        self.filters["pairing"].queryset = filter_agreements(user)

    def filter_q(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(title__icontains=value) | Q(description__icontains=value))
