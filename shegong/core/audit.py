"""Change history for domain models (django-auditlog), registered in one way everywhere."""

import contextlib
import operator
from contextvars import ContextVar

from auditlog import get_logentry_model
from auditlog.registry import auditlog
from auditlog.signals import post_log
from django.contrib.auth import get_user_model
from django.core.exceptions import ObjectDoesNotExist
from django.db import models
from django.db.models.signals import pre_save
from django.utils.text import capfirst
from django.utils.translation import gettext

from shegong.core.fields import BlindIndexField, EncryptedCharField

ALWAYS_EXCLUDED = ("password", "token_hash", "search_text")

REDACTED = "***"


def redact(value: str) -> str:
    """What the history stores for an encrypted field: whether it held a value, never which.

    auditlog compares the decrypted old and new values and calls this only when they differ,
    so an entry still says "the mobile changed" (and who changed it).
    """
    return "" if value in ("", "None") else REDACTED


# The change-history context open now: the request's (core.middleware.AuditlogMiddleware) or a
# service's around its writes; a dict of what every entry written inside it records (``actor``,
# ``remote_addr``, ``remote_port``), or None outside any.
_open_context = ContextVar("shegong_open_audit_context", default=None)


def _sign_entry(sender, instance, **kwargs):
    """Give an entry about to be saved its actor and request details from the open context
    (what auditlog's own context receiver does). Connected once: auditlog connects and
    disconnects a receiver around every context, and each of those clears every signal's
    receiver cache, so every save after it looked its receivers up afresh (the public check-in
    paid that three times a request)."""
    context = _open_context.get()
    if context is None:
        return
    actor = context.get("actor")
    if isinstance(actor, get_user_model()) and instance.actor is None:
        instance.actor = actor
        instance.actor_email = getattr(actor, "email", None)
    for key, value in context.items():
        if key != "actor" and hasattr(sender, key):
            setattr(instance, key, value() if callable(value) else value)


pre_save.connect(
    _sign_entry, sender=get_logentry_model(), dispatch_uid="shegong.core.audit.sign_entry"
)


@contextlib.contextmanager
def open_context(values: dict):
    """Record ``values`` (``actor``, ``remote_addr``, ``remote_port``) on every change-history
    entry written while the block runs."""
    token = _open_context.set(values)
    try:
        yield
    finally:
        _open_context.reset(token)


@contextlib.contextmanager
def set_actor(actor):
    """Sign the change-history entries written in the block with ``actor``, keeping the
    request's address. Services name their actor explicitly; a service called by the page's
    own user (or by nobody, on a public page) writes through the request's context as it is."""
    current = _open_context.get()
    if current is not None and current.get("actor") is actor:
        yield
        return
    with open_context({**(current or {}), "actor": actor}):
        yield


def free_text_fields(model) -> tuple[str, ...]:
    """Columns a person types freely into (notes, summaries, goals): no choices, no codes."""
    return tuple(
        f.name
        for f in model._meta.concrete_fields
        if isinstance(f, models.CharField | models.TextField)
        and not f.choices
        and not isinstance(f, EncryptedCharField)
    )


def content_repr(instance, owner_path: str) -> str:
    """A label that names a content row by its owner and number, never by what it says:
    "个案 2026-001-000012 的服务记录 #3"."""
    try:
        owner = operator.attrgetter(owner_path)(instance)
    except ObjectDoesNotExist:  # deleted together with its owner
        return f"{capfirst(instance._meta.verbose_name)} #{instance.pk}"
    return gettext("%(owner_type)s %(owner)s: %(model)s #%(pk)s") % {
        "owner_type": capfirst(owner._meta.verbose_name),
        "owner": owner,
        "model": instance._meta.verbose_name,
        "pk": instance.pk,
    }


_CONTENT_OWNERS: dict[type, str] = {}


def _relabel_content_entry(sender, instance, log_entry=None, log_created=False, **kwargs):
    owner_path = _CONTENT_OWNERS.get(sender)
    if owner_path is None or not log_created:
        return
    label = content_repr(instance, owner_path)
    get_logentry_model().objects.filter(pk=log_entry.pk).update(object_repr=label)
    log_entry.object_repr = label


post_log.connect(_relabel_content_entry, dispatch_uid="shegong.core.audit.relabel_content")


def track(
    model,
    *,
    exclude: tuple[str, ...] = (),
    private: tuple[str, ...] = (),
    content_of: str = "",
) -> None:
    """Record every create/update/delete of ``model`` with its actor.

    Encrypted columns are recorded as changed-or-not through ``redact``; blind-index columns are
    left out (they change with their source and are keyed hashes of personal values). The
    history shows that a person's mobile changed, never the value, not even as ciphertext.

    ``private``: further columns recorded as changed-or-not only (what a case note says).
    ``content_of``: for confidential content (notes, plans, comments), the attribute path to the
    record it belongs to ("note.case"). The history then names the row by that record and its
    own number instead of by its text, and keeps none of its free text: the audit trail is read
    by auditors, who may not read case content (DESIGN §4.2).
    """
    fields = model._meta.get_fields()
    encrypted = [f.name for f in fields if isinstance(f, EncryptedCharField)]
    indexes = tuple(f.name for f in fields if isinstance(f, BlindIndexField))
    # Reverse relations ("api_tokens", "notifications") are not columns of this row; left in,
    # every create would list them as changed.
    reverse = tuple(f.name for f in fields if f.auto_created and not f.concrete)
    names = {f.name for f in fields}
    excluded = tuple(
        dict.fromkeys(
            (*indexes, *reverse, *exclude, *(name for name in ALWAYS_EXCLUDED if name in names))
        )
    )
    if content_of:
        private = (*private, *free_text_fields(model))
        _CONTENT_OWNERS[model] = content_of
    auditlog.register(
        model,
        exclude_fields=list(excluded),
        mask_fields=list(dict.fromkeys((*encrypted, *private))),
        mask_callable="shegong.core.audit.redact",
    )
