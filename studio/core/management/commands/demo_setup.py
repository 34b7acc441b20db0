from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from studio.core.demo import demo_setup


class Command(BaseCommand):
    help = "Create the demo team with one user per role and queue the embedded model's conversion."

    def add_arguments(self, parser):
        parser.add_argument("--force", action="store_true", help="Run even when DEBUG is off.")

    def handle(self, *args, force: bool, **options):
        if not settings.DEBUG and not force:
            raise CommandError("The demo accounts have published passwords: run with DEBUG=True, or --force.")
        team, accounts = demo_setup()
        self.stdout.write(self.style.SUCCESS(f"Demo team '{team}' is ready. Log in with:"))
        for account in accounts:
            self.stdout.write(f"  {account.username:<10} {account.password:<22} {', '.join(account.roles)}")
