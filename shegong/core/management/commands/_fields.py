"""Shared by the key commands: which models hold which secret columns, walked in pk batches."""

from django.apps import apps
from django.db import transaction


def models_with(field_class):
    """(model, [fields]) for every concrete model with a concrete field of ``field_class``."""
    for model in apps.get_models():
        if model._meta.proxy or not model._meta.managed:
            continue
        fields = [f for f in model._meta.concrete_fields if isinstance(f, field_class)]
        if fields:
            yield model, fields


def rewrite_in_batches(model, load: list[str], update: list[str], change, batch_size: int) -> int:
    """Load ``load`` columns batch by batch (keyset on pk, so rows written never reappear),
    call ``change(obj)`` on each row and ``bulk_update`` the ``update`` columns.

    ``bulk_update`` sends no signals and leaves ``auto_now`` columns alone: a key change is not a
    change of the record, so it must not flood the change history or the "updated" times.
    """
    manager = model._base_manager
    last_pk = None
    total = 0
    while True:
        batch = manager.order_by("pk").only("pk", *load)
        if last_pk is not None:
            batch = batch.filter(pk__gt=last_pk)
        rows = list(batch[:batch_size])
        if not rows:
            return total
        for obj in rows:
            change(obj)
        with transaction.atomic(using=manager.db):
            manager.bulk_update(rows, update, batch_size=batch_size)
        total += len(rows)
        last_pk = rows[-1].pk
