from django.core.management.base import BaseCommand, CommandError, CommandParser

from knowledgebase.search import sentences
from knowledgebase.search.evaluation import (
    DEPTH,
    HUBS,
    MRR_DEPTH,
    EvaluationFileError,
    Report,
    check_targets,
    evaluate,
    read_queries,
)
from knowledgebase.search.plan import STAGES

HEADER = (
    f"{'':<18}{'queries':>8}{'answ.':>6}{'hit@1':>7}{'hit@5':>7}{f'MRR@{MRR_DEPTH}':>7}"
    f"{f'miss@{DEPTH}':>8}{'hubs':>7}{'no-ans':>7}{'wrong-no':>9}"
)


class Command(BaseCommand):
    help = (
        "Measure search quality on a CSV of queries (query, expected[, lang, style, split]; expected "
        "'-' when there is no answer): hit@1, hit@5, MRR@10 over answerable queries, right answers "
        "missing from the top 50, hubs, no-answer figures and latency."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="CSV file of queries and the external ids that answer them.")
        parser.add_argument("--lang", help="Only the queries in this language.")
        parser.add_argument("--split", choices=["tune", "test"], help="Only the queries of this split.")
        parser.add_argument("--by-style", action="store_true", help="Break the figures down by style.")
        parser.add_argument(
            "--misses", action="store_true", help="List the queries not answered in the top 5."
        )
        parser.add_argument(
            "--no-synonyms",
            action="store_true",
            help="Ignore the staff synonym list (as a city that has not written one yet).",
        )
        parser.add_argument(
            "--ablate",
            action="store_true",
            help=f"Run again with each stage off ({', '.join(STAGES)}), one line each.",
        )

    def handle(
        self,
        *args: object,
        file: str,
        lang: str | None,
        split: str | None,
        by_style: bool,
        misses: bool,
        no_synonyms: bool,
        ablate: bool,
        **options: object,
    ) -> None:
        try:
            queries = read_queries(file)
        except EvaluationFileError as error:
            raise CommandError(str(error)) from error
        if lang:
            queries = [q for q in queries if q.language == lang]
        if split:
            queries = [q for q in queries if q.split == split]
        if not queries:
            raise CommandError("No queries left after --lang/--split.")
        problems = check_targets(queries)
        if problems:
            raise CommandError(
                "Some expected answers are not published public Q&As here "
                "(import them with import_faq --publish first):\n  " + "\n  ".join(problems[:20])
            )
        due = sentences.count_due()
        if due:
            self.stderr.write(
                f"{due} Japanese Q&A(s) have no question vector yet, so search ranks them without "
                "sentence closeness and these figures are lower than a host's once run_indexer has "
                "computed them (rebuild_index computes them all)."
            )
        report = evaluate(queries, synonyms=not no_synonyms)
        self.stdout.write(HEADER)
        self._line("all", report)
        for language, part in report.by(lambda q: q.language).items():
            self._line(f"lang {language}", part)
        if not split:
            for name, part in report.by(lambda q: q.split or "-").items():
                self._line(f"split {name}", part)
        if by_style:
            for style, part in report.by(lambda q: q.style or "-").items():
                self._line(style, part)
        self.stdout.write(
            "miss@50: answerable queries whose right answer is not in the top 50; hubs: queries whose "
            f"wrong first result is one of the {HUBS} most frequent wrong firsts; no-ans: unanswerable "
            "queries told there is no answer (goal >= 70 %); wrong-no: answerable ones told so (<= 5 %)."
        )
        wrong = report.wrong_firsts()
        if wrong:
            external_id, count = wrong[0]
            self.stdout.write(
                f"most often wrongly first: {external_id}, {count} times ({count / len(report):.1%} of all "
                f"queries); the {HUBS} most frequent: "
                + ", ".join(f"{external_id} {count}" for external_id, count in wrong[:HUBS])
            )
        self.stdout.write(
            f"latency p50 {report.latency_ms(0.5):.1f} ms, p95 {report.latency_ms(0.95):.1f} ms (in process)"
        )
        if ablate:
            self.stdout.write("\nWith one stage off:")
            self.stdout.write(HEADER)
            for stage in STAGES:
                part = evaluate(queries, synonyms=not no_synonyms, without=frozenset({stage}))
                self._line(f"-{stage}"[:18], part)
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
        _, hubs = report.hub_share()
        self.stdout.write(
            f"{label:<18}{len(report):>8}{len(report.answerable):>6}{report.hit_at(1):>7.3f}"
            f"{report.hit_at(5):>7.3f}{report.mrr():>7.3f}{report.nowhere():>8.3f}{hubs:>7.3f}"
            f"{report.told_no_answer():>7.3f}{report.wrongly_told_no_answer():>9.3f}"
        )
