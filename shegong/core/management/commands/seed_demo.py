from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from shegong.core.demo import DEMO_PASSWORD, DEMO_SCALES, build_demo


class Command(BaseCommand):
    help = (
        "Load idempotent demo data: the district's places, agencies with their staff, one login "
        "per role, synthetic people and case work at every step. Each app adds its part (its "
        "demo.py). Running it again creates nothing new."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="Do nothing when the database already has users.",
        )
        parser.add_argument(
            "--scale",
            choices=DEMO_SCALES,
            default="small",
            help="small: what `make run` loads; huli: the same world at the district's scale.",
        )

    def handle(self, *args, if_empty=False, scale="small", **options):
        if settings.PRODUCTION:
            # Demo logins share one published password: never on a real district's database.
            raise CommandError("seed_demo refuses to run with SHEGONG_ENV=production.")
        if if_empty and get_user_model().objects.exists():
            self.stdout.write("Database already has data; demo data not loaded.")
            return
        world = build_demo(scale=scale)
        for line in world.report:
            self.stdout.write(line)
        self.stdout.write(
            self.style.SUCCESS(f"Demo data ready. Logins (password '{DEMO_PASSWORD}'):")
        )
        for username, user in world.users.items():
            self.stdout.write(f"  {username:<16} {user}")
