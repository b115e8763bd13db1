"""Delete import uploads (plain-text personal data) that are no longer needed.

Run it daily (cron or a systemd timer): ``manage.py imports_cleanup``.
"""

from django.conf import settings
from django.core.management.base import BaseCommand

from shegong.imports.runner import clean_up


class Command(BaseCommand):
    help = (
        "Delete the uploads of finished imports, fail imports left waiting or interrupted for "
        "more than SHEGONG_IMPORT_RETENTION_DAYS and delete their uploads, and remove "
        "orphaned import files."
    )

    def handle(self, *args, **options):
        counts = clean_up()
        self.stdout.write(
            f"imports_cleanup: {counts['finished']} finished, {counts['expired']} expired "
            f"(older than {settings.SHEGONG_IMPORT_RETENTION_DAYS} days), "
            f"{counts['orphans']} orphaned files deleted"
        )
