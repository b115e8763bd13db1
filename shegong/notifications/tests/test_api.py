"""Notifications API: a user lists and marks only their own notifications."""

import pytest
from django.test import Client

from shegong.accounts.services import token_issue
from shegong.notifications.models import Notification
from shegong.notifications.tests.factories import NotificationFactory


@pytest.fixture
def api_for(world):
    def make(persona: str) -> Client:
        _token, raw = token_issue(user=world.users[persona], name="test")
        return Client(headers={"Authorization": f"Bearer {raw}"})

    return make


@pytest.fixture
def staff(world):
    return world.users["community_staff"]


def test_list_shows_only_own_notifications(api_for, staff, world):
    mine = NotificationFactory(user=staff, message="给我的", link="/cases/1/")
    NotificationFactory(user=world.users["street_admin"], message="给别人的")
    response = api_for("community_staff").get("/api/v1/notifications")
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 1
    item = body["items"][0]
    assert item["id"] == mine.pk
    assert item["message"] == "给我的"
    assert item["link"] == "/cases/1/"
    assert item["is_read"] is False
    assert item["read_at"] is None


def test_list_can_show_only_unread(api_for, staff):
    NotificationFactory(user=staff, read_at="2025-01-01T00:00:00Z")
    unread = NotificationFactory(user=staff)
    body = api_for("community_staff").get("/api/v1/notifications", {"unread": "true"}).json()
    assert [item["id"] for item in body["items"]] == [unread.pk]


def test_mark_one_read(api_for, staff):
    notification = NotificationFactory(user=staff)
    response = api_for("community_staff").post(f"/api/v1/notifications/{notification.pk}/read")
    assert response.status_code == 200
    assert response.json()["is_read"] is True
    assert Notification.objects.get(pk=notification.pk).read_at is not None


def test_someone_elses_is_404_and_unchanged(api_for, world):
    other = NotificationFactory(user=world.users["street_admin"])
    response = api_for("community_staff").post(f"/api/v1/notifications/{other.pk}/read")
    assert response.status_code == 404
    assert response.json()["detail"]
    assert Notification.objects.get(pk=other.pk).read_at is None


def test_read_all(api_for, staff, world):
    NotificationFactory.create_batch(2, user=staff)
    other = NotificationFactory(user=world.users["street_admin"])
    response = api_for("community_staff").post("/api/v1/notifications/read-all")
    assert response.status_code == 200
    assert response.json() == {"updated": 2}
    assert Notification.objects.get(pk=other.pk).read_at is None


def test_anonymous_gets_401(client, db):
    assert client.get("/api/v1/notifications").status_code == 401
