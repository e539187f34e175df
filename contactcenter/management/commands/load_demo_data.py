from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from contactcenter.accounts.demo import DEMO_PASSWORD, load_demo_accounts
from knowledgebase.demo import load_demo_knowledgebase


class Command(BaseCommand):
    help = (
        "Add the demo departments, one login per role and demo content that are missing (never overwrites)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--force",
            action="store_true",
            help="Load even with DEBUG off (demo logins have a published password).",
        )

    def handle(self, *args: object, force: bool = False, **options: object) -> None:
        if not settings.DEBUG and not force:
            raise CommandError(
                "DEBUG is off: this looks like production, and demo logins share a published "
                "password. Use --force on a machine that is not production."
            )
        logins = load_demo_accounts()
        knowledgebase = load_demo_knowledgebase()
        self.stdout.write(
            f"Demo Q&As: {knowledgebase.created} added; existing ones are kept as they are "
            "(searchable once the indexer ran or after manage.py rebuild_index)."
        )
        self.stdout.write(
            self.style.SUCCESS(f"Demo data loaded. Logins (password for all: {DEMO_PASSWORD}):")
        )
        for login in logins:
            self.stdout.write(f"  {login.username:<15} {login.role.label}")
