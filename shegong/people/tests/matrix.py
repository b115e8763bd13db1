"""People the authorization matrix must not find where they do not belong
(tests/test_authorization_matrix.py, ``LISTS``): both registered by agency B, one in 兴隆社区
(the home community: another agency), one in a community of another street."""

from shegong.core.testing.matrix import Sentinel
from shegong.people.services import person_create
from shegong.people.tests.factories import resident_id
from shegong.places.models import Community

HOME_PLACE = frozenset({"district_admin", "street_admin", "community_staff"})


def person_sentinel(key: str, person, visible_to: frozenset) -> Sentinel:
    # Every way of finding a person finds them for whoever may see them at all.
    terms = (person.name, person.id_number, person.mobile, person.number)
    return Sentinel(
        key=key,
        kind="person",
        pk=person.pk,
        path=f"/people/{person.pk}/",
        texts=(person.name, person.number),
        visible_to=visible_to,
        searches=dict.fromkeys(terms, visible_to),
    )


def people_sentinels(world) -> tuple[dict, list[Sentinel]]:
    """The people (by key) and their sentinels."""
    admin = world.users["district_admin"]
    elsewhere = Community.objects.filter(street=world.other_street).order_by("-code").first()
    people = {
        "person_other_agency": person_create(
            actor=admin,
            name="哨兵邻机构",
            id_number=resident_id(9101),
            mobile="13955550101",
            community=world.home_community,
            owner_agency=world.agency_b,
        ),
        "person_other_street": person_create(
            actor=admin,
            name="哨兵邻街道",
            id_number=resident_id(9102),
            mobile="13955550102",
            community=elsewhere,
            owner_agency=world.agency_b,
        ),
    }
    agency_b = frozenset({"district_admin", "social_worker_b"})
    sentinels = [
        person_sentinel(
            "person_other_agency", people["person_other_agency"], HOME_PLACE | agency_b
        ),
        person_sentinel("person_other_street", people["person_other_street"], agency_b),
    ]
    return people, sentinels
