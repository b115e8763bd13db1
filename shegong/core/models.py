from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from shegong.core.validators import planned_date_bounds, single_line_text, visible_text


class TextNotNullMixin:
    """Refuse ``None`` in a text column that cannot hold NULL, as a field error.

    Django's ``full_clean`` skips blank fields whose value is empty, ``None`` included, so an API
    ``{"address": null}`` passed validation and failed at the database (IntegrityError, a 500).
    """

    def clean_fields(self, exclude=None):
        errors = {}
        for field in self._meta.concrete_fields:
            if exclude and field.name in exclude:
                continue
            if (
                isinstance(field, (models.CharField, models.TextField))
                and not field.null
                and getattr(self, field.attname) is None
            ):
                errors[field.name] = [field.error_messages["null"]]
        try:
            super().clean_fields(exclude=exclude)
        except ValidationError as exc:
            errors = {**exc.update_error_dict({}), **errors}
        if errors:
            raise ValidationError(errors)


class BaseModel(TextNotNullMixin, models.Model):
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
    object_type = models.CharField(_("object type"), max_length=100, validators=[single_line_text])
    object_id = models.CharField(
        _("object id"), max_length=64, blank=True, validators=[single_line_text]
    )
    object_label = models.CharField(
        _("object"), max_length=200, blank=True, validators=[single_line_text]
    )
    detail = models.CharField(
        _("detail"), max_length=300, blank=True, validators=[single_line_text]
    )
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    created_at = models.DateTimeField(_("time"), auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("access log entry")
        verbose_name_plural = _("access log")

    def __str__(self):
        return f"{self.user} {self.action} {self.object_type}#{self.object_id}"


class CheckinNonce(models.Model):
    """A used one-time nonce of a public check-in form (``core/checkin.py``): the unique column
    refuses the same form sent twice. Holds no personal data."""

    nonce = models.CharField(_("nonce"), max_length=32, unique=True, validators=[single_line_text])
    kind = models.CharField(_("kind"), max_length=16, validators=[single_line_text])
    object_id = models.PositiveBigIntegerField(_("object id"))
    used_at = models.DateTimeField(_("used at"), auto_now_add=True)

    class Meta:
        verbose_name = _("check-in form nonce")
        verbose_name_plural = _("check-in form nonces")

    def __str__(self):
        return f"{self.kind}#{self.object_id}"


class RateCounter(models.Model):
    """How many requests one address sent to one group of public endpoints in one window
    (``core/ratelimit.py``). The key is a hash: the table holds no address."""

    key = models.CharField(_("key"), max_length=64, primary_key=True, validators=[single_line_text])
    hits = models.PositiveIntegerField(_("hits"), default=0)
    expires = models.PositiveBigIntegerField(_("expires"), db_index=True)  # Unix seconds

    class Meta:
        verbose_name = _("rate counter")
        verbose_name_plural = _("rate counters")

    def __str__(self):
        return f"{self.key[:8]}… {self.hits}"


class CalendarDay(BaseModel):
    """A day the State Council's holiday schedule moves off the plain Monday–Friday week: a
    public holiday, or a Saturday or Sunday worked instead (调休上班). Working-day periods (the
    talent app's 公示, later training deadlines) are counted through ``core/workdays.py``.

    The schedule is national, so the rows belong to no place: the district's administrators
    keep them (``core.permissions.may_keep_calendar``), everyone's deadlines read them."""

    class Kind(models.TextChoices):
        HOLIDAY = "holiday", _("Public holiday")
        WORKDAY = "workday", _("Make-up working day")

    date = models.DateField(_("date"), unique=True, validators=planned_date_bounds)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    name = models.CharField(_("name"), max_length=50, validators=[single_line_text, visible_text])

    class Meta:
        ordering = ["-date"]
        verbose_name = _("holiday calendar day")
        verbose_name_plural = _("holiday calendar")

    def __str__(self):
        return f"{self.date} {self.name}（{self.get_kind_display()}）"
