"""`search_articles`: the one search function behind the public FAQ, the console and the API."""

from __future__ import annotations

import logging
import threading
from concurrent.futures import Future
from dataclasses import dataclass, field
from datetime import UTC, datetime

import numpy as np
from django.db import DatabaseError
from django.db.models import Q
from whoosh import scoring
from whoosh.query import And, DateRange, Term
from whoosh.searching import Searcher

from knowledgebase.models import Article, Audience
from knowledgebase.search import sentences
from knowledgebase.search.analysis import group_token, japanese_morphemes
from knowledgebase.search.backend import LANGUAGE_GROUPS, IndexMissing, backend
from knowledgebase.search.crosslang import LANGUAGES, translate_query
from knowledgebase.search.crosslang import neighbours as translated_neighbours
from knowledgebase.search.plan import (
    NEIGHBOUR_MIN_SIMILARITY,
    NEIGHBOURS,
    SYNONYM_WEIGHT,
    QueryPlan,
    clean_query,
    plan_query,
    query_terms,
    scoring_clauses,
)
from knowledgebase.search.ranking import (
    Candidate,
    RankingWeights,
    coverage,
    held_words,
    idf,
    rank,
    ranking_weights,
)
from knowledgebase.search.scoring import bm25f_scores, top_documents
from knowledgebase.search.snippets import snippet_for
from knowledgebase.search.vocabulary import Vocabulary, vocabulary_for

logger = logging.getLogger(__name__)

FILTER_SECONDS = 30
RERANK_DEPTH = 50
BM25_B, BM25_K1 = 0.9, 1.6
WEIGHTING = scoring.BM25F(B=BM25_B, K1=BM25_K1)  # for Whoosh's own searches (the filter)


@dataclass
class Hit:
    article: Article
    score: float
    snippet: str = ""
    # False when the hit does not look like an answer to the query (see ranking.answers);
    # staff screens show it marked, public search leaves it out.
    confident: bool = True


@dataclass
class SearchResults:
    query: str
    total: int
    hits: list[Hit] = field(default_factory=list)
    terms: list[str] = field(default_factory=list)
    fallback: bool = False
    translated_terms: list[str] = field(default_factory=list)  # Japanese words of a foreign query
    # False when nothing found looks like an answer: public search says so first.
    answered: bool = True


def _whoosh_filter(language: str, include_internal: bool, now: datetime) -> And:
    naive_now = now.astimezone(UTC).replace(tzinfo=None)
    clauses = [
        Term("language", language),
        Term("status", "published"),
        DateRange("publish_from", None, naive_now),
        DateRange("publish_until", naive_now, None, startexcl=True),
    ]
    if not include_internal:
        clauses.append(Term("audience", Audience.PUBLIC))
    return And(clauses)


class _FilterCache:
    lock = threading.Lock()
    entries: dict[tuple, np.ndarray] = {}


