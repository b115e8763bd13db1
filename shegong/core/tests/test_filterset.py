"""The project's FilterSet copies its filters per instance cheaply: each instance must still own
what a request changes, and a method filter must call its own FilterSet."""

import django_filters
import pytest

from shegong.core.filters import FilterSet
from shegong.places.models import Community


class CommunityFilter(FilterSet):
    code = django_filters.CharFilter(method="filter_code")
    street = django_filters.ModelChoiceFilter(queryset=Community.objects.none())

    class Meta:
        model = Community
        fields = ["code", "street"]

    def filter_code(self, queryset, name, value):
        self.called_with = value
        return queryset.filter(code=value)


def test_each_instance_owns_its_filters():
    first, second = CommunityFilter(), CommunityFilter()
    first.filters["street"].queryset = Community.objects.all()
    first.filters["street"].extra["help_text"] = "mine"
    assert second.filters["street"].queryset.query.is_empty()
    assert "help_text" not in second.filters["street"].extra
    assert "help_text" not in CommunityFilter.base_filters["street"].extra
    assert first.filters["street"] is not CommunityFilter.base_filters["street"]


@pytest.mark.django_db
def test_a_method_filter_calls_its_own_filterset():
    first = CommunityFilter({"code": "A"}, queryset=Community.objects.all())
    second = CommunityFilter({"code": "B"}, queryset=Community.objects.all())
    list(first.qs), list(second.qs)
    assert (first.called_with, second.called_with) == ("A", "B")


def test_a_form_field_is_built_for_each_instance():
    first, second = CommunityFilter(), CommunityFilter()
    first.filters["street"].queryset = Community.objects.all()
    assert not first.form.fields["street"].queryset.query.is_empty()
    assert second.form.fields["street"].queryset.query.is_empty()


def test_the_form_of_each_instance_has_its_own_fields():
    first, second = CommunityFilter(), CommunityFilter()
    first.form.fields["code"].widget.attrs["data-x"] = "1"
    assert first.form.fields["code"] is not second.form.fields["code"]
    assert "data-x" not in second.form.fields["code"].widget.attrs
    assert "data-x" not in CommunityFilter().form.fields["code"].widget.attrs
