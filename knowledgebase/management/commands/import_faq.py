from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from knowledgebase.importing import ImportFailed, decode, import_rows, read_rows


class Command(BaseCommand):
    help = "Import Q&As from CSV (UTF-8 or Shift_JIS); upserts by external_id; all or nothing."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument(
            "--publish",
            action="store_true",
            help="Publish rows that have no status (without it, they keep their status; new ones are drafts).",
        )
        parser.add_argument("--dry-run", action="store_true", help="Check and count, write nothing.")

    def handle(self, *args: object, file: Path, publish: bool, dry_run: bool, **options: object) -> None:
        try:
            rows = read_rows(decode(file.read_bytes()))
            result = import_rows(
                rows,
                publish=publish,
                dry_run=dry_run,
                progress=lambda done, total: self.stderr.write(f"  {done}/{total} rows"),
            )
        except OSError as exc:
            raise CommandError(f"Cannot read {file}: {exc.strerror}") from None
        except ImportFailed as failure:
            for error in failure.errors:
                self.stderr.write(error)
            raise CommandError(f"Nothing imported: {len(failure.errors)} problem(s) in {file}.") from None
        verb = "Would import" if dry_run else "Imported"
        self.stdout.write(
            self.style.SUCCESS(
                f"{verb} {len(rows)} rows: {result.created} new, {result.updated} updated, "
                f"{result.unchanged} unchanged, "
                f"{result.categories_created} new categories."
            )
        )
        if result.from_html:
            self.stdout.write(
                f"{result.from_html} row(s) held HTML, read as plain text (paragraphs, lists, links)."
            )
