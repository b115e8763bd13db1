from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from shegong.core.demo import (
    DEMO_PASSWORD,
    DEMO_PEOPLE_COUNT,
    ensure_demo_people,
    ensure_demo_world,
)


class Command(BaseCommand):
    help = (
        "Load idempotent demo data: Huli's places with ten urban villages, eight agencies, one "
        "login per role and synthetic people. Running it again creates nothing new."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="Do nothing when the database already has users.",
        )
        parser.add_argument(
            "--scale",
            choices=sorted(DEMO_PEOPLE_COUNT),
            default="small",
            help=(
                f"small: {DEMO_PEOPLE_COUNT['small']:,} people; "
                f"huli: the same world with {DEMO_PEOPLE_COUNT['huli']:,} people."
            ),
        )

    def handle(self, *args, if_empty=False, scale="small", **options):
        from shegong.accounts.models import User

        if settings.PRODUCTION:
            # Demo logins share one published password: never on a real district's database.
            raise CommandError("seed_demo refuses to run with SHEGONG_ENV=production.")
        if if_empty and User.objects.exists():
            self.stdout.write("Database already has data; demo data not loaded.")
            return
        world = ensure_demo_world()
        wanted = DEMO_PEOPLE_COUNT[scale]
        created = ensure_demo_people(world, wanted)
        self.stdout.write(f"Demo people: {created:,} created, {wanted - created:,} already there.")
        self.stdout.write(
            self.style.SUCCESS(f"Demo data ready. Logins (password '{DEMO_PASSWORD}'):")
        )
        for username, user in world.users.items():
            self.stdout.write(f"  {username:<16} {user}")
