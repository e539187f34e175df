from datetime import timedelta

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser

from knowledgebase.services import purge_search_log


class Command(BaseCommand):
    help = "Delete search log rows older than SEARCH_LOG_RETENTION_DAYS (run_indexer also does this every reconcile)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--days",
            type=int,
            default=settings.SEARCH_LOG_RETENTION_DAYS,
            help="Keep this many days instead of the setting.",
        )

    def handle(self, *args: object, days: int, **options: object) -> None:
        deleted = purge_search_log(older_than=timedelta(days=days))
        self.stdout.write(f"Deleted {deleted} search log row(s) older than {days} days.")
