import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandParser

from knowledgebase.importing import export_rows
from knowledgebase.models import Article


class Command(BaseCommand):
    help = "Export every Q&A as CSV in the import format (UTF-8 with BOM, for Excel)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path, nargs="?", help="Output file (default: standard output).")

    def handle(self, *args: object, file: Path | None = None, **options: object) -> None:
        articles = Article.objects.select_related(
            "category__parent", "department", "translation_of"
        ).order_by("translation_of_id", "external_id", "pk")
        text = export_rows(articles)
        if file:
            file.write_text("\ufeff" + text, encoding="utf-8", newline="")
        else:
            sys.stdout.write(text)
