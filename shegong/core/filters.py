"""The project's FilterSet base, and the FilterSets for the audit page and the audit API (one per
model, shared by both)."""

import copy
import datetime

import django_filters
from auditlog.models import LogEntry
from auditlog.registry import auditlog
from django import forms
from django.apps import apps
from django.db.models import Q
from django.http import QueryDict
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from shegong.core.forms import FilterForm
from shegong.core.models import AccessLog
from shegong.core.validators import DB_INTEGER_MAX

# Audit actions by name rather than auditlog's integers, so URLs and API calls read well.
CHANGE_ACTIONS = {
    "create": LogEntry.Action.CREATE,
    "update": LogEntry.Action.UPDATE,
    "delete": LogEntry.Action.DELETE,
}
CHANGE_ACTION_CHOICES = [
    ("create", _("Created")),
    ("update", _("Changed")),
    ("delete", _("Deleted")),
]


def model_label(label: str) -> str:
    """The human name of "app_label.model" (as the access log stores it), or the label itself."""
    try:
        return str(capfirst(apps.get_model(label)._meta.verbose_name))
    except (LookupError, ValueError):
        return label


def tracked_model_choices() -> list[tuple[str, str]]:
    """Every model with change history, as ("app_label.model_name", verbose name)."""
    choices = {
        f"{model._meta.app_label}.{model._meta.model_name}": str(capfirst(model._meta.verbose_name))
        for model in auditlog.get_models()
    }
    return sorted(choices.items(), key=lambda item: item[0])


def day_start(day: datetime.date) -> datetime.datetime:
    """Midnight at the start of ``day`` in the site's time zone (index-friendly bounds)."""
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def _fresh_copy(filter_: django_filters.Filter) -> django_filters.Filter:
    """A filter of the class's, for one FilterSet: its own attributes and ``extra`` (what a
    request changes: the choices' queryset, the lookup) over the same immutable settings."""
    clone = copy.copy(filter_)
    clone.extra = dict(filter_.extra)
    clone.__dict__.pop("_field", None)  # the form field is built for this FilterSet
    if filter_.method is not None:
        clone.method = filter_.method  # a method filter calls its own parent, not the class's
    return clone


class _FieldsOfOneForm(dict):
    """The fields of a form class made for one FilterSet (``FilterSet.get_form_class``): they were
    built for it from its own filters, and its one form takes them as they are, where Django
    would deep-copy them for the form and drop the originals."""

    def __deepcopy__(self, memo):
        return dict(self)


class FilterSet(django_filters.FilterSet):
    """Every list's FilterSet derives from this one (one FilterSet per list, shared by its page and
    its API operation).

    django-filter deep-copies each declared filter on every request, querysets, lazy labels and
    choices included: about a millisecond of every list page (bench/cases.py), for objects that
    no request changes in place. Each FilterSet here gets shallow copies that own what a request
    may change (``_fresh_copy``); otherwise this is django-filter's own ``__init__``. Its form
    then takes the fields built from them without copying them again.
    """

    def __init__(self, data=None, queryset=None, *, request=None, prefix=None):
        if queryset is None:
            queryset = self._meta.model._default_manager.all()
        self.is_bound = data is not None
        self.data = data or QueryDict()
        self.queryset = queryset
        self.request = request
        self.form_prefix = prefix
        self.filters = {name: _fresh_copy(f) for name, f in self.base_filters.items()}
        for filter_ in self.filters.values():
            filter_.model = queryset.model
            filter_.parent = self

    def get_form_class(self):
        form_class = super().get_form_class()
        form_class.base_fields = _FieldsOfOneForm(form_class.base_fields)
        return form_class


class AuditFilterForm(FilterForm):
    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", _("The end date is before the start date."))
        return cleaned


class AuditFilterSet(FilterSet):
    """Filters both audit tables share; subclasses name the user and time columns."""

    user_field = "user"
    time_field = "created_at"

    user = django_filters.CharFilter(
        method="filter_user",
        label=_("User"),
        help_text=_("Username, or part of the display name."),
    )
    # Bounded: an id past the database's integer range fails in the driver (OverflowError).
    user_id = django_filters.NumberFilter(
        method="filter_user_id", widget=forms.HiddenInput, min_value=1, max_value=DB_INTEGER_MAX
    )
    object_id = django_filters.CharFilter(label=_("Object id"))
    date_from = django_filters.DateFilter(
        method="filter_date_from",
        label=_("From"),
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    date_to = django_filters.DateFilter(
        method="filter_date_to",
        label=_("To"),
        widget=forms.DateInput(attrs={"type": "date"}),
    )

    def filter_user(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(**{f"{self.user_field}__username__iexact": value})
            | Q(**{f"{self.user_field}__display_name__icontains": value})
        )

    def filter_user_id(self, queryset, name, value):
        return queryset.filter(**{f"{self.user_field}_id": int(value)})

    def filter_date_from(self, queryset, name, value):
        return queryset.filter(**{f"{self.time_field}__gte": day_start(value)})

    def filter_date_to(self, queryset, name, value):
        if value >= datetime.date.max:  # 9999-12-31: no day after it to compare with
            return queryset
        return queryset.filter(
            **{f"{self.time_field}__lt": day_start(value + datetime.timedelta(days=1))}
        )


class ChangeFilter(AuditFilterSet):
    """Change history (django-auditlog's LogEntry)."""

    user_field = "actor"
    time_field = "timestamp"

    object_type = django_filters.ChoiceFilter(
        method="filter_object_type",
        choices=tracked_model_choices,
        label=_("Object type"),
        empty_label=_("Any"),
    )
    object_id = django_filters.CharFilter(field_name="object_pk", label=_("Object id"))
    action = django_filters.ChoiceFilter(
        method="filter_action",
        choices=CHANGE_ACTION_CHOICES,
        label=_("Action"),
        empty_label=_("Any"),
    )

    class Meta:
        model = LogEntry
        fields = ["user", "user_id", "object_type", "object_id", "action", "date_from", "date_to"]
        form = AuditFilterForm

    def filter_object_type(self, queryset, name, value):
        app_label, _dot, model_name = value.partition(".")
        return queryset.filter(content_type__app_label=app_label, content_type__model=model_name)

    def filter_action(self, queryset, name, value):
        return queryset.filter(action=CHANGE_ACTIONS[value])


def access_object_type_choices() -> list[tuple[str, str]]:
    """Object types that appear in the access log, plus every tracked model."""
    labels = dict(tracked_model_choices())
    for value in AccessLog.objects.order_by().values_list("object_type", flat=True).distinct():
        labels.setdefault(value.lower() if "." in value else value, model_label(value))
    return sorted(labels.items(), key=lambda item: item[0])


class AccessLogFilter(AuditFilterSet):
    """Reads of sensitive data (core.AccessLog)."""

    object_type = django_filters.ChoiceFilter(
        method="filter_object_type",
        choices=access_object_type_choices,
        label=_("Object type"),
        empty_label=_("Any"),
    )
    action = django_filters.ChoiceFilter(
        choices=AccessLog.Action.choices, label=_("Action"), empty_label=_("Any")
    )

    class Meta:
        model = AccessLog
        fields = ["user", "user_id", "object_type", "object_id", "action", "date_from", "date_to"]
        form = AuditFilterForm

    def filter_object_type(self, queryset, name, value):
        # log_access stores the model label ("people.Person"); match it whatever the case.
        return queryset.filter(object_type__iexact=value)
