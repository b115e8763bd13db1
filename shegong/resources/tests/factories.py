"""Needs, resources, projects and wishes made through the services, as the pages make them."""

import datetime
import itertools

from django.utils import timezone

from shegong.resources import services
from shegong.resources.choices import Category, ResourceKind

_seq = itertools.count(1)


def raise_need(world, *, actor=None, community=None, **data):
    values = {
        "title": f"测试需求{next(_seq)}",
        "category": Category.ELDERLY,
        "people_affected": 5,
        "community": community or world.home_community,
    }
    values.update(data)
    return services.need_raise(actor=actor or world.users["community_staff"], **values)


def make_resource(world, *, actor=None, **data):
    values = {
        "name": f"测试资源{next(_seq)}",
        "kind": ResourceKind.PROFESSIONAL,
        "owner_agency": world.agency_a,
        "categories": [Category.ELDERLY],
        "capacity": 10,
        "capacity_unit": "人",
    }
    values.update(data)
    return services.resource_create(actor=actor or world.users["district_admin"], **values)


def dispatched_need(world, *, agency=None, **data):
    need = raise_need(world, **data)
    return services.need_dispatch(
        actor=world.users["community_staff"], need=need, agency=agency or world.agency_a
    )


def claimed_need(world, **data):
    need = dispatched_need(world, **data)
    return services.need_claim(actor=world.users["agency_admin"], need=need)


def delivered_need(world, **data):
    need = claimed_need(world, **data)
    return services.need_deliver(
        actor=world.users["social_worker"],
        need=need,
        delivered_on=timezone.localdate(),
        summary="上门送餐三次",
    )


def post_wish(world, *, actor=None, **data):
    values = {
        "title": f"一台收音机{next(_seq)}",
        "community": world.home_community,
        "recipient_description": "老人",
        "wanted_by": timezone.localdate() + datetime.timedelta(days=30),
    }
    values.update(data)
    return services.wish_post(actor=actor or world.users["community_staff"], **values)
