"""The one FilterSet for the user-administration list, shared by the page and the API."""

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from shegong.accounts.choices import Role
from shegong.accounts.models import RoleAssignment, User
from shegong.core.filters import FilterSet
from shegong.core.forms import FilterForm
from shegong.core.ordering import SortFilter, field_label
from shegong.core.scope import VIEW

# ``?sort=`` keys, one per sortable column of the list (roles cannot sort).
SORT_FIELDS = ("username", "display_name", "is_active", "date_joined")
SORT_LABELS = {name: field_label(User, name) for name in SORT_FIELDS}


class UserFilterForm(FilterForm):
    pass


class UserFilter(FilterSet):
    q = django_filters.CharFilter(method="filter_q", label=_("Search"))
    role = django_filters.ChoiceFilter(choices=Role.choices, method="filter_role", label=_("Role"))
    active = django_filters.BooleanFilter(field_name="is_active", label=_("Active"))
    sort = SortFilter(fields=SORT_FIELDS, field_labels=SORT_LABELS, label=_("Sort by"))

    class Meta:
        model = User
        fields = ["q", "role", "active"]
        form = UserFilterForm

    def filter_q(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(username__icontains=value) | Q(display_name__icontains=value))

    def filter_role(self, queryset, name, value):
        # Only roles the administrator can see count, so the filter reveals nothing beyond scope.
        visible = RoleAssignment.objects.for_user(self.request.user, VIEW).filter(
            role=value, is_active=True
        )
        return queryset.filter(pk__in=visible.values("user_id"))
