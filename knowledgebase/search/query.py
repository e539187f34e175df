"""`search_articles`: the one search function behind the public FAQ, the console and the API."""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass, field
from datetime import UTC, datetime

import numpy as np
from django.core.cache import cache
from django.db.models import Count, Max, Q
from whoosh import scoring
from whoosh.query import And, DateRange, Term
from whoosh.searching import Searcher

from knowledgebase.models import Article, Audience, Synonym
from knowledgebase.search.analysis import QUERY_STOP_WORDS, group_token, japanese_morphemes, words_for
from knowledgebase.search.backend import LANGUAGE_GROUPS, backend
from knowledgebase.search.crosslang import LANGUAGES, translate_query
from knowledgebase.search.crosslang import neighbours as translated_neighbours
from knowledgebase.search.scoring import Clause, bm25f_scores, top_documents
from knowledgebase.search.snippets import snippet_for
from knowledgebase.search.vocabulary import Vocabulary, vocabulary_for

logger = logging.getLogger(__name__)

# Whoosh parsing and scoring grow quickly with query length; no citizen needs more.
MAX_QUERY_LENGTH = 200
MAX_TERMS = 24
FIELD_WEIGHTS = {"question": 1.0, "answer": 1.0, "keywords": 0.6}
SYNONYM_WEIGHT = 0.5
# Japanese query expansion (see vocabulary.py): hiragana spelled as indexed nouns,
# nearest words by meaning (chiVe vectors), and Sudachi's synonym groups.
READING_WEIGHT = 0.8
RESPELLED_WEIGHT = 0.3
CORRECTION_WEIGHT = 0.8
NEIGHBOURS = 5
NEIGHBOUR_MIN_SIMILARITY = 0.5
NEIGHBOUR_WEIGHT = 0.4  # times the cosine similarity
GROUP_WEIGHT = 0.3
# An expansion (not a typed word) found in more than this share of Q&As says little and
# costs the most to score.
EXPANSION_MAX_SHARE = 0.1
EXPANSION_MIN_KEPT = 50
FILTER_SECONDS = 30
RERANK_DEPTH = 50
RERANK_WEIGHT = 0.3  # of the cosine between query and question, against score / best score
BM25_B, BM25_K1 = 0.9, 1.6
WEIGHTING = scoring.BM25F(B=BM25_B, K1=BM25_K1)  # for Whoosh's own searches (the filter)


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
    translated_terms: list[str] = field(default_factory=list)  # Japanese words of a foreign query


def clean_query(raw: str) -> str:
    return " ".join(raw.split())[:MAX_QUERY_LENGTH]


def query_terms(query: str, language: str) -> list[str]:
    """The words to search for: content words, asking phrases and function words dropped."""
    words = words_for(query, language)
    if language == "ja":
        content = [word for word in words if word not in QUERY_STOP_WORDS]
        words = content or words
    return list(dict.fromkeys(words))[:MAX_TERMS]


def synonym_table(language: str) -> list[tuple[frozenset[str], list[str]]]:
    """[(words of a term, words it expands to)], analysed, both ways; rebuilt whenever the list changes."""
    state = Synonym.objects.aggregate(count=Count("id"), changed=Max("updated_at"))
    changed = state["changed"].timestamp() if state["changed"] else 0
    key = f"kb:synonyms:v2:{language}:{state['count']}:{changed}"
    table = cache.get(key)
    if table is None:
        table = []
        for synonym in Synonym.objects.all():
            group = [words_for(text, language) for text in [synonym.term, *synonym.synonym_list()]]
            # Both ways: a citizen's word finds the city's, and the other way round.
            for index, words in enumerate(group):
                if words:
                    others = [word for i, other in enumerate(group) if i != index for word in other]
                    expansions = [w for w in others if w not in words and w not in QUERY_STOP_WORDS]
                    table.append((frozenset(words), list(dict.fromkeys(expansions))))
        cache.set(key, table, 3600)
    return table


