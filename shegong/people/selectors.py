"""Reads of people, always through the user's scope."""

import json

from django.db import connection
from django.db.models import Q

from shegong.core.scope import user_assignments
from shegong.people.models import AGENCY_ROLES, Consent, Person
from shegong.people.search import normalise_query
from shegong.people.services import id_number_index, mobile_index
from shegong.people.validators import MOBILE_RE, normalise_id_number, normalise_mobile


def people_for(user, action: str = "view"):
    return Person.objects.for_user(user, action).select_related("community", "owner_agency")


def people_search(queryset, query: str):
    """Match name, pinyin, initials or word segments; an exact ID number or mobile matches its
    blind index (the only way to find encrypted values)."""
    term = normalise_query(query)
    if not term:
        return queryset
    condition = Q(search_text__icontains=term)
    id_like = normalise_id_number(query)
    if len(id_like) >= 5:
        condition |= Q(id_number_index=id_number_index(id_like))
    mobile_like = normalise_mobile(query)
    if MOBILE_RE.match(mobile_like):
        condition |= Q(mobile_index=mobile_index(mobile_like))
    return queryset.filter(condition)


def consents_of(person: Person):
    return Consent.objects.filter(person=person).select_related("recorded_by")


def user_agency(user):
    """The agency an agency-role user works for (their first such assignment), or None."""
    for assignment in user_assignments(user) if user.is_authenticated else []:
        if assignment.agency_id and assignment.role in AGENCY_ROLES:
            return assignment.agency
    return None


def person_community_choices(user, person: Person | None = None):
    """Home communities the user may give a person they register or edit.

    Place roles choose inside their own node. An agency worker serves residents wherever they
    live in the district their agency sits in, so they choose any community of that district.
    Editing keeps the person's current community available, so an edit need not move them.
    """
    from shegong.agencies.models import Agency
    from shegong.places.models import Community
    from shegong.places.selectors import communities_within

    qs = communities_within(user)
    agency_ids = {
        a.agency_id
        for a in (user_assignments(user) if user.is_authenticated else [])
        if a.agency_id and a.role in AGENCY_ROLES
    }
    if agency_ids:
        # The districts of the user's agencies, as a subquery: no agency, community or street
        # row is loaded one by one.
        districts = Agency.objects.filter(pk__in=agency_ids).values("community__street__district")
        qs = qs | Community.objects.filter(street__district__in=districts)
    if person is not None and person.community_id:
        qs = qs | Community.objects.filter(pk=person.community_id)
    return qs.distinct().select_related("street").order_by("code")


def people_filter_communities(user):
    """Community choices of the list filter: where the user may place people, or sees some."""
    from shegong.places.models import Community
    from shegong.places.selectors import communities_within

    if user is None or not user.is_authenticated:
        return Community.objects.none()
    visible = Person.objects.for_user(user).exclude(community=None).values("community_id")
    return (
        Community.objects.filter(Q(pk__in=communities_within(user)) | Q(pk__in=visible))
        .select_related("street")
        .order_by("code")
    )


def id_indexes_on_record(indexes: list[str]) -> set[str]:
    """Which of these ID-number blind indexes some person already has.

    Bulk paths (imports) ask this for thousands of indexes at a time. ``filter(...__in=...)``
    prepares every value and builds a statement with a placeholder each, which measured as a
    tenth of a whole import; here the list travels as one parameter (a JSON array for SQLite,
    an array for PostgreSQL) and the indexes are compared exactly as stored.
    """
    if not indexes:
        return set()
    table = connection.ops.quote_name(Person._meta.db_table)
    column = connection.ops.quote_name(Person._meta.get_field("id_number_index").column)
    # Identifiers come from the model's meta, values only through the one parameter.
    if connection.vendor == "postgresql":
        sql = f"SELECT {column} FROM {table} WHERE {column} = ANY(%s)"  # noqa: S608
        parameter = list(indexes)
    else:
        sql = f"SELECT {column} FROM {table} WHERE {column} IN (SELECT value FROM json_each(%s))"  # noqa: S608, E501
        parameter = json.dumps(indexes)
    with connection.cursor() as cursor:
        cursor.execute(sql, [parameter])
        return {row[0] for row in cursor.fetchall()}


def person_by_id_number(id_number: str, *, exclude_pk=None) -> Person | None:
    """The person with this (normalised, valid) ID number, found by its blind index; not scoped.
    A raw query, as below: the public enrolment asks it for everyone who enrols."""
    table = connection.ops.quote_name(Person._meta.db_table)
    sql = f"SELECT * FROM {table} WHERE id_number_index = %s"  # noqa: S608
    params = [id_number_index(id_number)]
    if exclude_pk is not None:
        sql += " AND id <> %s"
        params.append(exclude_pk)
    return next(iter(Person.objects.raw(sql + " LIMIT 1", params)), None)


def person_by_name_and_mobile(name: str, mobile: str) -> Person | None:
    """The person with exactly this name and (normalised, valid) mobile, found by the mobile's
    blind index; the earliest registered when several match. For matching a resident who
    checks in to someone already on file; not scoped, so callers show nothing of them."""
    # A raw query: a crowd checking in asks this twice per person, once inside the write
    # transaction every other check-in waits for, where the ORM's compiling took four times
    # as long as the query (bench/checkin.py).
    table = connection.ops.quote_name(Person._meta.db_table)
    found = Person.objects.raw(
        f"SELECT * FROM {table} WHERE mobile_index = %s AND name = %s ORDER BY id LIMIT 1",  # noqa: S608
        [mobile_index(mobile), name.strip()],
    )
    return next(iter(found), None)
