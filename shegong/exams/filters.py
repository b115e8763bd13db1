"""The FilterSets of the question bank and the exam results, shared by pages and the API."""

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from shegong.core.filters import FilterSet
from shegong.core.forms import FilterForm
from shegong.core.ordering import SortFilter, field_label
from shegong.exams.choices import ExamLevel, QuestionKind, Subject
from shegong.exams.models import ExamResult, Question

QUESTION_SORT = (
    ("pk", "number"),
    ("subject", "subject"),
    ("level", "level"),
    ("kind", "kind"),
    ("is_active", "is_active"),
)
QUESTION_SORT_LABELS = {
    "pk": _("Number"),
    "subject": field_label(Question, "subject"),
    "level": field_label(Question, "level"),
    "kind": field_label(Question, "kind"),
    "is_active": field_label(Question, "is_active"),
}


class QuestionFilterForm(FilterForm):
    pass


class QuestionFilter(FilterSet):
    q = django_filters.CharFilter(method="filter_q", label=_("Search"))
    subject = django_filters.ChoiceFilter(choices=Subject.choices, label=_("Subject"))
    level = django_filters.ChoiceFilter(choices=ExamLevel.choices, label=_("Exam level"))
    kind = django_filters.ChoiceFilter(choices=QuestionKind.choices, label=_("Question type"))
    active = django_filters.BooleanFilter(field_name="is_active", label=_("In use"))
    sort = SortFilter(fields=QUESTION_SORT, field_labels=QUESTION_SORT_LABELS, label=_("Sort by"))

    class Meta:
        model = Question
        fields = ["q", "subject", "level", "kind", "active"]
        form = QuestionFilterForm

    def filter_q(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        number = value.upper().removeprefix("Q")
        match = Q(stem__icontains=value) | Q(explanation__icontains=value)
        if number.isdecimal() and len(number) < 12:
            match |= Q(pk=int(number))
        return queryset.filter(match)


RESULT_SORT = (
    ("year", "year"),
    ("person__name", "person"),
    ("level", "level"),
    ("subject", "subject"),
    ("score", "score"),
    ("passed", "passed"),
)
RESULT_SORT_LABELS = {
    "year": field_label(ExamResult, "year"),
    "person__name": field_label(ExamResult, "person"),
    "level": field_label(ExamResult, "level"),
    "subject": field_label(ExamResult, "subject"),
    "score": field_label(ExamResult, "score"),
    "passed": field_label(ExamResult, "passed"),
}


class ResultFilterForm(FilterForm):
    pass


class ResultFilter(FilterSet):
    q = django_filters.CharFilter(method="filter_q", label=_("Search by name"))
    year = django_filters.NumberFilter(field_name="year", label=_("Exam year"))
    level = django_filters.ChoiceFilter(choices=ExamLevel.choices, label=_("Exam level"))
    subject = django_filters.ChoiceFilter(choices=Subject.choices, label=_("Subject"))
    passed = django_filters.BooleanFilter(field_name="passed", label=_("Passed"))
    sort = SortFilter(fields=RESULT_SORT, field_labels=RESULT_SORT_LABELS, label=_("Sort by"))

    class Meta:
        model = ExamResult
        fields = ["q", "year", "level", "subject", "passed"]
        form = ResultFilterForm

    def filter_q(self, queryset, name, value):
        # The name only: ID numbers are encrypted and not searchable here.
        value = value.strip()
        return queryset.filter(person__name__icontains=value) if value else queryset
