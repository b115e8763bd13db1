"""Change history for domain models (django-auditlog), registered in one way everywhere."""

import contextlib
import operator
from contextvars import ContextVar

from auditlog import context as auditlog_context
from auditlog import get_logentry_model
from auditlog.registry import auditlog
from auditlog.signals import post_log
from django.core.exceptions import ObjectDoesNotExist
from django.db import models
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


# The auditlog context open now: the request's (core.middleware.AuditlogMiddleware) or a
# service's around its writes. auditlog leaves a context's value behind when it closes, with
# its signal receiver gone, so the value alone does not say whether it still works.
_open_context = ContextVar("shegong_open_audit_context", default=None)


@contextlib.contextmanager
def context_opened(value):
    """Mark ``value`` (auditlog's context value) as the open one while the block runs."""
    token = _open_context.set(value)
    try:
        yield
    finally:
        _open_context.reset(token)


@contextlib.contextmanager
def set_actor(actor):
    """auditlog's ``set_actor`` that keeps the request's address.

    Services name their actor explicitly; auditlog's own ``set_actor`` would replace the
    context its middleware opened for the request, and with it the client's IP address.
    """
    try:
        current = auditlog_context.auditlog_value.get()
    except LookupError:
        current = None
    if current is not None and current is _open_context.get() and current["actor"] is actor:
        # Already this actor's open context (a service called by the page's user, or by nobody
        # on a public page): a new one would connect and disconnect a signal receiver around
        # every write, and say the same.
        yield
        return
    outer = current or {}
    with (
        auditlog_context.set_actor(
            actor, remote_addr=outer.get("remote_addr"), remote_port=outer.get("remote_port")
        ),
        context_opened(auditlog_context.auditlog_value.get()),
    ):
        yield
    # auditlog's context manager leaves its own value behind, and the enclosing context (the
    # request's, opened by auditlog's middleware) then disconnects *this* receiver again instead
    # of its own: one signal receiver leaked per service call, and every later change-history
    # entry ran through all of them. Put the enclosing context back.
    if current is not None:
        auditlog_context.auditlog_value.set(current)


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
