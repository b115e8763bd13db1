"""The bell and the notifications page: own notifications only, read on click-through."""

import pytest

from shegong.notifications.models import Notification
from shegong.notifications.services import notify
from shegong.notifications.tests.factories import NotificationFactory


@pytest.fixture
def staff(world):
    return world.users["community_staff"]


def test_every_page_has_the_bell_which_loads_its_count(client_for):
    html = client_for("community_staff").get("/").content.decode()
    assert 'data-testid="notification-bell"' in html
    assert 'hx-get="/notifications/bell/"' in html
    assert "every 60s" in html


def test_bell_shows_the_unread_count(client_for, staff, world):
    NotificationFactory.create_batch(3, user=staff)
    NotificationFactory(user=staff, read_at="2025-01-01T00:00:00Z")
    NotificationFactory(user=world.users["street_admin"])
    response = client_for("community_staff").get("/notifications/bell/")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-testid="unread-count">3</span>' in html


def test_bell_badge_is_hidden_with_nothing_unread(client_for, staff):
    html = client_for("community_staff").get("/notifications/bell/").content.decode()
    assert 'data-testid="unread-count" hidden' in html


def test_bell_stops_polling_once_signed_out(client, db):
    response = client.get("/notifications/bell/")
    assert response.status_code == 286
    assert response.content == b""


def test_list_shows_own_notifications_unread_first(client_for, staff, world):
    read = NotificationFactory(user=staff, message="已读的旧消息", read_at="2025-01-01T00:00:00Z")
    unread = NotificationFactory(user=staff, message="未读的消息")
    NotificationFactory(user=world.users["street_admin"], message="别人的消息")
    response = client_for("community_staff").get("/notifications/")
    assert response.status_code == 200
    assert [n.pk for n in response.context["page_obj"]] == [unread.pk, read.pk]
    html = response.content.decode()
    assert "未读的消息" in html
    assert "别人的消息" not in html


def test_list_can_show_only_unread(client_for, staff):
    NotificationFactory(user=staff, read_at="2025-01-01T00:00:00Z")
    unread = NotificationFactory(user=staff)
    response = client_for("community_staff").get("/notifications/", {"unread": "1"})
    assert [n.pk for n in response.context["page_obj"]] == [unread.pk]


def test_list_is_paginated(client_for, staff):
    NotificationFactory.create_batch(25, user=staff)
    client = client_for("community_staff")
    assert len(client.get("/notifications/").context["page_obj"]) == 20
    assert len(client.get("/notifications/", {"page": 2}).context["page_obj"]) == 5


def test_opening_marks_read_and_follows_the_link(client_for, staff):
    notification = notify(staff, "新的个案", "/cases/7/")
    response = client_for("community_staff").post(f"/notifications/{notification.pk}/open/")
    assert response.status_code == 302
    assert response["Location"] == "/cases/7/"
    assert Notification.objects.get(pk=notification.pk).read_at is not None


def test_opening_without_a_link_returns_to_the_list(client_for, staff):
    notification = notify(staff, "仅供知悉")
    response = client_for("community_staff").post(f"/notifications/{notification.pk}/open/")
    assert response["Location"] == "/notifications/"


def test_someone_elses_notification_is_404_and_stays_unread(client_for, world):
    other = NotificationFactory(user=world.users["street_admin"])
    response = client_for("community_staff").post(f"/notifications/{other.pk}/open/")
    assert response.status_code == 404
    assert Notification.objects.get(pk=other.pk).read_at is None


def test_missing_notification_is_404(client_for, staff):
    assert client_for("community_staff").post("/notifications/999999/open/").status_code == 404


def test_opening_needs_a_post(client_for, staff):
    notification = NotificationFactory(user=staff)
    response = client_for("community_staff").get(f"/notifications/{notification.pk}/open/")
    assert response.status_code == 405
    assert Notification.objects.get(pk=notification.pk).read_at is None


def test_mark_all_as_read(client_for, staff, world):
    NotificationFactory.create_batch(2, user=staff)
    other = NotificationFactory(user=world.users["street_admin"])
    client = client_for("community_staff")
    assert 'data-testid="mark-all-read"' in client.get("/notifications/").content.decode()
    response = client.post("/notifications/read-all/", follow=True)
    assert response.status_code == 200
    assert not Notification.objects.filter(user=staff, read_at__isnull=True).exists()
    assert Notification.objects.get(pk=other.pk).read_at is None
    assert 'data-testid="mark-all-read"' not in response.content.decode()


def test_anonymous_is_sent_to_login(client, db):
    response = client.get("/notifications/")
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]
