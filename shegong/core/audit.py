"""Change history for domain models (django-auditlog), registered in one way everywhere."""

from auditlog.registry import auditlog

from shegong.core.fields import BlindIndexField, EncryptedCharField

ALWAYS_EXCLUDED = ("password", "token_hash", "search_text")


def track(model, *, exclude: tuple[str, ...] = ()) -> None:
    """Record every create/update/delete of ``model`` with its actor.

    Encrypted and blind-index columns are left out automatically: the history shows that a
    person's mobile changed, never the value.
    """
    secret = tuple(
        field.name
        for field in model._meta.get_fields()
        if isinstance(field, EncryptedCharField | BlindIndexField)
    )
    fields = {f.name for f in model._meta.get_fields()}
    excluded = tuple(
        dict.fromkeys((*secret, *exclude, *(name for name in ALWAYS_EXCLUDED if name in fields)))
    )
    auditlog.register(model, exclude_fields=list(excluded), mask_fields=[])
