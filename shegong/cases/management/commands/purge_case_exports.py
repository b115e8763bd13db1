"""Delete background case exports nobody downloaded within SHEGONG_EXPORT_RETENTION_HOURS.

Each new export also purges them; run this from cron so files do not wait for the next one."""

from django.core.management.base import BaseCommand

from shegong.cases.export_jobs import case_exports_purge


class Command(BaseCommand):
    help = "Delete case export files older than SHEGONG_EXPORT_RETENTION_HOURS."

    def handle(self, *args, **options):
        count = case_exports_purge()
        self.stdout.write(f"{count} export file(s) deleted.")
