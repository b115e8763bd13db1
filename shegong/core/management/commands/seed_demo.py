from django.core.management.base import BaseCommand

from shegong.core.demo import DEMO_PASSWORD, ensure_demo_world


class Command(BaseCommand):
    help = "Load idempotent demo data: Huli's places, agencies and one login per role."

    def add_arguments(self, parser):
        parser.add_argument("--if-empty", action="store_true",
                            help="Do nothing when the database already has users.")

    def handle(self, *args, if_empty=False, **options):
        from shegong.accounts.models import User

        if if_empty and User.objects.exists():
            self.stdout.write("Database already has data; demo data not loaded.")
            return
        world = ensure_demo_world()
        self.stdout.write(self.style.SUCCESS("Demo data ready. Logins (password "
                                             f"'{DEMO_PASSWORD}'):"))
        for username, user in world.users.items():
            self.stdout.write(f"  {username:<16} {user}")
