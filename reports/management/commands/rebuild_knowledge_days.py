import time

from django.core.management.base import BaseCommand

from reports.knowledge import rebuild_knowledge_days


class Command(BaseCommand):
    help = (
        "Recount the inquiries resolved with and without a Q&A per day and category, for the "
        "knowledge report (every day before today). Run nightly (see README)."
    )

    def handle(self, *args: object, **options: object) -> None:
        started = time.monotonic()
        rows = rebuild_knowledge_days()
        self.stdout.write(f"Knowledge gaps: {rows:,} day counts in {time.monotonic() - started:.1f} s.")
