"""Change history for domain models (django-auditlog), registered in one way everywhere."""

from auditlog.registry import auditlog

from shegong.core.fields import BlindIndexField, EncryptedCharField

ALWAYS_EXCLUDED = ("password", "token_hash", "search_text")

REDACTED = "***"


def redact(value: str) -> str:
    """What the history stores for an encrypted field: whether it held a value, never which.

    auditlog compares the decrypted old and new values and calls this only when they differ,
    so an entry still says "the mobile changed" (and who changed it).
    """
    return "" if value in ("", "None") else REDACTED


def track(model, *, exclude: tuple[str, ...] = ()) -> None:
    """Record every create/update/delete of ``model`` with its actor.

    Encrypted columns are recorded as changed-or-not through ``redact``; blind-index columns are
    left out (they change with their source and are keyed hashes of personal values). The
    history shows that a person's mobile changed, never the value, not even as ciphertext.
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
    auditlog.register(
        model,
        exclude_fields=list(excluded),
        mask_fields=encrypted,
        mask_callable="shegong.core.audit.redact",
    )
