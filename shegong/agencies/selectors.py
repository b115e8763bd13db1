"""Reads of agencies: always through the scope, filtered by the one FilterSet."""

from shegong.agencies.filters import AgencyFilter
from shegong.agencies.models import Agency
from shegong.core.scope import CHANGE, VIEW


def agencies_for(user, action: str = VIEW):
    return Agency.objects.for_user(user, action).select_related("community__street")


def agency_filter(user, params) -> AgencyFilter:
    """The bound FilterSet over the user's agencies (the page renders its form)."""
    return AgencyFilter(params, queryset=agencies_for(user))


def agency_for_user_or_404(user, pk, action: str = VIEW) -> Agency:
    return Agency.objects.select_related("community__street").get_for_user_or_404(
        user, action, pk=pk
    )


def may_change(user, agency: Agency) -> bool:
    return Agency.objects.for_user(user, CHANGE).filter(pk=agency.pk).exists()
