"""Joint activities: an activity belongs to a pairing agreement only when the actor sees it, it
is current, and it pairs the activity's community with its organising agency. The activity page
shows the agreement; the agreement page lists the joint activities its viewer may see."""

import datetime

import pytest
from auditlog.models import LogEntry
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import translation

from shegong.accounts.services import token_issue
from shegong.activities import services
from shegong.activities.choices import ActivityKind
from shegong.activities.models import Activity, Attendance
from shegong.activities.tests.factories import make_activity, make_session
from shegong.pairing import services as pairing_services
from shegong.pairing import state as pairing_state
from shegong.pairing.tests.factories import AgreementFactory
from shegong.places.models import Community


@pytest.fixture
def elsewhere(world):
    """A community of the district outside the home street."""
    return Community.objects.filter(street=world.other_street).order_by("code").first()


@pytest.fixture
def agreement(world):
    return AgreementFactory(community=world.home_community, agency=world.agency_a)


@pytest.fixture
def api_for(world):
    def make(persona):
        _token, raw = token_issue(user=world.users[persona], name="test")
        return Client(headers={"Authorization": f"Bearer {raw}"})

    return make


def _joint(world, agreement, **extra):
    return make_activity(world, persona="agency_admin", pairing=agreement, **extra)


def test_a_joint_activity_links_to_its_agreement(world, agreement):
    activity = _joint(world, agreement)
    assert Activity.objects.get(pk=activity.pk).pairing == agreement
    assert list(agreement.joint_activities.all()) == [activity]


def test_an_agreement_out_of_view_is_refused_like_a_missing_one(world, elsewhere, api_for):
    hidden = AgreementFactory(community=elsewhere, agency=world.agency_b)
    with pytest.raises(ValidationError) as refused:
        _joint(world, hidden)
    assert not Activity.objects.exists()
    payload = {
        "kind": "community",
        "title": "结对活动",
        "community_id": world.home_community.pk,
        "agency_id": world.agency_a.pk,
        "starts_on": "2026-11-01",
        "ends_on": "2026-11-30",
    }
    client = api_for("agency_admin")
    out_of_view = client.post(
        "/api/v1/activities", payload | {"pairing_id": hidden.pk}, content_type="application/json"
    )
    missing = client.post(
        "/api/v1/activities", payload | {"pairing_id": 99_999_999}, content_type="application/json"
    )
    huge = client.post(
        "/api/v1/activities", payload | {"pairing_id": 10**25}, content_type="application/json"
    )
    assert out_of_view.status_code == missing.status_code == 400
    assert out_of_view.json()["errors"] == missing.json()["errors"]
    assert out_of_view.json()["errors"]["pairing"] == refused.value.message_dict["pairing"]
    assert huge.status_code == 400
    assert not Activity.objects.exists()


def test_an_agreement_of_another_pair_is_a_chinese_field_error(world, elsewhere, agreement):
    other_community = AgreementFactory(community=elsewhere, agency=world.agency_a)
    with translation.override("zh-hans"), pytest.raises(ValidationError) as refused:
        _joint(world, other_community)
    assert refused.value.message_dict["pairing"] == [
        f"该协议是{elsewhere.name}与{world.agency_a.name}的结对：活动须服务该社区并由该机构承办。"
    ]
    # The community's own activity has no organising agency: it is no joint activity.
    with pytest.raises(ValidationError) as refused:
        make_activity(world, pairing=agreement)
    assert "pairing" in refused.value.message_dict
    assert not Activity.objects.exists()


def test_an_ended_agreement_takes_no_new_activities(world, agreement):
    pairing_services.agreement_transition(
        actor=world.users["district_admin"], agreement=agreement, action=pairing_state.END
    )
    with pytest.raises(ValidationError) as refused:
        _joint(world, agreement)
    assert "pairing" in refused.value.message_dict
    assert not Activity.objects.exists()


def test_update_links_and_unlinks_checking_the_same_rules(world, elsewhere, agreement):
    activity = make_activity(world, persona="agency_admin", kind=ActivityKind.GROUP)
    lead = world.users["agency_admin"]
    services.activity_update(actor=lead, activity=activity, pairing=agreement)
    assert Activity.objects.get(pk=activity.pk).pairing == agreement
    hidden = AgreementFactory(community=elsewhere, agency=world.agency_b)
    with pytest.raises(ValidationError) as refused:
        services.activity_update(actor=lead, activity=activity, pairing=hidden, title="改名")
    assert set(refused.value.message_dict) == {"pairing"}
    stored = Activity.objects.get(pk=activity.pk)
    assert stored.pairing == agreement and stored.title == "邻里茶话会"
    services.activity_update(actor=lead, activity=activity, pairing=None)
    assert Activity.objects.get(pk=activity.pk).pairing is None
    # The history says who linked and unlinked it (the refused change left no trace).
    changes = [
        entry
        for entry in LogEntry.objects.get_for_object(activity)
        .filter(action=LogEntry.Action.UPDATE)
        .order_by("timestamp", "pk")
        if "pairing" in (entry.changes_dict or {})
    ]
    assert [entry.actor for entry in changes] == [lead, lead]
    assert [entry.changes_dict["pairing"][1] for entry in changes] == [str(agreement.pk), "None"]


