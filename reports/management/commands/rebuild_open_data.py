import time

from django.core.management.base import BaseCommand, CommandError, CommandParser

from reports.opendata import rebuild_open_data


class Command(BaseCommand):
    help = (
        "Recompute the published monthly inquiry counts (open data) from the inquiries: every "
        "finished month, or the last N with --months. Run daily (see README)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--months",
            type=int,
            metavar="N",
            help="Only the last N finished months (default: all of them).",
        )

    def handle(self, *args: object, months: int | None = None, **options: object) -> None:
        if months is not None and months < 1:
            raise CommandError("--months must be at least 1.")
        started = time.monotonic()
        rebuilt = rebuild_open_data(months=months)
        self.stdout.write(
            f"Open data: {rebuilt.cells:,} counts for {rebuilt.months} months "
            f"in {time.monotonic() - started:.1f} s."
        )
