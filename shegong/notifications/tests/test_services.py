"""notify(): one row per message, an email after the commit when configured, never a crash."""

import logging
from smtplib import SMTPException

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction

from shegong.notifications import services
from shegong.notifications.models import Notification
from shegong.notifications.services import (
    notification_mark_read,
    notifications_mark_all_read,
    notify,
)
from shegong.notifications.tests.factories import NotificationFactory


@pytest.fixture
def staff(world):
    user = world.users["community_staff"]
    user.email = "staff@example.org"
    user.save(update_fields=["email"])
    return user


@pytest.fixture
def email_on(settings):
    settings.SHEGONG_NOTIFY_BY_EMAIL = True
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.SHEGONG_SITE_URL = "https://shegong.example.org"


def test_notify_creates_an_unread_row(staff):
    notification = notify(staff, "您的申请已通过", "/subsidies/applications/3/")
    stored = Notification.objects.get(pk=notification.pk)
    assert stored.user == staff
    assert stored.message == "您的申请已通过"
    assert stored.link == "/subsidies/applications/3/"
    assert stored.read_at is None


@pytest.mark.parametrize("link", ["https://evil.example/", "//evil.example/x", "cases/1/", "/\\x"])
def test_notify_refuses_links_that_leave_the_site(staff, link):
    with pytest.raises(ValidationError) as caught:
        notify(staff, "消息", link)
    assert "link" in caught.value.message_dict
    assert not Notification.objects.exists()


def test_long_message_is_shortened_not_refused(staff):
    notification = notify(staff, "很长的消息" * 200)
    assert len(notification.message) == 500
    assert notification.message.endswith("…")


def test_email_is_sent_once_after_commit(
    staff, email_on, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        notify(staff, "您有一个新的个案待审批", "/cases/7/")
    assert mailoutbox == []  # nothing leaves before the commit
    assert len(callbacks) == 1
    callbacks[0]()
    assert len(mailoutbox) == 1
    mail = mailoutbox[0]
    assert mail.to == ["staff@example.org"]
    assert "您有一个新的个案待审批" in mail.subject
    assert "https://shegong.example.org/cases/7/" in mail.body


def test_rolled_back_work_sends_no_email_and_keeps_no_row(
    staff, email_on, mailoutbox, django_capture_on_commit_callbacks
):
    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        notify(staff, "不会发出的消息")
        raise RuntimeError("the caller's work failed")
    assert mailoutbox == []
    assert not Notification.objects.exists()


def test_no_email_when_switched_off(
    staff, settings, mailoutbox, django_capture_on_commit_callbacks
):
    settings.SHEGONG_NOTIFY_BY_EMAIL = False
    with django_capture_on_commit_callbacks(execute=True):
        notify(staff, "站内消息")
    assert mailoutbox == []


def test_no_email_without_an_address(
    world, email_on, mailoutbox, django_capture_on_commit_callbacks
):
    user = world.users["volunteer"]
    assert not user.email
    with django_capture_on_commit_callbacks(execute=True):
        notify(user, "站内消息")
    assert mailoutbox == []
    assert Notification.objects.filter(user=user).count() == 1


def test_mail_failure_is_logged_without_the_message_and_not_raised(
    staff, email_on, monkeypatch, caplog, django_capture_on_commit_callbacks
):
    def broken_send_mail(*args, **kwargs):
        raise SMTPException("server said no")

    monkeypatch.setattr(services, "send_mail", broken_send_mail)
    with caplog.at_level(logging.WARNING), django_capture_on_commit_callbacks(execute=True):
        notification = notify(staff, "张三的个案已结案")
    assert Notification.objects.filter(pk=notification.pk).exists()
    assert "SMTPException" in caplog.text
    assert "张三" not in caplog.text


def test_mark_read_is_idempotent(staff):
    notification = NotificationFactory(user=staff)
    notification_mark_read(actor=staff, notification=notification)
    first = Notification.objects.get(pk=notification.pk).read_at
    assert first is not None
    notification_mark_read(actor=staff, notification=notification)
    assert Notification.objects.get(pk=notification.pk).read_at == first


def test_mark_read_refuses_someone_elses(staff, world):
    other = NotificationFactory(user=world.users["street_admin"])
    with pytest.raises(Notification.DoesNotExist):
        notification_mark_read(actor=staff, notification=other)
    assert Notification.objects.get(pk=other.pk).read_at is None


def test_mark_all_read_touches_only_own_unread(staff, world):
    NotificationFactory.create_batch(3, user=staff)
    other = NotificationFactory(user=world.users["street_admin"])
    assert notifications_mark_all_read(actor=staff) == 3
    assert not Notification.objects.filter(user=staff, read_at__isnull=True).exists()
    assert Notification.objects.get(pk=other.pk).read_at is None
    assert notifications_mark_all_read(actor=staff) == 0
