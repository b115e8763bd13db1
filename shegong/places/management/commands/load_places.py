from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from shegong.places.services import places_load


class Command(BaseCommand):
    help = "Load or update the district → street → community tree from a CSV file."

    def add_arguments(self, parser):
        parser.add_argument(
            "file",
            nargs="?",
            default=str(settings.SHEGONG_PLACES_FILE),
            help="CSV with code,name,street_code,street_name,district_code,district_name "
            "(default: the bundled Huli file)",
        )

    def handle(self, *args, file, **options):
        path = Path(file)
        if not path.exists():
            raise CommandError(f"No such file: {path}")
        try:
            result = places_load(text=path.read_text(encoding="utf-8-sig"))
        except ValidationError as exc:
            raise CommandError("; ".join(exc.messages)) from exc
        self.stdout.write(
            self.style.SUCCESS(
                f"Loaded {result.districts} district(s), {result.streets} street(s), "
                f"{result.communities} communities "
                f"({result.created} new, {result.updated} updated)."
            )
        )
