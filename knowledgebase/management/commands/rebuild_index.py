from django.core.management.base import BaseCommand, CommandParser

from knowledgebase.search.indexer import rebuild


class Command(BaseCommand):
    help = "Build a complete new search index beside the live one and switch to it atomically."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--noinput", "--no-input", action="store_true", help="Accepted for compatibility."
        )

    def handle(self, *args: object, **options: object) -> None:
        generation = rebuild()
        position = generation.position()
        self.stdout.write(
            self.style.SUCCESS(f"Search index rebuilt: {position['documents']} Q&As ({generation.name}).")
        )
