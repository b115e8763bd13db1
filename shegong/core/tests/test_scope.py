"""The one scope mechanism: each persona's for_user reach, and 404 for what is not theirs."""

import pytest
from django.http import Http404

from shegong.agencies.models import Agency
from shegong.core.scope import CHANGE, VIEW, can
from shegong.people.models import Person
from shegong.people.services import person_create
from shegong.places.models import Community


@pytest.fixture
def people(world):
    """One person in 兴隆社区 registered by agency A, one in a 金山街道 community by agency B."""
    admin = world.users["district_admin"]
    other_community = world.agency_b.community
    home = person_create(
        actor=admin,
        name="张三",
        id_type="passport",
        id_number="E1234567",
        community=world.home_community,
        owner_agency=world.agency_a,
    )
    away = person_create(
        actor=admin,
        name="李四",
        id_type="passport",
        id_number="E7654321",
        community=other_community,
        owner_agency=world.agency_b,
    )
    return home, away


def visible(model, user, action=VIEW):
    return set(model.objects.for_user(user, action).values_list("pk", flat=True))


def test_place_roles_see_people_under_their_node(world, people):
    home, away = people
    assert visible(Person, world.users["district_admin"]) == {home.pk, away.pk}
    assert visible(Person, world.users["street_admin"]) == {home.pk}
    assert visible(Person, world.users["community_staff"]) == {home.pk}


def test_agency_roles_see_only_their_agencys_people(world, people):
    home, away = people
    assert visible(Person, world.users["social_worker"]) == {home.pk}
    assert visible(Person, world.users["social_worker_b"]) == {away.pk}


def test_roles_without_people_rights_see_nobody(world, people):
    for persona in ("training_admin", "evaluator", "auditor"):
        assert visible(Person, world.users[persona]) == set()
        assert not can(world.users[persona], Person, VIEW)


def test_volunteer_sees_only_their_own_person(world, people):
    home, _away = people
    volunteer = world.users["volunteer"]
    assert visible(Person, volunteer) == set()
    volunteer.person = home
    volunteer.save()
    volunteer._scope_assignments = None
    assert visible(Person, volunteer) == {home.pk}
    assert visible(Person, volunteer, CHANGE) == set()


def test_agencies_follow_place_and_agency_nodes(world):
    street_admin = world.users["street_admin"]
    assert world.agency_a.pk in visible(Agency, street_admin)
    assert world.agency_b.pk not in visible(Agency, street_admin)
    assert visible(Agency, world.users["agency_admin"], CHANGE) == {world.agency_a.pk}


def test_everyone_reads_the_place_tree_but_only_district_admin_edits_it(world):
    assert len(visible(Community, world.users["volunteer"])) == 56
    assert visible(Community, world.users["street_admin"], CHANGE) == set()
    assert len(visible(Community, world.users["district_admin"], CHANGE)) == 56


def test_anonymous_and_inactive_users_see_nothing(world, people):
    from django.contrib.auth.models import AnonymousUser

    assert visible(Person, AnonymousUser()) == set()
    admin = world.users["district_admin"]
    admin.is_active = False
    assert visible(Person, admin) == set()


def test_revoked_assignment_no_longer_reaches(world, people):
    staff = world.users["community_staff"]
    staff.role_assignments.update(is_active=False)
    staff._scope_assignments = None
    assert visible(Person, staff) == set()


def test_not_yours_and_missing_both_raise_404(world, people):
    _home, away = people
    staff = world.users["community_staff"]
    with pytest.raises(Http404):
        Person.objects.get_for_user_or_404(staff, pk=away.pk)
    with pytest.raises(Http404):
        Person.objects.get_for_user_or_404(staff, pk=999_999)
    with pytest.raises(Http404):
        Person.objects.get_for_user_or_404(staff, pk="not-a-number")


def test_require_returns_a_row_in_scope_and_refuses_one_outside_as_missing(world, people):
    from shegong.core.scope import OutOfScope, require

    home, away = people
    staff = world.users["community_staff"]
    assert require(staff, home, CHANGE) is home
    with pytest.raises(OutOfScope) as info:
        require(staff, away)
    assert isinstance(info.value, Http404)  # pages and the API answer it as "not found"
    unsaved = Person(name="未保存")
    with pytest.raises(OutOfScope):
        require(staff, unsaved)


def test_require_narrows_a_queryset_to_every_action(world, people):
    from shegong.core.scope import require

    home, away = people
    rows = Person.objects.filter(pk__in=[home.pk, away.pk])
    assert set(require(world.users["community_staff"], rows, VIEW, CHANGE)) == {home}
    assert set(require(world.users["district_admin"], rows)) == {home, away}
    assert set(require(None, rows)) == {home, away}  # the system itself
