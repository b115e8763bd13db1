from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class BaseModel(models.Model):
    """Timestamps every domain row carries."""

    created_at = models.DateTimeField(_("created at"), auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        abstract = True


class AccessLog(models.Model):
    """Reads of sensitive data: every unmasked view and every export (DESIGN §4.1), and every
    sign-in (who came in, when, from where).

    Change history lives in django-auditlog; this table records what was *seen*, which auditlog
    cannot. It holds ids and labels only, never the personal values themselves.
    """

    class Action(models.TextChoices):
        UNMASK = "unmask", _("Unmasked view")
        EXPORT = "export", _("Export")
        OPEN = "open", _("Opened record")
        SIGN_IN = "sign_in", _("Signed in")
        # A registration named an ID number already on file: the record it matched.
        DUPLICATE = "duplicate", _("Duplicate ID found")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="access_logs",
        verbose_name=_("user"),
    )
    action = models.CharField(_("action"), max_length=16, choices=Action.choices)
    object_type = models.CharField(_("object type"), max_length=100)
    object_id = models.CharField(_("object id"), max_length=64, blank=True)
    object_label = models.CharField(_("object"), max_length=200, blank=True)
    detail = models.CharField(_("detail"), max_length=300, blank=True)
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    created_at = models.DateTimeField(_("time"), auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("access log entry")
        verbose_name_plural = _("access log")

    def __str__(self):
        return f"{self.user} {self.action} {self.object_type}#{self.object_id}"
