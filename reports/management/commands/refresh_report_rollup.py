import time

from django.core.management.base import BaseCommand, CommandParser

from reports.rollup import refresh


class Command(BaseCommand):
    help = (
        "Bring the dashboards' daily rollup up to date (the dashboards do this themselves before "
        "each page); --everything recounts every day, e.g. after inquiries were deleted or restored."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--everything", action="store_true", help="Recount every day, not only changed ones."
        )

    def handle(self, *args: object, everything: bool = False, **options: object) -> None:
        started = time.monotonic()
        rows = refresh(everything=everything)
        self.stdout.write(f"{rows:,} rollup rows written in {time.monotonic() - started:.1f} s.")
