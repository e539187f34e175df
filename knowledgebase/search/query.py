"""`search_articles`: the one search function behind the public FAQ, the console and the API."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import UTC, datetime

from django.core.cache import cache
from django.db.models import Count, Max, Q
from whoosh import scoring
from whoosh.query import And, DateRange, Or, Term
from whoosh.searching import Searcher

from knowledgebase.models import Article, Audience, Synonym
from knowledgebase.search.analysis import QUERY_STOP_WORDS, words_for
from knowledgebase.search.backend import LANGUAGE_GROUPS, backend
from knowledgebase.search.snippets import snippet_for

logger = logging.getLogger(__name__)

# Whoosh parsing and scoring grow quickly with query length; no citizen needs more.
MAX_QUERY_LENGTH = 200
MAX_TERMS = 24
FIELD_WEIGHTS = {"question": 1.0, "answer": 1.0, "keywords": 0.6}
SYNONYM_WEIGHT = 0.5
WEIGHTING = scoring.BM25F(B=0.9, K1=1.6)


@dataclass
class Hit:
    article: Article
    score: float
    snippet: str = ""


@dataclass
class SearchResults:
    query: str
    total: int
    hits: list[Hit] = field(default_factory=list)
    terms: list[str] = field(default_factory=list)
    fallback: bool = False


def clean_query(raw: str) -> str:
    return " ".join(raw.split())[:MAX_QUERY_LENGTH]


def query_terms(query: str, language: str) -> list[str]:
    """The words to search for: content words, asking phrases and function words dropped."""
    words = words_for(query, language)
    if language == "ja":
        content = [word for word in words if word not in QUERY_STOP_WORDS]
        words = content or words
    return list(dict.fromkeys(words))[:MAX_TERMS]


def synonym_table(language: str) -> dict[str, list[str]]:
    """{term word: [expansion words]}, analysed; rebuilt whenever the synonym table changes."""
    state = Synonym.objects.aggregate(count=Count("id"), changed=Max("updated_at"))
    changed = state["changed"].timestamp() if state["changed"] else 0
    key = f"kb:synonyms:{language}:{state['count']}:{changed}"
    table = cache.get(key)
    if table is None:
        table = {}
        for synonym in Synonym.objects.all():
            expansions = [word for text in synonym.synonym_list() for word in words_for(text, language)]
            for word in words_for(synonym.term, language):
                table.setdefault(word, []).extend(expansions)
            # Both ways: a citizen's term finds the city's, and the other way round.
            for text in synonym.synonym_list():
                for word in words_for(text, language):
                    table.setdefault(word, []).extend(words_for(synonym.term, language))
        cache.set(key, table, 3600)
    return table


def _whoosh_query(terms: list[str], language: str) -> Or:
    group = LANGUAGE_GROUPS.get(language, "ja")
    synonyms = synonym_table(language)
    weighted: dict[str, float] = dict.fromkeys(terms, 1.0)
    for term in terms:
        for word in synonyms.get(term, []):
            weighted.setdefault(word, SYNONYM_WEIGHT)
    return Or(
        [
            Term(f"{group}_{part}", word, boost=weight * part_weight)
            for word, weight in weighted.items()
            for part, part_weight in FIELD_WEIGHTS.items()
        ]
    )


def _whoosh_filter(language: str, audience: str, now: datetime) -> And:
    naive_now = now.astimezone(UTC).replace(tzinfo=None)
    clauses = [
        Term("language", language),
        Term("status", "published"),
        DateRange("publish_from", None, naive_now),
        DateRange("publish_until", naive_now, None, startexcl=True),
    ]
    if audience == Audience.PUBLIC:
        clauses.append(Term("audience", Audience.PUBLIC))
    return And(clauses)


def visible_articles(audience: str):
    """Public search re-checks against published(); staff search against live()."""
    base = Article.objects.published() if audience == Audience.PUBLIC else Article.objects.live()
    return base.select_related("category__parent", "department")


def search_articles(
    raw_query: str,
    *,
    language: str = "ja",
    audience: str = Audience.PUBLIC,
    limit: int = 10,
    offset: int = 0,
    category_id: int | None = None,
    snippets: bool = True,
) -> SearchResults:
    """Search the Q&As. Never raises on user input; falls back to the database without an index."""
    from django.utils import timezone

    query = clean_query(raw_query)
    terms = query_terms(query, language) if query else []
    if not terms:
        return SearchResults(query=query, total=0)
    now = timezone.now()
    try:
        results = _search_index(terms, language, audience, limit, offset, category_id, now)
    except Exception:  # the index is a replica: never let it take search down
        logger.warning("Search index unavailable; searching the database instead", exc_info=True)
        results = _search_database(terms, language, audience, limit, offset, category_id)
    results.query = query
    results.terms = terms
    if snippets:
        for hit in results.hits:
            hit.snippet = snippet_for(hit.article.answer, terms, language)
    return results


def _search_index(
    terms: list[str],
    language: str,
    audience: str,
    limit: int,
    offset: int,
    category_id: int | None,
    now: datetime,
) -> SearchResults:
    reader = backend().reader()
    filter_query = _whoosh_filter(language, audience, now)
    if category_id:
        filter_query = And([filter_query, Term("category", str(category_id))])
    searcher = Searcher(reader, weighting=WEIGHTING, closereader=False)
    found = searcher.search(_whoosh_query(terms, language), filter=filter_query, limit=offset + limit)
    total = len(found)
    page = [(int(hit["django_id"]), hit.score) for hit in found[offset : offset + limit]]
    articles = visible_articles(audience).in_bulk([pk for pk, _ in page])
    hits = [Hit(articles[pk], score) for pk, score in page if pk in articles]
    # Hits the database no longer shows (withdrawn or expired, index not caught up yet).
    total -= len(page) - len(hits)
    return SearchResults(query="", total=max(total, len(hits)), hits=hits)


def _search_database(
    terms: list[str],
    language: str,
    audience: str,
    limit: int,
    offset: int,
    category_id: int | None,
) -> SearchResults:
    """A plain substring search, only while this host has no usable index."""
    from knowledgebase.search.analysis import fold

    condition = Q()
    for term in terms:
        condition |= (
            Q(question__icontains=term) | Q(answer__icontains=term) | Q(other_phrasings__icontains=term)
        )
        folded = fold(term)
        if folded != term:
            condition |= Q(question__icontains=folded) | Q(answer__icontains=folded)
    found = visible_articles(audience).filter(condition, language=language)
    if category_id:
        found = found.filter(Q(category_id=category_id) | Q(category__parent_id=category_id))
    total = found.count()
    hits = [Hit(article, 0.0) for article in found.order_by("-updated_at")[offset : offset + limit]]
    return SearchResults(query="", total=total, hits=hits, fallback=True)
