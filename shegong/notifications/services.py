"""Writes to notifications. ``notify`` is the one way every capability tells a user something."""

import logging

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from shegong.notifications.models import MESSAGE_MAX_LENGTH, Notification

logger = logging.getLogger(__name__)

SUBJECT_MAX_LENGTH = 60


def _fit(text: str, limit: int) -> str:
    # A long generated message (say, a list of names) must not make the caller's action fail.
    return text if len(text) <= limit else text[: limit - 1] + "…"


@transaction.atomic
def notify(user, message: str, link: str = "") -> Notification:
    """Tell ``user`` something, in the app and (when configured) by email.

    Runs inside the caller's transaction: if the caller's work rolls back, so does the
    notification, and no email is sent because the email only goes out after the commit.
    ``link`` is a path on this site ("/cases/12/"); anything else is a programming error.
    """
    notification = Notification(
        user=user, message=_fit(" ".join(message.split()), MESSAGE_MAX_LENGTH), link=link
    )
    notification.full_clean()
    notification.save()
    if settings.SHEGONG_NOTIFY_BY_EMAIL and user.email and user.is_active:
        transaction.on_commit(lambda: _send_email(notification))
    return notification


def _send_email(notification: Notification) -> None:
    """Email one notification. Never raises: the user's action has already been committed."""
    link = notification.link
    if link:
        link = settings.SHEGONG_SITE_URL.rstrip("/") + link
    body = notification.message + (f"\n\n{link}" if link else "")
    subject = _("[Shegong] %(message)s") % {
        "message": _fit(notification.message, SUBJECT_MAX_LENGTH)
    }
    try:
        send_mail(
            subject,
            body,
            settings.DEFAULT_FROM_EMAIL,
            [notification.user.email],
            fail_silently=False,
        )
    except Exception as exc:  # noqa: BLE001 - a mail outage must not surface to the user
        # Ids and the error type only: the message may carry personal data.
        logger.warning(
            "Notification email failed: notification=%s user=%s error=%s",
            notification.pk,
            notification.user_id,
            type(exc).__name__,
        )


@transaction.atomic
def notification_mark_read(*, actor, notification: Notification) -> Notification:
    """Mark one of the actor's own notifications read (again is harmless)."""
    if notification.user_id != actor.pk:
        # Views fetch through for_user, so this only guards against a programming error.
        raise Notification.DoesNotExist
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])
    return notification


@transaction.atomic
def notifications_mark_all_read(*, actor) -> int:
    """Mark every unread notification of the actor read; returns how many changed."""
    return Notification.objects.for_user(actor).unread().update(read_at=timezone.now())
