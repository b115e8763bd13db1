"""A need delivered through an activity: the activity must be one the deliverer sees and serve
the need's community; the need page and the API show it, and the activity page lists the
needs it delivered that its viewer may see."""

import datetime

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import timezone, translation

from shegong.accounts.services import token_issue
from shegong.activities.tests.factories import make_activity
from shegong.places.models import Community
from shegong.resources import services
from shegong.resources.choices import NeedStatus
from shegong.resources.models import Need, NeedEvent
from shegong.resources.tests.factories import claimed_need, raise_need


@pytest.fixture
def elsewhere(world):
    return Community.objects.filter(street=world.other_street).order_by("code").first()


@pytest.fixture
def api_for(world):
    def make(persona):
        _token, raw = token_issue(user=world.users[persona], name="test")
        return Client(headers={"Authorization": f"Bearer {raw}"})

    return make


def _deliver(world, need, activity, persona="social_worker"):
    return services.need_deliver(
        actor=world.users[persona],
        need=need,
        delivered_on=timezone.localdate(),
        summary="组织长者助餐活动",
        activity=activity,
    )


def _untouched(need):
    stored = Need.objects.get(pk=need.pk)
    assert stored.status == NeedStatus.CLAIMED and stored.delivered_activity is None
    assert not NeedEvent.objects.filter(need=need, kind="delivered").exists()


def test_delivered_through_an_activity_of_its_community(world):
    need = claimed_need(world)
    activity = make_activity(world, persona="agency_admin")
    _deliver(world, need, activity)
    stored = Need.objects.get(pk=need.pk)
    assert stored.status == NeedStatus.DELIVERED and stored.delivered_activity == activity


def test_an_activity_out_of_view_is_refused_like_a_missing_one(world, api_for):
    need = claimed_need(world)
    hidden = make_activity(world)  # the community's own: the agency's staff do not see it
    with pytest.raises(ValidationError) as refused:
        _deliver(world, need, hidden)
    assert set(refused.value.message_dict) == {"activity"}
    _untouched(need)
    client = api_for("social_worker")
    body = {"delivered_on": str(timezone.localdate()), "summary": "已落实"}
    out_of_view = client.post(
        f"/api/v1/resources/needs/{need.pk}/deliver",
        body | {"activity_id": hidden.pk},
        content_type="application/json",
    )
    missing = client.post(
        f"/api/v1/resources/needs/{need.pk}/deliver",
        body | {"activity_id": 99_999_999},
        content_type="application/json",
    )
    assert out_of_view.status_code == missing.status_code == 400
    assert out_of_view.json()["errors"] == missing.json()["errors"]
    assert out_of_view.json()["errors"]["activity"] == refused.value.message_dict["activity"]
    _untouched(need)


def test_an_activity_of_another_community_is_a_chinese_field_error(world, elsewhere):
    need = claimed_need(world)
    far = make_activity(world, persona="agency_admin", community=elsewhere)
    with translation.override("zh-hans"), pytest.raises(ValidationError) as refused:
        _deliver(world, need, far)
    assert refused.value.message_dict["activity"] == [
        f"请选择服务需求所在社区（{world.home_community.name}）的活动。"
    ]
    _untouched(need)


def test_need_page_api_and_activity_page_show_the_link(world, client_for, api_for):
    activity = make_activity(world, persona="agency_admin", title="长者助餐日")
    mine = claimed_need(world, title="独居老人助餐")
    _deliver(world, mine, activity)
    # Another agency's need delivered through the same activity (by the administrator, who
    # sees both): agency A's staff do not see that need.
    root = get_user_model().objects.create_superuser("root", password="x-Long-Passw0rd")
    other = raise_need(world, actor=root, title="乙机构的需求")
    services.need_dispatch(actor=root, need=other, agency=world.agency_b)
    services.need_claim(actor=root, need=other)
    services.need_deliver(
        actor=root,
        need=other,
        delivered_on=timezone.localdate(),
        summary="转介落实",
        activity=activity,
    )

    page = client_for("community_staff").get(f"/resources/needs/{mine.pk}/").content.decode()
    assert f'href="/activities/{activity.pk}/"' in page and "长者助餐日" in page
    out = api_for("social_worker").get(f"/api/v1/resources/needs/{mine.pk}").json()
    assert out["delivered_activity_id"] == activity.pk

    staff = client_for("community_staff").get(f"/activities/{activity.pk}/")
    assert set(staff.context["delivered_needs"]) == {mine, other}
    worker = client_for("social_worker").get(f"/activities/{activity.pk}/")
    assert list(worker.context["delivered_needs"]) == [mine]
    assert "乙机构的需求" not in worker.content.decode()


def test_deliver_form_offers_activities_of_the_needs_community_in_view(
    world, client_for, elsewhere
):
    need = claimed_need(world)
    near = make_activity(world, persona="agency_admin")
    make_activity(world, persona="agency_admin", community=elsewhere)
    make_activity(world)  # the community's own, out of the agency's view
    form = client_for("social_worker").get(f"/resources/needs/{need.pk}/deliver/").context["form"]
    assert list(form.fields["activity"].queryset) == [near]


def test_an_activity_over_before_the_need_was_raised_is_refused(world):
    need = claimed_need(world)
    raised = timezone.localdate(need.created_at)
    over = make_activity(
        world,
        persona="agency_admin",
        starts_on=raised - datetime.timedelta(days=30),
        ends_on=raised - datetime.timedelta(days=1),
    )
    with pytest.raises(ValidationError) as refused:
        _deliver(world, need, over)
    assert set(refused.value.message_dict) == {"activity"}
    _untouched(need)
