"""Matching on fixed, hand-built cases: the ranking, and each criterion's points and sentence."""

import datetime

import pytest
from django.utils import translation

from shegong.places.models import Community
from shegong.resources.choices import Category
from shegong.resources.matching import MAX_TOTAL, rank, score
from shegong.resources.models import Need, Resource, join_categories
from shegong.resources.tests.factories import make_resource, raise_need

TODAY = datetime.date(2026, 6, 1)


@pytest.fixture
def places(world):
    home = world.home_community
    same_street = Community.objects.filter(street=home.street).exclude(pk=home.pk).first()
    other = Community.objects.exclude(street=home.street).first()
    return home, same_street, other


def need_in(community, **kw):
    values = {
        "title": "独居老人助餐",
        "category": Category.ELDERLY,
        "people_affected": 10,
        "wanted_by": datetime.date(2026, 6, 15),
    }
    values.update(kw)
    return Need(community=community, **values)


def resource_at(community, name="资源", categories=(Category.ELDERLY,), **kw):
    return Resource(name=name, community=community, categories=join_categories(categories), **kw)


def test_a_perfect_fit_scores_full_marks_with_reasons_in_chinese(places):
    home, _same, _other = places
    need = need_in(home)
    resource = resource_at(
        home, capacity=20, capacity_unit="人", available_from=TODAY, schedule="每周二上午"
    )
    with translation.override("zh-hans"):
        result = score(need, resource, today=TODAY)
    assert result.total == MAX_TOTAL == 100
    texts = [reason.text for reason in result.reasons]
    assert [r.criterion for r in result.reasons] == [
        "category",
        "place",
        "capacity",
        "availability",
    ]
    assert "养老" in texts[0] and "相符" in texts[0]
    assert home.name in texts[1] and "同一社区" in texts[1]
    assert "20" in texts[2] and "10" in texts[2]
    assert "2026-06-15" in texts[3] and "每周二上午" in texts[3]


def test_each_criterion_takes_points_away_and_says_why(places):
    home, same, other = places
    need = need_in(home)
    with translation.override("zh-hans"):
        wrong_category = score(need, resource_at(home, categories=[Category.MINORS]), today=TODAY)
        same_street = score(need, resource_at(same, capacity=50), today=TODAY)
        far = score(need, resource_at(other, capacity=50), today=TODAY)
        small = score(need, resource_at(home, capacity=5), today=TODAY)
        unknown = score(need, resource_at(home), today=TODAY)
        late = score(need, resource_at(home, available_from=datetime.date(2026, 7, 1)), today=TODAY)
        ended = score(need, resource_at(home, available_to=datetime.date(2026, 6, 10)), today=TODAY)
    points = lambda s, c: next(r.points for r in s.reasons if r.criterion == c)  # noqa: E731
    text = lambda s, c: next(r.text for r in s.reasons if r.criterion == c)  # noqa: E731
    assert points(wrong_category, "category") == 0 and "不服务" in text(wrong_category, "category")
    assert points(same_street, "place") == 15 and "同一街道" in text(same_street, "place")
    assert points(far, "place") == 5 and "另一街道" in text(far, "place")
    assert points(small, "capacity") == 10 and "部分" in text(small, "capacity")
    assert points(unknown, "capacity") == 10 and "未登记" in text(unknown, "capacity")
    assert points(late, "availability") == 0 and "2026-07-01" in text(late, "availability")
    assert points(ended, "availability") == 0 and "2026-06-10" in text(ended, "availability")


def test_without_a_wanted_by_date_availability_is_judged_today(places):
    home, _same, _other = places
    need = need_in(home, wanted_by=None)
    result = score(need, resource_at(home, available_to=datetime.date(2026, 5, 31)), today=TODAY)
    assert result.reasons[3].points == 0


def test_ranking_orders_by_total_then_category_then_name(places):
    home, same, other = places
    need = need_in(home)
    resources = [
        resource_at(other, "区级志愿队", capacity=100),  # 40 + 5 + 20 + 15 = 80
        resource_at(home, "本社区场地", capacity=30),  # 100
        resource_at(same, "同街道服务", capacity=30),  # 90
        resource_at(home, "本社区儿童", categories=[Category.MINORS], capacity=30),  # 60
        resource_at(same, "乙同街道", capacity=30),  # 90, ties with 同街道服务: by name
    ]
    for n, resource in enumerate(resources, start=1):
        resource.pk = n
    ranked = rank(need, resources, today=TODAY, top=4)
    assert [s.resource.name for s in ranked] == [
        "本社区场地",
        "乙同街道",
        "同街道服务",
        "区级志愿队",
    ]
    assert [s.score.total for s in ranked] == [100, 90, 90, 80]


def test_suggestions_take_only_resources_serving_the_need_area(world, places):
    from shegong.resources.matching import suggestions

    home, same, other = places
    need = raise_need(world, category=Category.ELDERLY)
    here = make_resource(world, name="兴隆场地", owner_agency=None, community=home)
    street_wide = make_resource(
        world, name="街道服务队", owner_agency=None, community=same, service_streets=[home.street]
    )
    district = make_resource(
        world, name="区级资源", owner_agency=world.agency_b, community=other, district_wide=True
    )
    elsewhere = make_resource(world, name="别处资源", owner_agency=world.agency_b, community=other)
    inactive = make_resource(
        world, name="停用资源", owner_agency=None, community=home, is_active=False
    )
    names = [s.resource.name for s in suggestions(need)]
    assert set(names) == {here.name, street_wide.name, district.name}
    assert names[0] == here.name
    assert elsewhere.name not in names and inactive.name not in names
