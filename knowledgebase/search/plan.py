"""What a query searches for: its words, and the lighter expansions made from them.

`plan_query` turns the text typed into a `QueryPlan` (index words and Sudachi group tokens,
each weighted: typed words 1.0, expansions less), and `scoring_clauses` into the BM25F clauses
over a language's fields. `query.search_articles` runs them.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.core.cache import cache
from django.db.models import Count, Max

from knowledgebase.models import Synonym
from knowledgebase.search.analysis import QUERY_STOP_WORDS, group_token, japanese_morphemes, words_for
from knowledgebase.search.backend import LANGUAGE_GROUPS
from knowledgebase.search.scoring import Clause
from knowledgebase.search.vocabulary import Vocabulary

# Whoosh parsing and scoring grow quickly with query length; no citizen needs more.
MAX_QUERY_LENGTH = 200
MAX_TERMS = 24
# Contact blocks, office hours and phone lines (see boilerplate.py) are the same on many
# Q&As: they only break ties.
FIELD_WEIGHTS = {"question": 1.0, "answer": 1.0, "keywords": 0.6, "contact": 0.1}
SYNONYM_WEIGHT = 0.5
# Japanese query expansion (see vocabulary.py): hiragana spelled as indexed nouns,
# nearest words by meaning (chiVe vectors), and Sudachi's synonym groups.
READING_WEIGHT = 0.8
RESPELLED_WEIGHT = 0.3
CORRECTION_WEIGHT = 0.8
KANJI_SLIP_WEIGHT = 0.8  # times the slip's confidence (vocabulary.kanji_slips)
NEIGHBOURS = 5
NEIGHBOUR_MIN_SIMILARITY = 0.5
NEIGHBOUR_WEIGHT = 0.4  # times the cosine similarity
GROUP_WEIGHT = 0.3
# An expansion (not a typed word) found in more than this share of Q&As says little and
# costs the most to score.
EXPANSION_MAX_SHARE = 0.1
EXPANSION_MIN_KEPT = 50


# Stages of a Japanese search that `search_articles(without=...)` can switch off, to measure
# what each one is worth (`evaluate_search --ablate`).
STAGES = (
    "respelling",  # hiragana respelt as indexed nouns, slips corrected
    "sudachi_groups",  # Sudachi's synonym groups
    "neighbours",  # nearest indexed words in the word vectors
    "staff_synonyms",  # the staff synonym list
    "vector_rerank",  # closeness in meaning of query and question in the final ranking
    "coverage",  # how much of the query the question covers, in the final ranking
    "sentence_vectors",  # closeness of query and question as sentences, in the final ranking
    "contact_weight",  # contact blocks weighed lightly (off: as strong as the answer)
)


def clean_query(raw: str) -> str:
    return " ".join(raw.split())[:MAX_QUERY_LENGTH]


def query_terms(query: str, language: str) -> list[str]:
    """The words to search for: content words, asking phrases and function words dropped."""
    words = words_for(query, language)
    if language == "ja":
        content = [word for word in words if word not in QUERY_STOP_WORDS]
        words = content or words
    return list(dict.fromkeys(words))[:MAX_TERMS]


NORMALIZED_LENGTH = 200


def normalized_query(query: str, language: str) -> str:
    """The query's search words, sorted and joined by spaces: "粗大ごみの出し方" and "粗大ゴミ
    出し方は？" read the same, so the reports can count searches by what was asked (Sudachi
    cannot run in SQL, so this is stored when the search is logged)."""
    return " ".join(sorted(set(query_terms(clean_query(query), language))))[:NORMALIZED_LENGTH]


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
    # The words typed (after respelling), and for each the expansions made from it.
    typed: list[str] = field(default_factory=list)
    expansions: dict[str, dict[str, float]] = field(default_factory=dict)

    def add(self, table: dict[str, float], token: str, weight: float, origin: str = "") -> None:
        if weight > table.get(token, 0.0):
            table[token] = weight
        if origin and token != origin:
            made = self.expansions.setdefault(origin, {})
            made[token] = max(made.get(token, 0.0), weight)

    def drop_common_expansions(self, vocabulary: Vocabulary, reader) -> None:
        """Drop word-vector neighbours found in very many Q&As (typed words and staff synonyms stay)."""
        limit = max(EXPANSION_MAX_SHARE * vocabulary.documents, EXPANSION_MIN_KEPT)
        self.words = {
            word: weight
            for word, weight in self.words.items()
            if weight >= SYNONYM_WEIGHT or vocabulary.frequency(word, reader) <= limit
        }
        for made in self.expansions.values():
            for word in [word for word in made if word not in self.words and word not in self.groups]:
                del made[word]

    def highlighted(self) -> list[str]:
        return [word for word, weight in self.words.items() if weight >= READING_WEIGHT]


def plan_query(
    query: str,
    language: str,
    *,
    use_synonyms: bool = True,
    vocabulary: Vocabulary | None = None,
    reader=None,
    without: frozenset[str] = frozenset(),
) -> QueryPlan:
    """What to search for: the query's words, then lighter expansions of them (those drawn from
    the index need `vocabulary`; kanji slips also its `reader`)."""
    plan = QueryPlan()
    respell = vocabulary is not None and language == "ja" and "respelling" not in without
    respelled = vocabulary.respell(query) if respell else query
    terms = query_terms(respelled, language)
    plan.typed = terms
    for term in terms:
        plan.add(plan.words, term, 1.0)
    if respelled != query:
        # What the hiragana analysed to before respelling, and other spellings of it, lighter.
        for term in query_terms(query, language):
            plan.add(plan.words, term, RESPELLED_WEIGHT)
        for word in vocabulary.alternatives(query):
            plan.add(plan.words, word, READING_WEIGHT)
    present = set(terms)
    if use_synonyms and "staff_synonyms" not in without:
        for words, expansions in synonym_table(language):
            if words <= present:
                for word in expansions:
                    for origin in words:
                        plan.add(plan.words, word, SYNONYM_WEIGHT, origin)
    if language == "ja":
        morphemes = [m for m in japanese_morphemes(respelled) if m.word in present]
        if "sudachi_groups" not in without:
            for morpheme in morphemes:
                for group_id in morpheme.groups:
                    plan.add(plan.groups, group_token(group_id), GROUP_WEIGHT, morpheme.word)
        if vocabulary is not None:
            if respell and reader is not None:
                for slip in vocabulary.kanji_slips(respelled, reader):
                    for origin in slip.typed:
                        for word in slip.words:
                            plan.add(plan.words, word, KANJI_SLIP_WEIGHT * slip.confidence, origin)
            for morpheme in morphemes:
                if respell:
                    for word, confidence in vocabulary.corrections(morpheme):
                        plan.add(plan.words, word, CORRECTION_WEIGHT * confidence, morpheme.word)
                if "neighbours" not in without:
                    for word, similarity in vocabulary.neighbours(
                        morpheme, NEIGHBOURS, NEIGHBOUR_MIN_SIMILARITY
                    ):
                        plan.add(plan.words, word, NEIGHBOUR_WEIGHT * similarity, morpheme.word)
    return plan


def scoring_clauses(plan: QueryPlan, language: str, without: frozenset[str] = frozenset()) -> list[Clause]:
    """Each planned word in each text field of the language, and the synonym-group tokens."""
    group = LANGUAGE_GROUPS.get(language, "ja")
    field_weights = FIELD_WEIGHTS
    if "contact_weight" in without:
        field_weights = {**FIELD_WEIGHTS, "contact": FIELD_WEIGHTS["answer"]}
    clauses = [
        Clause(f"{group}_{part}", word, weight * part_weight)
        for word, weight in plan.words.items()
        for part, part_weight in field_weights.items()
    ]
    clauses += [Clause("ja_groups", token, weight) for token, weight in plan.groups.items()]
    return clauses
