"""The one FilterSet for cases, shared by the case lists, their Excel export and the API."""

import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from shegong.cases.choices import CaseStatus, RiskLevel, choice_rank
from shegong.cases.models import Case, ClientFile, TargetGroup
from shegong.cases.selectors import (
    case_filter_communities,
    case_filter_workers,
    reads_inside_every_viewable,
)
from shegong.core.filters import FilterSet
from shegong.core.forms import FilterForm
from shegong.core.ordering import SortFilter
from shegong.core.scope import CONTENT, can
from shegong.people.models import Person
from shegong.people.selectors import people_search

# Sorting keys offered by the pages and the API (``?sort=-intake_date``).
SORT_FIELDS = (
    ("number", "number"),
    ("intake_date", "intake_date"),
    ("last_contact_date", "last_contact_date"),
    ("status", "status"),
    ("risk_level", "risk_level"),
    ("person_times", "person_times"),
    ("community__code", "community"),
)
SORT_LABELS = {
    "number": _("Case number"),
    "intake_date": _("Intake date"),
    "last_contact_date": _("Last contact"),
    "status": _("Status"),
    "risk_level": _("Risk level"),
    "person_times": _("Person-times"),
    "community": _("Community"),
}
# Sort keys by case content, offered only to whom the list shows it in every row.
HIDDEN_SORTS = ("last_contact_date", "-last_contact_date")


# Sorted in the order of their choices (low → crisis, intake → closed), not of the stored names.
RANKED = {"risk_level": RiskLevel, "status": CaseStatus}


class CaseOrderingFilter(SortFilter):
    def get_ordering_value(self, param):
        value = super().get_ordering_value(param)
        field = value.lstrip("-")
        if field in RANKED:
            rank = choice_rank(field, RANKED[field])
            return rank.desc() if value.startswith("-") else rank.asc()
        return value


class CaseFilterForm(FilterForm):
    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("intake_from"), cleaned.get("intake_to")
        if start and end and start > end:
            self.add_error("intake_to", _("The end date is before the start date."))
        return cleaned


class CaseFilter(FilterSet):
    """Status, risk, target group, community, worker, intake dates, Taiwan service and search.

    Pass ``user=``: the community and worker choices are those the user can see cases of, and
    every filter that looks into another model goes through the user's scope. ``q`` matches the
    case number; the client's name (pinyin, initials, exact ID number or mobile through the
    people search) and the worker only in the cases the user may read inside, since elsewhere
    the list hides them and a search must not tell what the list hides.
    """

    q = django_filters.CharFilter(
        method="filter_q",
        label=_("Search"),
        widget=forms.TextInput(attrs={"placeholder": _("Case number or client name")}),
    )
    status = django_filters.ChoiceFilter(
        choices=CaseStatus.choices, label=_("Status"), empty_label=_("Any")
    )
    open = django_filters.BooleanFilter(
        method="filter_open",
        # One question with three answers, not a checkbox label over a three-way choice.
        label=_("Open or closed"),
        widget=forms.Select(choices=[("", _("Any")), ("true", _("Open")), ("false", _("Closed"))]),
    )
    risk_level = django_filters.ChoiceFilter(
        choices=RiskLevel.choices, label=_("Risk level"), empty_label=_("Any")
    )
    target_group = django_filters.ModelChoiceFilter(
        method="filter_target_group",
        # Only what the option shows: every list page draws these choices.
        queryset=TargetGroup.objects.filter(is_active=True).only("name"),
        label=_("Target group"),
        empty_label=_("Any"),
    )
    community = django_filters.ModelChoiceFilter(
        queryset=Case.objects.none(), label=_("Community"), empty_label=_("Any")
    )
    worker = django_filters.ModelChoiceFilter(
        queryset=Case.objects.none(),
        method="filter_worker",
        label=_("Social worker"),
        empty_label=_("Any"),
    )
    intake_from = django_filters.DateFilter(
        field_name="intake_date",
        lookup_expr="gte",
        label=_("Intake from"),
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    intake_to = django_filters.DateFilter(
        field_name="intake_date",
        lookup_expr="lte",
        label=_("Intake to"),
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    is_taiwan_service = django_filters.BooleanFilter(
        label=_("Taiwan compatriot service"),
        widget=forms.Select(choices=[("", _("Any")), ("true", _("Yes")), ("false", _("No"))]),
    )
    sort = CaseOrderingFilter(fields=SORT_FIELDS, field_labels=SORT_LABELS, label=_("Sort by"))

    class Meta:
        model = Case
        fields = [
            "q",
            "status",
            "open",
            "risk_level",
            "target_group",
            "community",
            "worker",
            "intake_from",
            "intake_to",
            "is_taiwan_service",
        ]
        form = CaseFilterForm

    def __init__(
        self, data=None, queryset=None, *, user=None, without=(), readable=False, **kwargs
    ):
        """``without``: filters a list has no use for (My work lists one worker's open
        cases), left out before their choices are looked up. ``readable``: the queryset holds
        only cases the user reads inside (My work)."""
        super().__init__(data, queryset, **kwargs)
        self.user = user
        if not readable and not reads_inside_every_viewable(user):
            # The last contact is content: sorting by it where the list hides it would tell
            # which cases had contact and in what order.
            sort = self.filters["sort"]
            sort.extra["choices"] = [
                choice for choice in sort.extra["choices"] if choice[0] not in HIDDEN_SORTS
            ]
        for name in without:
            del self.filters[name]
        self.filters["community"].queryset = case_filter_communities(user)
        if "worker" in self.filters:
            self.filters["worker"].queryset = case_filter_workers(user)

    def _readable(self):
        """Ids of the cases whose client and worker the user may read (none without a user)."""
        return Case.objects.for_user(self.user, CONTENT).values("pk")

    def filter_q(self, queryset, name, value):
        value = (value or "").strip()
        if not value:
            return queryset
        if self.user is None or not can(self.user, Case, CONTENT):
            return queryset.filter(number__icontains=value)
        clients = people_search(Person.objects.all(), value).values("pk")
        return queryset.filter(
            Q(number__icontains=value) | Q(client__in=clients, pk__in=self._readable())
        )

    def filter_target_group(self, queryset, name, value):
        """Target groups sit on the client file: match where the user may read the file, or
        inside the case."""
        if value is None:
            return queryset
        files = ClientFile.objects.for_user(self.user).values("pk")
        return queryset.filter(client__client_file__target_groups=value).filter(
            Q(client__client_file__in=files) | Q(pk__in=self._readable())
        )

    def filter_worker(self, queryset, name, value):
        if value is None:
            return queryset
        return queryset.filter(worker=value, pk__in=self._readable())

    def filter_open(self, queryset, name, value):
        if value is None:
            return queryset
        if value:
            return queryset.exclude(status=CaseStatus.CLOSED)
        return queryset.filter(status=CaseStatus.CLOSED)

    def describe(self) -> str:
        """The filter as ``key=value`` pairs for the access log (the search term masked)."""
        if not self.is_bound or not self.form.is_valid():
            return ""
        parts = []
        for key, value in self.form.cleaned_data.items():
            if value in (None, "", []):
                continue
            if key == "q":
                value = "…" if sum(ch.isdigit() for ch in value) >= 5 else value
            if hasattr(value, "pk"):
                value = value.pk
            if isinstance(value, list | tuple):
                value = ",".join(str(v) for v in value)
            parts.append(f"{key}={value}")
        return "&".join(parts)
