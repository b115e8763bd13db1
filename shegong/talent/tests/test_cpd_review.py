"""Hand-recorded continuing-education hours: their evidence is read on the profile page by
those who read the profile (decrypted, each download in the access log), a keeper of the
profile accepts them or says why not, and only accepted hours count toward the 72/90 h with
the hours the training academy credits."""

import datetime
from decimal import Decimal

import pytest
from auditlog.models import LogEntry
from django.core.exceptions import ValidationError
from django.http import Http404
from django.urls import reverse
from django.utils import translation

from shegong.accounts.services import token_issue
from shegong.core import registry
from shegong.core.models import AccessLog
from shegong.core.registry import CpdCredit
from shegong.notifications.models import Notification
from shegong.talent.cpd import cpd_status
from shegong.talent.models import CpdEntry
from shegong.talent.services import cpd_add
from shegong.talent.services.profiles import cpd_review
from shegong.talent.tests.factories import make_worker, pdf, today

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def chinese_and_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    with translation.override("zh-hans"):
        yield


@pytest.fixture
def worker(world):
    return make_worker(
        world,
        user=world.users["social_worker"],
        level="assistant",
        registration_start=today() - datetime.timedelta(days=400),
    )


def record(worker, hours, label, days_ago=10):
    return cpd_add(
        actor=worker.user,
        profile=worker,
        date=today() - datetime.timedelta(days=days_ago),
        hours=hours,
        label=label,
        evidence=pdf(),
    )


def test_only_accepted_hours_count_with_the_academys(world, worker, monkeypatch):
    director = world.users["agency_admin"]
    supervision = record(worker, "12", "督导培训")
    lecture = record(worker, "6", "社区讲座")
    workshop = record(worker, "8", "外部工作坊")
    monkeypatch.setitem(
        registry._cpd_sources,
        "academy",
        lambda ids: [CpdCredit(worker.person_id, today(), Decimal("30"), "初级班", "academy")],
    )
    # Nothing reviewed yet: only the academy's 30 h.
    assert cpd_status(worker, today()).earned == Decimal("30")
    cpd_review(actor=director, entry=supervision, decision="accepted")
    cpd_review(actor=director, entry=workshop, decision="rejected", reason="证明无盖章")
    status = cpd_status(worker, today())
    assert status.earned == Decimal("42")  # 12 accepted + 30 credited; 6 waiting, 8 refused
    assert status.missing == Decimal("30")  # of the assistant's 72
    cpd_review(actor=director, entry=lecture, decision="accepted")
    assert cpd_status(worker, today()).earned == Decimal("48")
    # A decision can be changed; the history keeps both.
    cpd_review(
        actor=world.users["district_admin"],
        entry=supervision,
        decision="rejected",
        reason="重复登记",
    )
    assert cpd_status(worker, today()).earned == Decimal("36")
    assert LogEntry.objects.get_for_object(supervision).count() == 3  # created, accepted, rejected


@pytest.mark.parametrize("reason", [" ", "\u200b\u200b", "\u3000"])
def test_a_refusal_needs_a_reason_and_writes_nothing(world, worker, reason):
    entry = record(worker, "6", "讲座")
    with pytest.raises(ValidationError) as refused:
        cpd_review(
            actor=world.users["agency_admin"], entry=entry, decision="rejected", reason=reason
        )
    assert refused.value.message_dict == {"reason": ["请说明不予认可的原因，以便社工更正。"]}
    entry.refresh_from_db()
    assert (entry.review, entry.reviewed_by) == ("pending", None)
    assert LogEntry.objects.get_for_object(entry).count() == 1
    assert not Notification.objects.filter(user=worker.user).exists()


@pytest.mark.parametrize(
    "persona", ["social_worker", "street_admin", "supervisor", "social_worker_b"]
)
def test_only_the_profiles_keepers_review(world, worker, persona):
    entry = record(worker, "6", "讲座")
    with pytest.raises(Http404):
        cpd_review(actor=world.users[persona], entry=entry, decision="accepted")
    entry.refresh_from_db()
    assert entry.review == "pending"


