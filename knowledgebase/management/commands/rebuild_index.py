from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser

from knowledgebase.search import sentences
from knowledgebase.search.indexer import rebuild


class Command(BaseCommand):
    help = (
        "Build a complete new search index beside the live one and switch to it atomically; then "
        "compute the question vectors not computed yet (~25 ms each on one core)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--noinput", "--no-input", action="store_true", help="Accepted for compatibility."
        )
        parser.add_argument(
            "--skip-vectors",
            action="store_true",
            help="Leave the question vectors to run_indexer (it computes them in quiet time). A "
            "public-only host never computes them: its role may not write them.",
        )

    def handle(self, *args: object, skip_vectors: bool = False, **options: object) -> None:
        generation = rebuild()
        position = generation.position()
        self.stdout.write(
            self.style.SUCCESS(f"Search index rebuilt: {position['documents']} Q&As ({generation.name}).")
        )
        if skip_vectors or settings.PUBLIC_ONLY:  # a public host's role may not write them
            return
        # Until a question has its vector, search ranks it without sentence closeness: a city
        # measuring search right after importing its Q&As would measure less than it gets.
        due = sentences.count_due()
        if due:
            self.stdout.write(f"Computing {due} question vector(s)…")
            self.stdout.write(self.style.SUCCESS(f"Computed {sentences.refresh()} question vector(s)."))
