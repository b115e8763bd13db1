"""Service rules beyond the need flow: who owns and places resources, what projects link, whom
wishes name, and a step taken on a stale copy of a need."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404

from shegong.people.services import person_create
from shegong.places.models import Community
from shegong.resources import services
from shegong.resources.choices import NeedStatus, ResourceKind
from shegong.resources.models import Need, NeedEvent, Project, Resource, Wish
from shegong.resources.tests.factories import (
    dispatched_need,
    make_resource,
    post_wish,
    raise_need,
)


@pytest.fixture
def elsewhere(world):
    return Community.objects.exclude(street=world.home_street).order_by("code").first()


def test_a_stale_copy_cannot_take_a_step_twice(world):
    need = dispatched_need(world)
    stale = Need.objects.get(pk=need.pk)
    services.need_claim(actor=world.users["agency_admin"], need=need)
    with pytest.raises(ValidationError):
        services.need_decline(actor=world.users["supervisor"], need=stale, reason="晚了一步")
    assert Need.objects.get(pk=need.pk).status == NeedStatus.CLAIMED
    assert NeedEvent.objects.filter(need=need, kind="declined").count() == 0


def test_agency_staff_do_not_record_needs_and_places_are_checked(world, elsewhere):
    with pytest.raises(PermissionDenied):
        raise_need(world, actor=world.users["agency_admin"])
    with pytest.raises(ValidationError) as refused:
        raise_need(world, community=elsewhere)
    assert "community" in refused.value.message_dict
    assert not Need.objects.exists()


def test_a_resident_out_of_scope_is_refused_like_a_missing_one(world, elsewhere):
    stranger = person_create(
        actor=world.users["district_admin"],
        name="别处居民",
        id_type="passport",
        id_number="E7654321",
        community=elsewhere,
    )
    with pytest.raises(ValidationError) as refused:
        raise_need(world, person=stranger)
    assert "person" in refused.value.message_dict
    with pytest.raises(ValidationError) as refused:
        post_wish(world, person=stranger)
    assert "person" in refused.value.message_dict
    assert not Need.objects.exists() and not Wish.objects.exists()


def test_resource_ownership_rules(world, elsewhere):
    director = world.users["agency_admin"]
    # A director registers for their own agency only, never a community's resource.
    with pytest.raises(ValidationError) as refused:
        services.resource_create(
            actor=director, name="社区物资", kind=ResourceKind.GOODS, community=world.home_community
        )
    assert "owner_agency" in refused.value.message_dict
    # Community staff place a community resource in their own community only.
    with pytest.raises(ValidationError) as refused:
        make_resource(
            world, actor=world.users["community_staff"], owner_agency=None, community=elsewhere
        )
    assert "community" in refused.value.message_dict
    with pytest.raises(ValidationError) as refused:
        make_resource(world, categories=["elderly", "flying"])
    with pytest.raises(PermissionDenied):
        make_resource(world, actor=world.users["social_worker"])
    assert not Resource.objects.exists()
    resource = make_resource(world, actor=director)
    # Another agency's worker cannot change it: not found.
    with pytest.raises(Http404):
        services.resource_update(
            actor=world.users["social_worker_b"], resource=resource, capacity=1
        )
    with pytest.raises(ValidationError) as refused:
        services.resource_update(actor=director, resource=resource, capacity=0)
    assert "capacity" in refused.value.message_dict
    assert Resource.objects.get(pk=resource.pk).capacity == 10


def test_projects_link_only_needs_of_their_community(world, elsewhere):
    staff = world.users["community_staff"]
    far = raise_need(world, actor=world.users["district_admin"], community=elsewhere)
    with pytest.raises(ValidationError) as refused:
        services.project_save(
            actor=staff,
            title="跨区项目",
            community=world.home_community,
            starts_on=world.home_community.created_at.date(),
            needs=[far],
        )
    assert "needs" in refused.value.message_dict
    assert not Project.objects.exists()


def test_wishes_fulfilled_only_once_claimed(world):
    wish = post_wish(world)
    with pytest.raises(ValidationError):
        services.wish_fulfil(actor=world.users["community_staff"], wish=wish)
    assert Wish.objects.get(pk=wish.pk).status == "open"
    with pytest.raises(Http404):
        services.wish_fulfil(actor=world.users["agency_admin"], wish=wish)


def test_an_agency_cannot_move_its_resource_into_another_community(world, elsewhere):
    """Found from outside: agency B moved its resource into 兴隆社区, which then showed on that
    community's lists. The agency's resource sits where the agency does."""
    director = world.users["agency_admin"]
    resource = make_resource(world, actor=director)
    with pytest.raises(ValidationError) as refused:
        services.resource_update(actor=director, resource=resource, community=elsewhere)
    assert world.agency_a.community.name in refused.value.message_dict["community"][0]
    assert Resource.objects.get(pk=resource.pk).community == resource.community
    with pytest.raises(ValidationError):
        make_resource(world, actor=director, community=elsewhere)
    assert Resource.objects.count() == 1