@pytest.mark.parametrize(
    "persona", ["social_worker", "agency_admin", "supervisor", "street_admin", "district_admin"]
)
def test_those_who_read_the_profile_download_the_evidence_and_it_is_logged(
    client_for, world, worker, persona
):
    entry = record(worker, "6", "讲座")
    url = reverse("talent:cpd_evidence", args=[worker.pk, entry.pk])
    answer = client_for(persona).get(url)
    assert answer.status_code == 200
    assert b"".join(answer.streaming_content) == b"%PDF-1.4 evidence"
    assert f"cpd-{entry.pk}.pdf" in answer["Content-Disposition"]
    log = AccessLog.objects.get(action="open", object_type="talent.CpdEntry")
    assert (log.user, log.object_id, log.detail) == (
        world.users[persona],
        str(entry.pk),
        "evidence",
    )


@pytest.mark.parametrize("persona", ["social_worker_b", "community_staff", "auditor"])
def test_everyone_else_gets_404_and_nothing_is_logged(client_for, worker, persona):
    entry = record(worker, "6", "讲座")
    url = reverse("talent:cpd_evidence", args=[worker.pk, entry.pk])
    assert client_for(persona).get(url).status_code == 404
    assert not AccessLog.objects.filter(object_type="talent.CpdEntry").exists()


def test_an_entry_is_reached_only_through_its_own_profile(client_for, world, worker):
    entry = record(worker, "6", "讲座")
    other = make_worker(world, name="另一社工")
    url = reverse("talent:cpd_evidence", args=[other.pk, entry.pk])
    assert client_for("district_admin").get(url).status_code == 404


def test_the_director_reviews_on_the_profile_page(client_for, world, worker):
    entry = record(worker, "6", "社区讲座")
    director = client_for("agency_admin")
    page = director.get(reverse("talent:profile_detail", args=[worker.pk]))
    text = page.content.decode()
    assert reverse("talent:cpd_evidence", args=[worker.pk, entry.pk]) in text
    assert "待审核" in text and 'data-testid="cpd-review-form"' in text
    url = reverse("talent:cpd_review", args=[worker.pk, entry.pk])
    refused = director.post(url, {"decision": "rejected", "reason": ""})
    assert refused.status_code == 400
    assert "请说明不予认可的原因，以便社工更正。" in refused.content.decode()
    assert CpdEntry.objects.get(pk=entry.pk).review == "pending"
    assert director.post(url, {"decision": "rejected", "reason": "证明模糊"}).status_code == 302
    entry.refresh_from_db()
    assert (entry.review, entry.review_reason) == ("rejected", "证明模糊")
    assert "证明模糊" in Notification.objects.get(user=worker.user).message
    # The worker sees the decision and its reason on their own page, with no review form.
    mine = client_for("social_worker").get(reverse("talent:me")).content.decode()
    assert "不予认可" in mine and "证明模糊" in mine and "cpd-review-form" not in mine
    # A supervisor reads the profile and its evidence but does not review.
    supervisor = client_for("supervisor").get(reverse("talent:profile_detail", args=[worker.pk]))
    assert "cpd-review-form" not in supervisor.content.decode()


def test_the_api_lists_and_reviews(world, worker):
    from django.test import Client

    entry = record(worker, "6", "讲座")
    _token, raw = token_issue(user=world.users["district_admin"], name="test")
    api = Client(headers={"Authorization": f"Bearer {raw}"})
    listed = api.get(f"/api/v1/talent/profiles/{worker.pk}/cpd").json()
    assert [(row["id"], row["review"], row["has_evidence"]) for row in listed] == [
        (entry.pk, "pending", True)
    ]
    url = f"/api/v1/talent/profiles/{worker.pk}/cpd/{entry.pk}/review"
    refused = api.post(url, {"decision": "rejected"}, content_type="application/json")
    assert refused.status_code == 400
    assert refused.json()["errors"] == {"reason": ["请说明不予认可的原因，以便社工更正。"]}
    accepted = api.post(url, {"decision": "accepted"}, content_type="application/json")
    assert accepted.status_code == 200 and accepted.json()["review_label"] == "已认可"
