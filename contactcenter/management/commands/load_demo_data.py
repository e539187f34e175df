import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from contactcenter.accounts.demo import DEMO_PASSWORD, DEMO_TEAM, demo_floor, load_demo_accounts
from contactcenter.accounts.roles import Role
from inquiries.demo import load_demo_inquiries
from inquiries.demo_mail import load_demo_emails
from inquiries.demo_written import load_demo_written
from knowledgebase.demo import load_demo_knowledgebase
from reports.opendata import rebuild_open_data
from reports.rollup import refresh as refresh_rollup


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
        parser.add_argument(
            "--inquiries",
            type=int,
            metavar="N",
            help="Demo inquiries wanted in all (default: the DEMO_INQUIRIES setting); only missing ones are added.",
        )

    def handle(
        self, *args: object, force: bool = False, inquiries: int | None = None, **options: object
    ) -> None:
        if not settings.DEBUG and not force:
            raise CommandError(
                "DEBUG is off: this looks like production, and demo logins share a published "
                "password. Use --force on a machine that is not production."
            )
        wanted = settings.DEMO_INQUIRIES if inquiries is None else inquiries
        if wanted < 0:
            raise CommandError("--inquiries cannot be negative.")
        logins = load_demo_accounts()
        knowledgebase = load_demo_knowledgebase()
        self.stdout.write(
            f"Demo Q&As: {knowledgebase.created} added; existing ones are kept as they are "
            "(searchable once the indexer ran or after manage.py rebuild_index)."
        )
        started = time.monotonic()
        demo = load_demo_inquiries(
            count=wanted, operators=demo_floor(Role.OPERATOR), leaders=demo_floor(Role.LEADER)
        )
        self.stdout.write(
            f"Demo inquiries: {demo.added:,} added in {time.monotonic() - started:.1f} s "
            f"({demo.total:,} in all); survey periods: {demo.survey_periods_added} added."
        )
        written = load_demo_written()
        self.stdout.write(
            f"Demo escalations: {written.escalations:,} added; web messages and faxes in the queue: "
            f"{written.queued} added."
        )
        started = time.monotonic()
        rows = refresh_rollup()
        self.stdout.write(f"Report rollup: {rows:,} rows recounted in {time.monotonic() - started:.1f} s.")
        self.stdout.write(f"Demo e-mails: {load_demo_emails()} added (waiting in the queue).")
        started = time.monotonic()
        published = rebuild_open_data()
        self.stdout.write(
            f"Open data: {published.cells:,} monthly counts over {published.months} months "
            f"in {time.monotonic() - started:.1f} s."
        )
        self.stdout.write(
            self.style.SUCCESS(f"Demo data loaded. Logins (password for all: {DEMO_PASSWORD}):")
        )
        for login in logins:
            self.stdout.write(f"  {login.username:<15} {login.role.label}")
        team = ", ".join(login.username for login in DEMO_TEAM)
        self.stdout.write(f"  and the rest of the floor: {team}")