def _allowed_documents(
    searcher: Searcher,
    generation_name: str,
    language: str,
    include_internal: bool,
    category_id: int | None,
    now: datetime,
) -> np.ndarray:
    """The documents a search may return: True at their document numbers.

    Worked out once per index state and FILTER_SECONDS (a Q&A whose publish date has just
    passed appears within that time; one that expired is dropped at once by the database
    re-check), instead of once per search.
    """
    reader = searcher.reader()
    key = (
        id(reader),
        generation_name,
        reader.generation(),
        language,
        include_internal,
        category_id,
        int(now.timestamp() // FILTER_SECONDS),
    )
    allowed = _FilterCache.entries.get(key)
    if allowed is None:
        filter_query = _whoosh_filter(language, include_internal, now)
        if category_id:
            filter_query = And([filter_query, Term("category", str(category_id))])
        allowed = np.zeros(reader.doc_count_all(), dtype=bool)
        allowed[list(searcher.docs_for_query(filter_query))] = True
        with _FilterCache.lock:
            if len(_FilterCache.entries) > 64:
                _FilterCache.entries.clear()
            _FilterCache.entries[key] = allowed
    return allowed


def visible_articles(include_internal: bool):
    """Public search re-checks against published(); staff search against live()."""
    base = Article.objects.live() if include_internal else Article.objects.published()
    return base.select_related("category__parent", "department")


def search_articles(
    raw_query: str,
    *,
    language: str = "ja",
    include_internal: bool = False,
    limit: int = 10,
    offset: int = 0,
    category_id: int | None = None,
    snippets: bool = True,
    synonyms: bool = True,
    cross_language: bool = True,
    answers_only: bool = False,
    without: frozenset[str] = frozenset(),
    weights: RankingWeights | None = None,
) -> SearchResults:
    """Search the Q&As. Never raises on user input; falls back to the database without an index.

    Every hit says whether it looks like an answer (`Hit.confident`) and the results whether
    any does (`answered`). `answers_only=True` (public search) keeps only those, counted in
    `total`; when none is, `total` is 0 and the hits are the best few, not confident.
    `synonyms=False` ignores the staff synonym list; `without` switches off STAGES and
    `weights` replaces the ranking weights (both to measure search).
    A search in another language than Japanese also finds the Q&As that exist only in
    Japanese, through the query translated (crosslang.py); `cross_language=False` does not.
    """
    from django.utils import timezone

    query = clean_query(raw_query)
    terms = query_terms(query, language) if query else []
    if not terms:
        return SearchResults(query=query, total=0, answered=False)
    now = timezone.now()
    options = SearchOptions(
        include_internal=include_internal,
        category_id=category_id,
        synonyms=synonyms,
        answers_only=answers_only,
        without=frozenset(without),
        weights=weights or ranking_weights(),
    )
    try:
        if cross_language and language in CROSS_LANGUAGES:
            results = _search_across_languages(query, language, limit, offset, now, options)
        else:
            results = _search_index(query, language, limit, offset, now, options)
    except DatabaseError:  # the database itself: not the index's fault (the view answers 503)
        raise
    except Exception as error:  # the index is a replica: never let it take search down
        # A corrupted index fails every search: the first failure is logged whole, the others
        # in one line, and the mark has run_indexer check the index and rebuild it.
        first = _note_index_failure()
        logger.warning("Search index unavailable; searching the database instead: %r", error, exc_info=first)
        results = _search_database(terms, language, include_internal, limit, offset, category_id)
    results.query = query
    results.terms = results.terms or terms
    if snippets:
        for hit in results.hits:
            if hit.article.language == language:
                hit.snippet = snippet_for(hit.article.answer, results.terms, language)
            else:  # a Japanese Q&A found through the translated query
                hit.snippet = snippet_for(hit.article.answer, results.translated_terms, hit.article.language)
    return results


def _note_index_failure() -> bool:
    try:
        return backend().note_failure()
    except Exception:  # no backend to mark: the warning says the rest
        return False


@dataclass(frozen=True)
class SearchOptions:
    include_internal: bool
    category_id: int | None
    synonyms: bool
    answers_only: bool
    without: frozenset[str]
    weights: RankingWeights


# With no answer, public search shows at most this many "possibly related" Q&As.
POSSIBLY_RELATED = 3


def ranked_candidates(
    raw_query: str, *, language: str = "ja", include_internal: bool = False
) -> list[Candidate]:
    """The best RERANK_DEPTH hits with their ranking features (to fit the weights offline)."""
    from django.utils import timezone

    query = clean_query(raw_query)
    if not query or not query_terms(query, language):
        return []
    options = SearchOptions(
        include_internal=include_internal,
        category_id=None,
        synonyms=True,
        answers_only=False,
        without=frozenset(),
        weights=ranking_weights(),
    )
    candidates, _, _ = _candidates(query, language, RERANK_DEPTH, timezone.now(), options)
    return candidates[:RERANK_DEPTH]


def _candidates(
    query: str, language: str, depth: int, now: datetime, options: SearchOptions
) -> tuple[list[Candidate], int, QueryPlan]:
    """The allowed hits, best first (at least `depth`), how many matched, and the query plan."""
    # The query's sentence vector is computed on its own thread while the lexical search runs.
    pending = sentences.start_query(query, options.without) if language == "ja" else None
    search_backend = backend()
    reader = search_backend.reader()
    vocabulary = vocabulary_for(reader, search_backend.generation.name) if language == "ja" else None
    plan = plan_query(
        query,
        language,
        use_synonyms=options.synonyms,
        vocabulary=vocabulary,
        reader=reader,
        without=options.without,
    )
    if vocabulary is not None:
        plan.drop_common_expansions(vocabulary, reader)
    searcher = Searcher(reader, weighting=WEIGHTING, closereader=False)
    allowed = _allowed_documents(
        searcher,
        search_backend.generation.name,
        language,
        options.include_internal,
        options.category_id,
        now,
    )
    clauses = scoring_clauses(plan, language, options.without)
    scores = bm25f_scores(searcher, clauses, B=BM25_B, K1=BM25_K1)
    best, total = top_documents(scores, allowed, max(depth, RERANK_DEPTH))
    candidates = rank(
        best,
        plan,
        language,
        vocabulary,
        searcher,
        weights=options.weights,
        without=options.without,
        depth=RERANK_DEPTH,
        sentence_vector=pending,
    )
    return candidates, total, plan


def _search_index(
    query: str, language: str, limit: int, offset: int, now: datetime, options: SearchOptions
) -> SearchResults:
    candidates, total, plan = _candidates(query, language, offset + limit, now, options)
    passing = [c for c in candidates if c.confident]
    answered = bool(candidates) and candidates[0].confident
    if options.answers_only:
        if answered:
            candidates, total = passing, len(passing)
        else:
            candidates, total = candidates[:POSSIBLY_RELATED], 0
            limit, offset = min(limit, POSSIBLY_RELATED), 0
    page = candidates[offset : offset + limit]
    articles = visible_articles(options.include_internal).in_bulk([c.pk for c in page])
    hits = [Hit(articles[c.pk], c.score, confident=c.confident) for c in page if c.pk in articles]
    # Hits the database no longer shows (withdrawn or expired, index not caught up yet).
    if total:
        total = max(total - (len(page) - len(hits)), len(hits))
    return SearchResults(query="", total=total, hits=hits, terms=plan.highlighted(), answered=answered)


def _search_database(
    terms: list[str],
    language: str,
    include_internal: bool,
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
    found = visible_articles(include_internal).filter(condition, language=language)
    if category_id:
        found = found.filter(Q(category_id=category_id) | Q(category__parent_id=category_id))
    total = found.count()
    hits = [Hit(article, 0.0) for article in found.order_by("-updated_at")[offset : offset + limit]]
    return SearchResults(query="", total=total, hits=hits, fallback=True, answered=bool(hits))


# --- Across languages (issue 17) ------------------------------------------------------------
# An English, Chinese or Korean search ranks the Q&As in the reader's language together with
# the Japanese Q&As found through the translated query (crosslang.py); a Japanese Q&A is never
# shown beside its own translation (Article.objects.for_reader()).

CROSS_LANGUAGES = frozenset(LANGUAGES)
TRANSLATED_WEIGHT = 0.05  # the Japanese Q&As' share of their reachable score: after the reader's own matches
TRANSLATED_NEIGHBOUR_WEIGHT = 0.3  # times the cosine and the translated word's weight
TRANSLATED_GROUP_WEIGHT = 0.2
TRANSLATED_NEIGHBOURS_FROM = 0.9  # glossary, names and romaji words


def translated_plan(query: str, language: str, vocabulary: Vocabulary) -> QueryPlan:
    """The Japanese words a foreign query stands for, then lighter synonyms and neighbours of them."""
    translation = translate_query(query, language, vocabulary)
    plan = QueryPlan()
    for word, weight in translation.words.items():
        plan.add(plan.words, word, weight)
    for morpheme in japanese_morphemes(" ".join(translation.words)):
        weight = translation.words.get(morpheme.word)
        if weight is None:
            continue
        for group_id in morpheme.groups:
            plan.add(plan.groups, group_token(group_id), TRANSLATED_GROUP_WEIGHT * weight)
        if weight < TRANSLATED_NEIGHBOURS_FROM:
            continue  # a guess (a kanji or hanja reading) is not widened further
        for word, similarity in translated_neighbours(
            vocabulary, morpheme, NEIGHBOURS, NEIGHBOUR_MIN_SIMILARITY
        ):
            plan.add(plan.words, word, TRANSLATED_NEIGHBOUR_WEIGHT * similarity * weight)
    return plan


# The Japanese Q&As found for a Chinese or Korean query are re-ranked as Japanese hits are. On the
# tune split of crosslang_queries.csv hit@5 went .821 → .857 (Chinese) and .694 → .736 (Korean),
# but .815 → .793 in English, whose romaji keyword queries (sodai gomi, kaigo hoken) then lose the
# general Q&A to its special cases as Japanese keyword queries do: English keeps the BM25F order.
# The query's sentence vector (multilingual) joined this re-ranking later: on tune hit@1 / MRR@10
# .446 / .615 → .536 / .681 (Chinese), .417 / .563 → .472 / .611 (Korean); English with it lost
# hit@5 .870 → .837, and still keeps the BM25F order.
TRANSLATED_RERANK_LANGUAGES = frozenset({"zh-hans", "ko"})
# The translated words that count as typed for coverage (tune: .5 as good, .9 worse).
TRANSLATED_TYPED_FROM = 0.7


def _rerank_translated(
    scores: np.ndarray,
    plan: QueryPlan,
    vocabulary: Vocabulary,
    searcher: Searcher,
    options: SearchOptions,
    pending: Future | None = None,
) -> None:
    """Re-order the best Japanese Q&As among themselves as a Japanese search ranks its hits (by
    closeness in meaning, coverage of the translated words and, with `pending`, the query's
    sentence vector), in place: each keeps one of the scores the Japanese side had, so the
    reader's own Q&As keep their places beside them."""
    best, _ = top_documents(scores, scores > 0, RERANK_DEPTH)
    if len(best) < 2:
        return
    plan.typed = [word for word, weight in plan.words.items() if weight >= TRANSLATED_TYPED_FROM]
    ranked = rank(
        best,
        plan,
        "ja",
        vocabulary,
        searcher,
        weights=options.weights,
        without=options.without,
        depth=len(best),
        sentence_vector=pending,
    )
    places = sorted((score for _, score in best), reverse=True)
    for candidate, score in zip(ranked, places, strict=True):
        scores[candidate.docnum] = score


# An English Q&A holding less than this share of the query's words (by idf) is scored as the
# Japanese ones are: it no longer comes before a Japanese Q&A that answers. On the tune split
# English hit@5 went .815 → .870 and the shipped English queries, whose answers are English Q&As,
# .811 → .838 (.4 to .6: a plateau). Chinese and Korean Q&As are indexed as character bigrams,
# whose coverage says less (a query's bigrams across word boundaries are in no Q&A): on tune their
# hit@5 did not move, so they keep their scores.
OWN_MIN_COVER = 0.5


def _demote_partial_matches(
    scores: np.ndarray, allowed: np.ndarray, plan: QueryPlan, language: str, searcher: Searcher
) -> None:
    """Scale the reader's own Q&As that hold too little of the query (OWN_MIN_COVER) down to the
    Japanese side's scale, in place: "raccoon in my attic" is not answered by a Q&A on My Number."""
    best, _ = top_documents(scores, allowed, RERANK_DEPTH)
    if not best:
        return
    reader = searcher.reader()
    group = LANGUAGE_GROUPS.get(language, language)
    documents = reader.doc_count_all()
    typed = list(plan.typed)
    idfs = np.array(
        [idf(reader, (f"{group}_question", f"{group}_answer"), word, documents) for word in typed],
        dtype=np.float32,
    )
    docnums = np.array([docnum for docnum, _ in best], dtype=np.int64)
    fields_ = (f"{group}_question", f"{group}_answer", f"{group}_keywords")
    (held,) = held_words(reader, docnums, typed, plan.expansions, [fields_])
    scores[docnums[coverage(idfs, held) < OWN_MIN_COVER]] *= TRANSLATED_WEIGHT


def _reachable(searcher: Searcher, plan: QueryPlan, language: str) -> float:
    """The BM25F score of a Q&A that had every main word of the plan in every field, very often."""
    main = QueryPlan({word: weight for word, weight in plan.words.items() if weight >= SYNONYM_WEIGHT})
    reader = searcher.reader()
    total = sum(
        clause.boost * searcher.idf(clause.field, clause.word) * (BM25_K1 + 1)
        for clause in scoring_clauses(main, language)
        if clause.field in reader.schema and reader.doc_frequency(clause.field, clause.word)
    )
    return total or 1.0


def readable_articles(language: str, include_internal: bool):
    """visible_articles() without the Japanese Q&As that have a translation into `language`."""
    return Article.objects.shown_in(language, visible_articles(include_internal))


def _search_across_languages(
    query: str, language: str, limit: int, offset: int, now: datetime, options: SearchOptions
) -> SearchResults:
    """The reader's own Q&As and the Japanese ones found through the translated query, in one
    list. The no-answer test is calibrated on Japanese queries only: every hit here counts as
    an answer (cross-language confidence is left for later)."""
    include_internal, category_id, synonyms = options.include_internal, options.category_id, options.synonyms
    # The query's sentence vector (the model is multilingual) re-ranks the Japanese hits among
    # themselves; computed on its own thread while the translation and BM25F run.
    pending = (
        sentences.start_query(query, options.without) if language in TRANSLATED_RERANK_LANGUAGES else None
    )
    search_backend = backend()
    reader = search_backend.reader()
    vocabulary = vocabulary_for(reader, search_backend.generation.name)
    own = plan_query(query, language, use_synonyms=synonyms)
    japanese = translated_plan(query, language, vocabulary)
    japanese.drop_common_expansions(vocabulary, reader)
    searcher = Searcher(reader, weighting=WEIGHTING, closereader=False)
    generation = search_backend.generation.name
    allowed_own = _allowed_documents(searcher, generation, language, include_internal, category_id, now)
    allowed_japanese = _allowed_documents(searcher, generation, "ja", include_internal, category_id, now)
    # Each side as a share of the best score its main words could reach, so that the reader's own
    # Q&As and the Japanese ones compare, however many words the translation yields.
    own_scores = bm25f_scores(searcher, scoring_clauses(own, language), B=BM25_B, K1=BM25_K1)
    scores = np.where(allowed_own, own_scores / _reachable(searcher, own, language), 0)
    if language == "en":
        _demote_partial_matches(scores, allowed_own, own, language, searcher)
    if japanese.words:
        translated = bm25f_scores(searcher, scoring_clauses(japanese, "ja"), B=BM25_B, K1=BM25_K1)
        share = TRANSLATED_WEIGHT / _reachable(searcher, japanese, "ja")
        translated = np.where(allowed_japanese, share * translated, 0)
        if language in TRANSLATED_RERANK_LANGUAGES:
            _rerank_translated(translated, japanese, vocabulary, searcher, options, pending)
        scores += translated
    best, total = top_documents(scores, allowed_own | allowed_japanese, max(offset + limit, RERANK_DEPTH))
    ranked = [(int(searcher.stored_fields(docnum)["django_id"]), score) for docnum, score in best]
    # The originals of translations drop out of the candidates before paging; only the page is loaded.
    readable = set(
        readable_articles(language, include_internal)
        .filter(pk__in=[pk for pk, _ in ranked])
        .values_list("pk", flat=True)
    )
    shown = _in_readers_language(ranked, readable, language, include_internal)
    page = shown[offset : offset + limit]
    articles = visible_articles(include_internal).in_bulk([pk for pk, _ in page])
    hits = [Hit(articles[pk], score) for pk, score in page if pk in articles]
    total -= len(ranked) - len(shown)
    return SearchResults(
        query="",
        total=max(total, offset + len(hits)),
        hits=hits,
        terms=own.highlighted() or query_terms(query, language),
        translated_terms=[word for word, weight in japanese.words.items() if weight >= SYNONYM_WEIGHT],
        answered=bool(hits),
    )


def _in_readers_language(
    ranked: list[tuple[int, float]], readable: set[int], language: str, include_internal: bool
) -> list[tuple[int, float]]:
    """The ranked Q&As a reader of `language` is shown: a Japanese original found through the
    translated query stands for its translation, which the reader's own words may have missed
    (tennyu finds 転入届, shown in English), at the better of the two places."""
    hidden = [pk for pk, _ in ranked if pk not in readable]
    translations: dict[int, int] = {}
    if hidden:
        translations = dict(
            readable_articles(language, include_internal)
            .filter(translation_of_id__in=hidden, language=language)
            .values_list("translation_of_id", "pk")
        )
    shown: list[tuple[int, float]] = []
    seen: set[int] = set()
    for pk, score in ranked:
        pk = pk if pk in readable else translations.get(pk)
        if pk is not None and pk not in seen:
            seen.add(pk)
            shown.append((pk, score))
    return shown


def warm_up() -> None:
    """Load the analyser, the word vectors, the index vocabulary and what translation derives from it
    before the first search."""
    from knowledgebase.search.vectors import word_vectors

    japanese_morphemes("住民票の写し")
    word_vectors()
    try:
        sentences.warm_up()
        search_backend = backend()
        vocabulary = vocabulary_for(search_backend.reader(), search_backend.generation.name)
        # The translation tables of English, Chinese and Korean queries, with the JMdict and CC-CEDICT
        # entries the Q&As use (≈ 75 MB, 1.5 s to build).
        translate_query("warm up", "en", vocabulary)
        translate_query("垃圾", "zh-hans", vocabulary)
        translate_query("쓰레기", "ko", vocabulary)
    except IndexMissing:  # a new host: the indexer is building it, and searches use the database
        logger.info("Search warm-up: no index to open yet")
    except Exception:  # anything else: the first search will say so too
        logger.warning("Search warm-up failed", exc_info=True)
