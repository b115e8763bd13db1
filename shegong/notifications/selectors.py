"""Reads of notifications: always the signed-in user's own."""

from django.db.models import BooleanField, ExpressionWrapper, Q

from shegong.notifications.models import Notification


def notification_list(user, *, only_unread: bool = False):
    """The user's notifications, unread first, then newest first."""
    qs = Notification.objects.for_user(user)
    if only_unread:
        qs = qs.unread()
    return qs.annotate(
        unread=ExpressionWrapper(Q(read_at__isnull=True), output_field=BooleanField())
    ).order_by("-unread", "-created_at", "-id")


def unread_count(user) -> int:
    return Notification.objects.for_user(user).unread().count()