@dataclass
class QueryPlan:
    """Index words and synonym-group tokens to search for, each with its weight."""

    words: dict[str, float] = field(default_factory=dict)
    groups: dict[str, float] = field(default_factory=dict)

    def add(self, table: dict[str, float], token: str, weight: float) -> None:
        if weight > table.get(token, 0.0):
            table[token] = weight

    def drop_common_expansions(self, vocabulary: Vocabulary, reader) -> None:
        """Drop word-vector neighbours found in very many Q&As (typed words and staff synonyms stay)."""
        limit = max(EXPANSION_MAX_SHARE * vocabulary.documents, EXPANSION_MIN_KEPT)
        self.words = {
            word: weight
            for word, weight in self.words.items()
            if weight >= SYNONYM_WEIGHT or vocabulary.frequency(word, reader) <= limit
        }

    def highlighted(self) -> list[str]:
        return [word for word, weight in self.words.items() if weight >= READING_WEIGHT]


def plan_query(
    query: str,
    language: str,
    *,
    use_synonyms: bool = True,
    vocabulary: Vocabulary | None = None,
) -> QueryPlan:
    """What to search for: the query's words, then lighter expansions of them."""
    plan = QueryPlan()
    respelled = vocabulary.respell(query) if vocabulary is not None and language == "ja" else query
    terms = query_terms(respelled, language)
    for term in terms:
        plan.add(plan.words, term, 1.0)
    if respelled != query:
        # What the hiragana analysed to before respelling, and other spellings of it, lighter.
        for term in query_terms(query, language):
            plan.add(plan.words, term, RESPELLED_WEIGHT)
        for word in vocabulary.alternatives(query):
            plan.add(plan.words, word, READING_WEIGHT)
    present = set(terms)
    if use_synonyms:
        for words, expansions in synonym_table(language):
            if words <= present:
                for word in expansions:
                    plan.add(plan.words, word, SYNONYM_WEIGHT)
    if language == "ja":
        morphemes = [m for m in japanese_morphemes(respelled) if m.word in present]
        for morpheme in morphemes:
            for group_id in morpheme.groups:
                plan.add(plan.groups, group_token(group_id), GROUP_WEIGHT)
        if vocabulary is not None:
            for morpheme in morphemes:
                for word, confidence in vocabulary.corrections(morpheme):
                    plan.add(plan.words, word, CORRECTION_WEIGHT * confidence)
                for word, similarity in vocabulary.neighbours(morpheme, NEIGHBOURS, NEIGHBOUR_MIN_SIMILARITY):
                    plan.add(plan.words, word, NEIGHBOUR_WEIGHT * similarity)
    return plan


def scoring_clauses(plan: QueryPlan, language: str) -> list[Clause]:
    """Each planned word in each text field of the language, and the synonym-group tokens."""
    group = LANGUAGE_GROUPS.get(language, "ja")
    clauses = [
        Clause(f"{group}_{part}", word, weight * part_weight)
        for word, weight in plan.words.items()
        for part, part_weight in FIELD_WEIGHTS.items()
    ]
    clauses += [Clause("ja_groups", token, weight) for token, weight in plan.groups.items()]
    return clauses


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
) -> SearchResults:
    """Search the Q&As. Never raises on user input; falls back to the database without an index.

    `synonyms=False` ignores the staff synonym list (used to measure search without one).
    A search in another language than Japanese also finds the Q&As that exist only in
    Japanese, through the query translated (crosslang.py); `cross_language=False` does not.
    """
    from django.utils import timezone

    query = clean_query(raw_query)
    terms = query_terms(query, language) if query else []
    if not terms:
        return SearchResults(query=query, total=0)
    now = timezone.now()
    try:
        if cross_language and language in CROSS_LANGUAGES:
            results = _search_across_languages(
                query, language, include_internal, limit, offset, category_id, now, synonyms
            )
        else:
            results = _search_index(
                query, terms, language, include_internal, limit, offset, category_id, now, synonyms
            )
    except Exception:  # the index is a replica: never let it take search down
        logger.warning("Search index unavailable; searching the database instead", exc_info=True)
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


