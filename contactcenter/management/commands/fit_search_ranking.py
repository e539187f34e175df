"""Fit the search ranking weights offline on real judgments, and print what they change.

Judgments: each Q&A an operator used ("use this answer") with the search that found it,
each Q&A a citizen opened from a search, and optionally a judged CSV (as for
evaluate_search). The weights are written to a file that search reads only when
SEARCH_RANKING_WEIGHTS names it: nothing changes online until someone sets it.
Here, in the project glue, because it reads both apps (knowledgebase must not import inquiries).
"""

from __future__ import annotations

from collections import defaultdict
from datetime import timedelta

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from inquiries.models import InquiryArticle
from knowledgebase.models import SearchLog
from knowledgebase.search.evaluation import (
    EvaluationFileError,
    EvaluationQuery,
    fit_weights,
    judge,
    measure,
    read_queries,
)
from knowledgebase.search.ranking import ranking_weights

MIN_JUDGMENTS = 30


def logged_judgments(since: timedelta) -> list[EvaluationQuery]:
    """Queries from the search log with the Q&As operators used or citizens opened after them."""
    start = timezone.now() - since
    found: dict[tuple[str, str], set[str]] = defaultdict(set)
    used = InquiryArticle.objects.filter(search__isnull=False, search__created_at__gte=start).values_list(
        "search__query", "search__language", "article__external_id"
    )
    opened = SearchLog.objects.filter(opened_article__isnull=False, created_at__gte=start).values_list(
        "query", "language", "opened_article__external_id"
    )
    for query, language, external_id in [*used, *opened]:
        if query.strip() and external_id:
            found[(query.strip(), language)].add(external_id)
    return [
        EvaluationQuery(line=0, query=query, language=language, expected=frozenset(ids), style="log")
        for (query, language), ids in sorted(found.items())
    ]


class Command(BaseCommand):
    help = (
        "Fit the search ranking weights on operators' used answers, citizens' opened results and an "
        "optional judged CSV; print hit@1, hit@5, MRR@10 before and after; write the weights to a file "
        "(search uses it only once SEARCH_RANKING_WEIGHTS names it)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--output", required=True, help="JSON file to write the fitted weights to.")
        parser.add_argument("--csv", help="A judged query file (query, expected[, lang, style, split]).")
        parser.add_argument("--days", type=int, default=365, help="Read the logs of this many days.")

    def handle(self, *args: object, output: str, csv: str | None, days: int, **options: object) -> None:
        queries = logged_judgments(timedelta(days=days))
        self.stdout.write(f"{len(queries)} judged queries from the logs of the last {days} days")
        if csv:
            try:
                judged_file = [q for q in read_queries(csv) if q.split != "test"]
            except EvaluationFileError as error:
                raise CommandError(str(error)) from error
            self.stdout.write(f"{len(judged_file)} from {csv} (its test split left out)")
            queries += judged_file
        if len(queries) < MIN_JUDGMENTS:
            raise CommandError(
                f"Too few judged queries to fit on ({len(queries)}; at least {MIN_JUDGMENTS})."
            )
        judged = judge(queries)
        current = ranking_weights()
        fitted = fit_weights(judged, current)
        self.stdout.write(f"before: {measure(judged, current).line()}")
        self.stdout.write(f"after:  {measure(judged, fitted).line()}")
        self.stdout.write(f"weights: {fitted}")
        fitted.to_file(output)
        self.stdout.write(f"Written to {output}; set SEARCH_RANKING_WEIGHTS={output} to use them.")
