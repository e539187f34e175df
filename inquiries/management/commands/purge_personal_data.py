from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from inquiries.services.retention import KINDS, count_pending, cutoffs, purge_personal_data


class Command(BaseCommand):
    help = (
        "Erase callers' personal data of inquiries closed more than PERSONAL_DATA_RETENTION_DAYS ago "
        "(inquiries and figures stay), audit events older than AUDIT_LOG_RETENTION_DAYS and old "
        "rate-limit counters. Safe to run daily; --dry-run only counts."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--dry-run", action="store_true", help="Count what would be erased; change nothing."
        )
        parser.add_argument(
            "--days",
            type=int,
            default=None,
            help="Keep personal data this many days after closing instead of the setting.",
        )
        parser.add_argument(
            "--audit-days",
            type=int,
            default=None,
            help="Keep audit events this many days instead of the setting.",
        )

    def handle(
        self, *args: object, dry_run: bool, days: int | None, audit_days: int | None, **options: object
    ) -> None:
        if (days is not None and days < 1) or (audit_days is not None and audit_days < 1):
            raise CommandError("--days and --audit-days must be at least 1.")
        before = cutoffs(
            personal_data_days=settings.PERSONAL_DATA_RETENTION_DAYS if days is None else days,
            audit_log_days=settings.AUDIT_LOG_RETENTION_DAYS if audit_days is None else audit_days,
        )
        counts = count_pending(before) if dry_run else purge_personal_data(before=before)
        heading = "Would erase (dry run):" if dry_run else "Erased:"
        self.stdout.write(heading)
        for kind, count in counts.items():
            self.stdout.write(f"  {kind} ({KINDS[kind]}): {count}")