def _search_index(
    query: str,
    terms: list[str],
    language: str,
    include_internal: bool,
    limit: int,
    offset: int,
    category_id: int | None,
    now: datetime,
    synonyms: bool,
) -> SearchResults:
    search_backend = backend()
    reader = search_backend.reader()
    vocabulary = vocabulary_for(reader, search_backend.generation.name) if language == "ja" else None
    plan = plan_query(query, language, use_synonyms=synonyms, vocabulary=vocabulary)
    if vocabulary is not None:
        plan.drop_common_expansions(vocabulary, reader)
    searcher = Searcher(reader, weighting=WEIGHTING, closereader=False)
    allowed = _allowed_documents(
        searcher, search_backend.generation.name, language, include_internal, category_id, now
    )
    scores = bm25f_scores(searcher, scoring_clauses(plan, language), B=BM25_B, K1=BM25_K1)
    best, total = top_documents(scores, allowed, max(offset + limit, RERANK_DEPTH))
    ranked = []
    for docnum, score in best:
        stored = searcher.stored_fields(docnum)
        ranked.append((int(stored["django_id"]), score, stored.get("ja_terms", "")))
    if vocabulary is not None:
        ranked = rerank(ranked, plan, vocabulary, reader)
    page = [(pk, score) for pk, score, _ in ranked[offset : offset + limit]]
    articles = visible_articles(include_internal).in_bulk([pk for pk, _ in page])
    hits = [Hit(articles[pk], score) for pk, score in page if pk in articles]
    # Hits the database no longer shows (withdrawn or expired, index not caught up yet).
    total -= len(page) - len(hits)
    return SearchResults(query="", total=max(total, len(hits)), hits=hits, terms=plan.highlighted())


def rerank(
    ranked: list[tuple[int, float, str]], plan: QueryPlan, vocabulary: Vocabulary, reader
) -> list[tuple[int, float, str]]:
    """Re-order the best RERANK_DEPTH hits by score plus closeness in meaning of query and question."""
    if not ranked:
        return ranked
    query_vector = vocabulary.mean_vector(
        {word: weight for word, weight in plan.words.items() if weight >= 1.0}, reader
    )
    if query_vector is None:
        return ranked
    head, tail = ranked[:RERANK_DEPTH], ranked[RERANK_DEPTH:]
    top = head[0][1] or 1.0
    rescored = []
    for pk, score, words in head:
        vector = vocabulary.question_vector(words, reader)
        closeness = float(vector @ query_vector) if vector is not None else 0.0
        rescored.append((pk, score / top + RERANK_WEIGHT * closeness, words))
    rescored.sort(key=lambda item: -item[1])
    return rescored + tail


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
    return SearchResults(query="", total=total, hits=hits, fallback=True)


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
    query: str,
    language: str,
    include_internal: bool,
    limit: int,
    offset: int,
    category_id: int | None,
    now: datetime,
    synonyms: bool,
) -> SearchResults:
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
    if japanese.words:
        translated = bm25f_scores(searcher, scoring_clauses(japanese, "ja"), B=BM25_B, K1=BM25_K1)
        share = TRANSLATED_WEIGHT / _reachable(searcher, japanese, "ja")
        scores += np.where(allowed_japanese, share * translated, 0)
    best, total = top_documents(scores, allowed_own | allowed_japanese, max(offset + limit, RERANK_DEPTH))
    ranked = [(int(searcher.stored_fields(docnum)["django_id"]), score) for docnum, score in best]
    # The originals of translations drop out of the candidates before paging; only the page is loaded.
    readable = set(
        readable_articles(language, include_internal)
        .filter(pk__in=[pk for pk, _ in ranked])
        .values_list("pk", flat=True)
    )
    shown = [(pk, score) for pk, score in ranked if pk in readable]
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
    )


def warm_up() -> None:
    """Load the analyser, the word vectors, the index vocabulary and what translation derives from it
    before the first search."""
    from knowledgebase.search.vectors import word_vectors

    japanese_morphemes("住民票の写し")
    word_vectors()
    try:
        search_backend = backend()
        vocabulary = vocabulary_for(search_backend.reader(), search_backend.generation.name)
        # The translation tables of English, Chinese and Korean queries (≈ 65 MB, seconds to build).
        translate_query("warm up", "en", vocabulary)
        translate_query("垃圾", "zh-hans", vocabulary)
        translate_query("쓰레기", "ko", vocabulary)
    except Exception:  # no index yet on this host: the first search will say so
        logger.info("Search warm-up: no index to open yet", exc_info=True)
