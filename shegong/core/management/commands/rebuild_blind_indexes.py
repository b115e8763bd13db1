"""Recompute every blind index after SHEGONG_INDEX_KEY changed.

Until this has run, exact lookups (search by ID number, de-duplication) miss existing rows, so
run it right after deploying the new index key, before users or imports write people.
"""

from django.core.management.base import BaseCommand

from shegong.core.fields import BlindIndexField
from shegong.core.management.commands._fields import models_with, rewrite_in_batches


class Command(BaseCommand):
    help = "Recompute every blind index with the current SHEGONG_INDEX_KEY."

    def add_arguments(self, parser):
        parser.add_argument("--batch-size", type=int, default=1000)

    def handle(self, *args, batch_size, **options):
        grand_total = 0
        for model, fields in models_with(BlindIndexField):
            sources = [model._meta.get_field(field.source).attname for field in fields]
            indexes = [field.attname for field in fields]

            def recompute(obj, fields=fields):
                for field in fields:
                    field.pre_save(obj, add=False)

            count = rewrite_in_batches(model, sources, indexes, recompute, batch_size)
            grand_total += count
            self.stdout.write(f"{model._meta.label}: {count} rows ({', '.join(indexes)})")
        self.stdout.write(self.style.SUCCESS(f"Done: {grand_total} rows re-indexed."))
