"""In-app notifications: one row per message to one user."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from shegong.core.scope import ScopedQuerySet, ScopeRule
from shegong.core.validators import single_line_text

MESSAGE_MAX_LENGTH = 500
LINK_MAX_LENGTH = 500


def validate_relative_link(value: str) -> None:
    """A link must stay on this site: a path starting with one "/" ("//host" leaves the site)."""
    if value and (not value.startswith("/") or value.startswith("//") or "\\" in value):
        raise ValidationError(
            _("A notification link must be a path on this site, starting with “/”."),
            code="relative_link",
        )


class NotificationQuerySet(ScopedQuerySet):
    def unread(self) -> "NotificationQuerySet":
        return self.filter(read_at__isnull=True)


class Notification(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notifications",
        verbose_name=_("user"),
    )
    message = models.CharField(
        _("message"), max_length=MESSAGE_MAX_LENGTH, validators=[single_line_text]
    )
    link = models.CharField(
        _("link"),
        max_length=LINK_MAX_LENGTH,
        blank=True,
        validators=[single_line_text, validate_relative_link],
    )
    created_at = models.DateTimeField(_("time"), auto_now_add=True, db_index=True)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)

    objects = NotificationQuerySet.as_manager()
    # An inbox, not a place-scoped record: only its owner ever reads it, not even a superuser.
    scope_rule = ScopeRule(roles={}, own="user", owner_only=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        indexes = [models.Index(fields=["user", "read_at"], name="notification_user_unread")]

    def __str__(self):
        return self.message[:50]

    @property
    def is_read(self) -> bool:
        return self.read_at is not None
