"""Re-encrypt every encrypted column under the first key of SHEGONG_FIELD_KEYS.

Rotation: put the new key first and keep the old ones after it (every key decrypts, the first
encrypts), run this command, then drop the old keys. Note attachments (files) are re-encrypted
too, and any stored before encryption at rest are sealed. Blind indexes use a separate key and
are not touched (see ``rebuild_blind_indexes``).
"""

from django.core.management.base import BaseCommand

from shegong.core.fields import EncryptedCharField
from shegong.core.management.commands._fields import models_with, rewrite_in_batches
from shegong.core.registry import sealed_files


class Command(BaseCommand):
    help = "Re-encrypt every encrypted value under the first key of SHEGONG_FIELD_KEYS."

    def add_arguments(self, parser):
        parser.add_argument("--batch-size", type=int, default=1000)

    def handle(self, *args, batch_size, **options):
        grand_total = 0
        for model, fields in models_with(EncryptedCharField):
            names = [field.attname for field in fields]
            # Loading decrypts with any listed key; saving encrypts with the first one.
            count = rewrite_in_batches(model, names, names, lambda obj: None, batch_size)
            grand_total += count
            self.stdout.write(
                f"{model._meta.label}: {count} rows re-encrypted ({', '.join(names)})"
            )
        for label, reseal_all in sealed_files().items():
            self.stdout.write(f"{label}: {reseal_all()} files re-encrypted")
        self.stdout.write(self.style.SUCCESS(f"Done: {grand_total} rows re-encrypted."))