def test_pages_show_the_link_both_ways_within_scope(world, client_for, elsewhere, agreement):
    activity = _joint(world, agreement, title="结对读书会")
    session = make_session(world, activity, persona="agency_admin")
    services.attendance_walk_in(
        actor=world.users["agency_admin"], session=session, name="李大爷", mobile="13900002222"
    )
    # A joint activity recorded before the agreement changed hands: another community's, which
    # the home community's staff do not see.
    stray = make_activity(world, persona="agency_admin", title="别处活动", community=elsewhere)
    Activity.objects.filter(pk=stray.pk).update(pairing=agreement)

    page = client_for("agency_admin").get(f"/activities/{activity.pk}/").content.decode()
    assert f'href="/pairing/{agreement.pk}/"' in page and agreement.title in page

    staff_view = client_for("community_staff").get(f"/pairing/{agreement.pk}/")
    listed = staff_view.content.decode().split('data-testid="joint-activities"')[1]
    assert "结对读书会" in listed and "别处活动" not in listed
    assert [(a.session_count, a.person_times) for a in staff_view.context["joint_activities"]] == [
        (1, Attendance.objects.filter(session=session).count())
    ]
    lead_view = client_for("agency_admin").get(f"/pairing/{agreement.pk}/")
    assert {a.title for a in lead_view.context["joint_activities"]} == {"结对读书会", "别处活动"}


def test_the_form_offers_only_matching_agreements_in_scope(world, client_for, elsewhere):
    mine = AgreementFactory(community=world.home_community, agency=world.agency_a)
    AgreementFactory(community=elsewhere, agency=world.agency_b)
    ended = AgreementFactory(community=elsewhere, agency=world.agency_a)
    pairing_services.agreement_transition(
        actor=world.users["district_admin"], agreement=ended, action=pairing_state.END
    )
    form = client_for("agency_admin").get("/activities/new/").context["form"]
    assert list(form.fields["pairing"].queryset) == [mine]
    activity = make_activity(world, persona="agency_admin")
    edit = client_for("agency_admin").get(f"/activities/{activity.pk}/edit/").context["form"]
    assert list(edit.fields["pairing"].queryset) == [mine]


def test_api_carries_pairing_id(world, agreement, api_for):
    client = api_for("agency_admin")
    created = client.post(
        "/api/v1/activities",
        {
            "kind": "community",
            "title": "结对义诊",
            "community_id": world.home_community.pk,
            "agency_id": world.agency_a.pk,
            "pairing_id": agreement.pk,
            "starts_on": "2026-11-01",
            "ends_on": "2026-11-30",
        },
        content_type="application/json",
    )
    assert created.status_code == 201 and created.json()["pairing_id"] == agreement.pk
    activity_id = created.json()["id"]
    unlinked = client.patch(
        f"/api/v1/activities/{activity_id}", {"pairing_id": None}, content_type="application/json"
    )
    assert unlinked.status_code == 200 and unlinked.json()["pairing_id"] is None


def test_a_joint_activity_starts_within_the_agreements_period(world, agreement):
    late = agreement.ends_on + datetime.timedelta(days=1)
    with pytest.raises(ValidationError) as refused:
        _joint(world, agreement, starts_on=late, ends_on=late)
    assert set(refused.value.message_dict) == {"starts_on"}
    assert not Activity.objects.exists()
    activity = _joint(world, agreement)
    with pytest.raises(ValidationError) as refused:
        services.activity_update(
            actor=world.users["agency_admin"], activity=activity, starts_on=late, ends_on=late
        )
    assert set(refused.value.message_dict) == {"starts_on"}
    assert Activity.objects.get(pk=activity.pk).starts_on == activity.starts_on


def test_lists_filter_by_agreement_within_scope(world, client_for, api_for, elsewhere, agreement):
    joint = _joint(world, agreement, title="结对读书会")
    make_activity(world, persona="agency_admin", title="普通活动")
    page = client_for("community_staff").get("/activities/", {"pairing": agreement.pk})
    assert [a.title for a in page.context["page_obj"]] == ["结对读书会"]
    items = api_for("agency_admin").get("/api/v1/activities", {"pairing": agreement.pk}).json()
    assert [item["id"] for item in items["items"]] == [joint.pk]
    hidden = AgreementFactory(community=elsewhere, agency=world.agency_b)
    refused = api_for("agency_admin").get("/api/v1/activities", {"pairing": hidden.pk})
    assert refused.status_code == 400


def test_community_staff_organising_alone_are_not_offered_agreements(world, client_for, agreement):
    form = client_for("community_staff").get("/activities/new/").context["form"]
    assert "pairing" not in form.fields
    activity = make_activity(world)
    edit = client_for("community_staff").get(f"/activities/{activity.pk}/edit/").context["form"]
    assert "pairing" not in edit.fields
