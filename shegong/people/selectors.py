"""Reads of people, always through the user's scope."""

from django.db.models import Q

from shegong.people.models import Person
from shegong.people.search import normalise_query
from shegong.people.services import id_number_index
from shegong.people.validators import normalise_id_number


def people_for(user, action: str = "view"):
    return Person.objects.for_user(user, action).select_related("community", "owner_agency")


def people_search(queryset, query: str):
    """Match name, pinyin, initials or word segments; an exact ID number matches its index."""
    term = normalise_query(query)
    if not term:
        return queryset
    condition = Q(search_text__icontains=term)
    id_like = normalise_id_number(query)
    if len(id_like) >= 5:
        condition |= Q(id_number_index=id_number_index(id_like))
    return queryset.filter(condition)
