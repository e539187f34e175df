from django.core.management.base import BaseCommand, CommandError, CommandParser

from knowledgebase.search.evaluation import (
    DEPTH,
    EvaluationFileError,
    Report,
    check_targets,
    evaluate,
    read_queries,
)


class Command(BaseCommand):
    help = (
        "Measure search quality on a CSV of queries (query, expected[, lang, style]): hit@1, hit@5, MRR@10."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="CSV file of queries and the external ids that answer them.")
        parser.add_argument("--lang", help="Only the queries in this language.")
        parser.add_argument("--by-style", action="store_true", help="Break the figures down by style.")
        parser.add_argument(
            "--misses", action="store_true", help="List the queries not answered in the top 5."
        )
        parser.add_argument(
            "--no-synonyms",
            action="store_true",
            help="Ignore the staff synonym list (as a city that has not written one yet).",
        )

    def handle(
        self,
        *args: object,
        file: str,
        lang: str | None,
        by_style: bool,
        misses: bool,
        no_synonyms: bool,
        **options: object,
    ) -> None:
        try:
            queries = read_queries(file)
        except EvaluationFileError as error:
            raise CommandError(str(error)) from error
        if lang:
            queries = [q for q in queries if q.language == lang]
            if not queries:
                raise CommandError(f"No queries in language {lang!r}.")
        problems = check_targets(queries)
        if problems:
            raise CommandError(
                "Some expected answers are not published public Q&As here "
                "(import them with import_faq --publish first):\n  " + "\n  ".join(problems[:20])
            )
        report = evaluate(queries, synonyms=not no_synonyms)
        self.stdout.write(f"{'':<14}{'queries':>8}{'hit@1':>8}{'hit@5':>8}{f'MRR@{DEPTH}':>8}")
        self._line("all", report)
        for language, part in report.by(lambda q: q.language).items():
            self._line(f"lang {language}", part)
        if by_style:
            for style, part in report.by(lambda q: q.style or "-").items():
                self._line(style, part)
        self.stdout.write(
            f"latency p50 {report.latency_ms(0.5):.1f} ms, p95 {report.latency_ms(0.95):.1f} ms (in process)"
        )
        if misses:
            self.stdout.write("\nNot in the top 5:")
            for outcome in report.misses(5):
                q = outcome.query
                rank = outcome.rank or "-"
                self.stdout.write(
                    f"  line {q.line} [{q.language}] {q.query!r} want {'|'.join(sorted(q.expected))}"
                    f" rank {rank}; got {' '.join(outcome.found[:5])}"
                )

    def _line(self, label: str, report: Report) -> None:
        self.stdout.write(
            f"{label:<14}{len(report):>8}{report.hit_at(1):>8.3f}{report.hit_at(5):>8.3f}{report.mrr():>8.3f}"
        )
