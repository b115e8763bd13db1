"""The one FilterSet of pairing agreements: the list page, its export and the API."""

import django_filters
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from shegong.agencies.models import Agency
from shegong.core.filters import FilterSet
from shegong.core.forms import FilterForm
from shegong.core.ordering import SortFilter, field_label
from shegong.pairing.choices import AgreementStatus
from shegong.pairing.models import AnnualReview, PairingAgreement
from shegong.places.models import Community, Street

SORT_FIELDS = (
    ("title", "title"),
    ("community__code", "community"),
    ("agency__name", "agency"),
    ("starts_on", "starts_on"),
    ("ends_on", "ends_on"),
    ("status", "status"),
)
SORT_LABELS = {
    "title": field_label(PairingAgreement, "title"),
    "community__code": field_label(PairingAgreement, "community"),
    "agency__name": field_label(PairingAgreement, "agency"),
    "starts_on": field_label(PairingAgreement, "starts_on"),
    "ends_on": field_label(PairingAgreement, "ends_on"),
    "status": field_label(PairingAgreement, "status"),
}


class AgreementFilterForm(FilterForm):
    pass


class AgreementFilter(FilterSet):
    q = django_filters.CharFilter(method="filter_q", label=_("Search"))
    street = django_filters.ModelChoiceFilter(
        field_name="community__street", queryset=Street.objects.order_by("code"), label=_("Street")
    )
    community = django_filters.ModelChoiceFilter(
        queryset=Community.objects.select_related("street").order_by("code"),
        label=_("Community"),
    )
    # Set per viewer in __init__: only agencies the viewer may see are offered and accepted.
    agency = django_filters.ModelChoiceFilter(queryset=Agency.objects.none(), label=_("Agency"))
    year = django_filters.NumberFilter(
        method="filter_year", label=_("Year in force"), min_value=1990, max_value=2099
    )
    status = django_filters.ChoiceFilter(choices=AgreementStatus.choices, label=_("Status"))
    review_due = django_filters.BooleanFilter(method="filter_review_due", label=_("Review due"))
    urban_village = django_filters.BooleanFilter(
        field_name="community__urban_village", label=_("Urban village")
    )
    sort = SortFilter(fields=SORT_FIELDS, field_labels=SORT_LABELS, label=_("Sort by"))

    class Meta:
        model = PairingAgreement
        fields = [
            "q",
            "street",
            "community",
            "agency",
            "year",
            "status",
            "review_due",
            "urban_village",
        ]
        form = AgreementFilterForm

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        from shegong.agencies.selectors import agencies_for

        agencies = agencies_for(user) if user is not None else Agency.objects.none()
        self.filters["agency"].queryset = agencies.order_by("name")
        self.form.fields["agency"].queryset = agencies.order_by("name")

    def filter_review_due(self, queryset, name, value):
        """Active agreements without this year's review (``true``), or with it (``false``)."""
        if value is None:
            return queryset
        year = timezone.localdate().year
        due = Q(status=AgreementStatus.ACTIVE, starts_on__year__lte=year) & ~Q(
            pk__in=AnnualReview.objects.filter(year=year).values("agreement_id")
        )
        return queryset.filter(due if value else ~due)

    def filter_year(self, queryset, name, value):
        if value is None:
            return queryset
        year = int(value)
        return queryset.filter(starts_on__year__lte=year, ends_on__year__gte=year)

    def filter_q(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(title__icontains=value)
            | Q(community__name__icontains=value)
            | Q(agency__name__icontains=value)
        )
