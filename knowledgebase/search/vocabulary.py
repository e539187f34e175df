"""What the live index's Japanese vocabulary offers query expansion.

Two things are derived from the words the index actually holds:

* a reading lexicon, so a query typed in hiragana (じゅうみんひょう, いんかんとうろく),
  which Sudachi cannot split reliably, is also searched as the indexed nouns whose
  readings spell it (住民 票, 印鑑 登録);
* the word vectors of those words, so each query word is also searched as its
  nearest neighbours that occur in the Q&As (引っ越し → 転居, 転入).

Built per process from the index reader and refreshed when the index changes (at
most every REFRESH seconds: a new Q&A's words only add expansions).
"""

from __future__ import annotations

import math
import re
import threading
import time
from dataclasses import dataclass, field
from functools import lru_cache

import numpy as np

from knowledgebase.search.analysis import (
    QUERY_STOP_WORDS,
    Morpheme,
    fold,
    japanese_words,
    kana_fold,
    shortest_units,
    sudachi_tokenizer,
)
from knowledgebase.search.vectors import WordVectors, word_vectors

VOCABULARY_FIELDS = ("ja_question", "ja_answer", "ja_keywords")
COMPOUND_FIELD = "ja_compounds"
REFRESH = 30.0
# A whole hiragana run that starts the query or follows a space, katakana or symbol: one
# that follows a kanji is its okurigana and particles (引っ越しした), not a word in kana,
# and so is any tail of it (〜かえたいんだけど is not え + 隊 + …).
HIRAGANA_RUN = re.compile(r"(?<![\u4e00-\u9fff々ぁ-ゖー])[ぁ-ゖー]{3,}")
HIRAGANA_TO_KATAKANA = {code: code + 0x60 for code in range(ord("ぁ"), ord("ゖ") + 1)}
MIN_READING = 2
SKIP_COST = 1.0  # per character left unconverted (particles, verb endings)
WORD_COST = 1.0
MIN_SPELLING_SIMILARITY = 0.5
MAX_CORRECTIONS = 3
QUESTION_VECTORS_KEPT = 20_000
# Kanji slips (登緑 for 登録): an indexed all-kanji word or compound of this many characters,
# one character away from a run of the query's kanji. A slip that reads like the word (介後,
# 介護: both ご) is surer than one that only looks like it (緑, 録).
KANJI = re.compile(r"[\u4e00-\u9fff]+")
SLIP_LENGTHS = range(2, 7)
SAME_READING_CONFIDENCE = 1.0
OTHER_READING_CONFIDENCE = 0.75
# Colloquial and grammatical endings inside a hiragana run (〜つまっちゃった, 〜っぽいけど,
# 〜わかんない, 〜んだけど, どのような) are not nouns in kana: respelt they became 妻 + 茶, 池,
# 館内, 用. Sudachi reads such endings well; it also cuts a noun in kana into a verb and a
# one-kana "ending" (じょせつ: じょせ + つ; すいどうだい: … + だ), so an ending counts only
# when it runs to two kana or more, or follows a verb or adjective Sudachi knows (詰まる), and
# an auxiliary only when it is one of today's (not つ, a cut of とうけつ: と + うけ + つ).
ENDING_AUXILIARIES = {
    "た", "だ", "ない", "ぬ", "ちゃう", "じゃう", "たい", "ます", "です", "れる", "られる",
    "せる", "させる", "らしい", "みたい", "そう", "よう", "う", "まい",
}  # fmt: skip
ENDING_POS = {("助詞", "接続助詞"), ("助詞", "準体助詞"), ("接尾辞", "形容詞的"), ("連体詞", "*")}
ENDING_STEM_POS = {"動詞", "形容詞", "形状詞"}
MIN_ENDING = 2


CONTENT_POS = {"名詞", "動詞", "形容詞"}
NOT_CONTENT = {"数詞", "非自立可能"}


@lru_cache(maxsize=100_000)
def _term_info(term: str) -> tuple[str, bool, bool]:
    """(reading, is a noun written with kanji, is a content word) for an indexed term."""
    if re.fullmatch(r"[ぁ-ゖー]{2,}", term):
        # Loanwords are indexed folded to hiragana (はざーど), which Sudachi no longer knows.
        return term, False, True
    morphemes = list(sudachi_tokenizer().tokenize(term))
    if len(morphemes) != 1:
        return "", False, False
    pos = morphemes[0].part_of_speech()
    content = pos[0] in CONTENT_POS and not NOT_CONTENT.intersection(pos[1:3])
    kanji_noun = pos[0] == "名詞" and bool(re.search(r"[\u4e00-\u9fff]", term)) and content
    return kana_fold(morphemes[0].reading_form()), kanji_noun, content


@lru_cache(maxsize=100_000)
def _vector_row(vectors: WordVectors, term: str) -> int | None:
    """The vector row of an indexed (kana-folded) term: try it as indexed and in katakana."""
    candidates = [term]
    if re.fullmatch(r"[ぁ-ゖー]+", term):
        katakana = term.translate(HIRAGANA_TO_KATAKANA)
        candidates += [katakana, katakana + "ー"]
    for candidate in candidates:
        row = vectors.row(candidate)
        if row is not None:
            return row
    return None


@lru_cache(maxsize=100_000)
def _reading(text: str) -> str:
    """The reading of a word or compound in hiragana (Sudachi's longest units, joined)."""
    return "".join(kana_fold(unit.reading_form()) for unit in sudachi_tokenizer().tokenize(text))


def _is_ending(morpheme) -> bool:
    pos = morpheme.part_of_speech()
    if pos[0] == "助動詞":
        return morpheme.normalized_form() in ENDING_AUXILIARIES
    return (pos[0], pos[1]) in ENDING_POS or (pos[0], pos[1]) == ("形状詞", "助動詞語幹")


@lru_cache(maxsize=4096)
def ending_positions(text: str) -> frozenset[int]:
    """The offsets in `text` of the characters of colloquial and grammatical endings (ちゃっ + た,
    っぽい + けど, ん + だ + けど) and of the conjugated verb or adjective before one (つまっ of
    つまっちゃった): kana that respelling must leave as typed."""
    morphemes = list(sudachi_tokenizer().tokenize(text))
    positions: set[int] = set()
    index = 0
    while index < len(morphemes):
        if not _is_ending(morphemes[index]):
            index += 1
            continue
        last = index
        while last + 1 < len(morphemes) and _is_ending(morphemes[last + 1]):
            last += 1
        begin, end = morphemes[index].begin(), morphemes[last].end()
        stem = morphemes[index - 1] if index else None
        known_stem = (
            stem is not None
            and stem.end() == begin
            and stem.part_of_speech()[0] in ENDING_STEM_POS
            and KANJI.search(stem.normalized_form()) is not None
        )
        if known_stem or end - begin >= MIN_ENDING:
            if stem is not None and stem.end() == begin and stem.part_of_speech()[0] in ENDING_STEM_POS:
                begin = stem.begin()
            positions.update(range(begin, end))
        index = last + 1
    return frozenset(positions)


def _reads_as(reading: str, word_reading: str, position: int, length: int) -> bool:
    """Whether a character read `reading` can stand at `position` of a word of `length`
    characters read `word_reading` (at its start, its end, or inside)."""
    if not reading:
        return False
    if position == 0:
        return word_reading.startswith(reading)
    if position == length - 1:
        return word_reading.endswith(reading)
    return reading in word_reading[1:-1]


@dataclass(frozen=True)
class KanjiSlip:
    """A run of the query's kanji taken for an indexed word one character away."""

    typed: tuple[str, ...]  # the query's odd words in the run (登, 緑; not 住民 of 住民標)
    meant: str  # the indexed word or compound (登録)
    words: tuple[str, ...]  # the index words it adds (those of `meant` not typed)
    confidence: float


def _bigrams(word: str) -> set[str]:
    return {word[i : i + 2] for i in range(len(word) - 1)}


@dataclass
class Vocabulary:
    terms: set[str]
    by_reading: dict[str, list[str]]
    by_bigram: dict[str, list[str]]
    vector_terms: list[str]
    matrix: np.ndarray  # unit vectors of vector_terms, one row each
    vectors: WordVectors | None
    longest_reading: int
    documents: int = 0
    # Each all-kanji indexed word and compound under its spellings with one character
    # blanked (登録 under *録 and 登*).
    by_blank: dict[str, list[str]] = field(default_factory=dict, repr=False)
    kanji_words: set[str] = field(default_factory=set, repr=False)
    _kanji_frequencies: dict[str, int] = field(default_factory=dict, repr=False)
    _frequencies: dict[str, int] = field(default_factory=dict, repr=False)
    _question_vectors: dict[str, np.ndarray | None] = field(default_factory=dict, repr=False)

    @classmethod
    def from_reader(cls, reader) -> Vocabulary:
        terms: set[str] = set()
        for fieldname in VOCABULARY_FIELDS:
            if fieldname in reader.schema:
                terms.update(term.decode("utf-8") for term in reader.lexicon(fieldname))
        ordered = sorted(terms)
        compounds = []
        if COMPOUND_FIELD in reader.schema:
            compounds = [term.decode("utf-8") for term in reader.lexicon(COMPOUND_FIELD)]
        by_reading: dict[str, list[str]] = {}
        by_bigram: dict[str, list[str]] = {}
        content_terms = []
        for term in [*ordered, *compounds]:
            reading, kanji_noun, _ = _term_info(term)
            if kanji_noun and len(reading) >= MIN_READING:
                by_reading.setdefault(reading, []).append(term)
        for term in ordered:
            if _term_info(term)[2] and term not in QUERY_STOP_WORDS:
                content_terms.append(term)
                if len(term) >= 3:
                    for bigram in _bigrams(term):
                        by_bigram.setdefault(bigram, []).append(term)
        counted = [*VOCABULARY_FIELDS, COMPOUND_FIELD]
        for candidates in by_reading.values():
            if len(candidates) > 1:  # the commonest spelling first
                candidates.sort(key=lambda term: -sum(reader.doc_frequency(f, term) for f in counted))
        vectors = word_vectors()
        vector_terms: list[str] = []
        rows: list[int] = []
        if vectors is not None:
            for term in content_terms:
                row = _vector_row(vectors, term)
                if row is not None:
                    vector_terms.append(term)
                    rows.append(row)
        matrix = vectors.unit(rows) if vectors is not None and rows else np.zeros((0, 300), np.float32)
        longest = max((len(reading) for reading in by_reading), default=0)
        by_blank: dict[str, list[str]] = {}
        kanji_words = {
            term for term in {*ordered, *compounds} if len(term) in SLIP_LENGTHS and KANJI.fullmatch(term)
        }
        for term in kanji_words:
            for position in range(len(term)):
                by_blank.setdefault(term[:position] + "*" + term[position + 1 :], []).append(term)
        return cls(
            terms,
            by_reading,
            by_bigram,
            vector_terms,
            matrix,
            vectors,
            longest,
            reader.doc_count_all(),
            by_blank,
            kanji_words,
        )

    def frequency(self, word: str, reader) -> int:
        """In how many Q&As the word occurs (question or answer), remembered until the index changes."""
        found = self._frequencies.get(word)
        if found is None:
            found = max(reader.doc_frequency(f, word) for f in VOCABULARY_FIELDS[:2])
            self._frequencies[word] = found
        return found

    def respell(self, text: str) -> str:
        """The query with words typed in hiragana spelled as the indexed nouns (じゅうみんひょう → 住民票)."""
        text = fold(text)
        pieces = []
        last = 0
        for start, end in self._kana_words(text):
            pieces.append(text[last:start])
            pieces.append(self._respell_run(text[start:end]))
            last = end
        pieces.append(text[last:])
        return "".join(pieces)

    def alternatives(self, text: str) -> list[str]:
        """Other indexed nouns with the same reading as a respelled word (ほけん: 保険, 保健)."""
        words = []
        text = fold(text)
        for start, end in self._kana_words(text):
            for reading in self._segment(text[start:end]):
                if isinstance(reading, tuple):
                    words.extend(self.by_reading[reading[0]][1:])
        return words

    @staticmethod
    def _kana_words(text: str) -> list[tuple[int, int]]:
        """(start, end) of the parts of the hiragana runs of folded `text` that may be words in
        kana: each run without its colloquial and grammatical endings (ending_positions)."""
        runs = list(HIRAGANA_RUN.finditer(text))
        if not runs:
            return []
        endings = ending_positions(text)
        spans = []
        for match in runs:
            start = None
            for position in range(match.start(), match.end() + 1):
                free = position < match.end() and position not in endings
                if free and start is None:
                    start = position
                elif not free and start is not None:
                    spans.append((start, position))
                    start = None
        return spans

    def _respell_run(self, run: str) -> str:
        return "".join(
            self.by_reading[piece[0]][0] if isinstance(piece, tuple) else piece
            for piece in self._segment(run)
        )

    def _segment(self, run: str) -> list[str | tuple[str]]:
        """The cheapest cover of a hiragana run by known readings: (reading,) or a skipped kana."""
        size = len(run)
        best: list[tuple[float, int, str]] = [(0.0, -1, "")] + [(float("inf"), -1, "")] * size
        for end in range(1, size + 1):
            cost = best[end - 1][0]
            best[end] = (cost + SKIP_COST, end - 1, "")
            for start in range(max(0, end - self.longest_reading), end - MIN_READING + 1):
                reading = run[start:end]
                if reading in self.by_reading and best[start][0] + WORD_COST < best[end][0]:
                    best[end] = (best[start][0] + WORD_COST, start, reading)
        pieces: list[str | tuple[str]] = []
        end = size
        while end > 0:
            _, start, reading = best[end]
            pieces.insert(0, (reading,) if reading else run[start:end])
            end = start
        return pieces

    def corrections(self, morpheme: Morpheme) -> list[tuple[str, float]]:
        """For a query word the Q&As never use: indexed words it may be a slip for, with a confidence.

        The commonest slip is the wrong kanji for the right sound (非難所 for 避難所, 後進 for
        更新): indexed nouns read the same. Then a misspelt loanword (ハザードマプ):
        indexed words sharing most of its character pairs.
        """
        if morpheme.word in self.terms:
            return []
        found = [(word, 1.0) for word in self.by_reading.get(morpheme.reading, []) if word in self.terms]
        if len(morpheme.word) >= 3:
            pairs = _bigrams(morpheme.word)
            shared: dict[str, int] = {}
            for bigram in pairs:
                for term in self.by_bigram.get(bigram, ()):
                    shared[term] = shared.get(term, 0) + 1
            for term, count in shared.items():
                dice = 2 * count / (len(pairs) + len(_bigrams(term)))
                if dice >= MIN_SPELLING_SIMILARITY:
                    found.append((term, dice))
        found.sort(key=lambda item: -item[1])
        return found[:MAX_CORRECTIONS]

    def kanji_slips(self, text: str, reader) -> list[KanjiSlip]:
        """Kanji the Q&As never use as written, taken for the indexed word one character away.

        Sudachi splits a compound it does not know into single characters (印鑑登緑: 印鑑 登 緑)
        or reads it as some rare name (正活: まさかつ); neither says what was meant. Every run
        of such words, alone or with the kanji words beside it, that is no indexed word is
        matched against the indexed words one character away at a place the odd words hold:
        the same reading there first (介後 → 介護, 後 and 護 both ご), then the commonest word.
        """
        units = [
            (
                unit.surface(),
                kana_fold(unit.normalized_form()),
                kana_fold(unit.reading_form()),
                unit.begin(),
                unit.is_oov() or unit.part_of_speech()[1] == "固有名詞",
            )
            for unit in shortest_units(fold(text))
        ]
        slips: dict[str, KanjiSlip] = {}
        for first in range(len(units)):
            run = ""
            odd: set[int] = set()  # places in `run` of the characters that may be wrong
            readings: dict[int, str] = {}
            odd_words: list[str] = []
            for last in range(first, len(units)):
                surface, word, reading, begin, unknown = units[last]
                adjacent = last == first or units[last - 1][3] + len(units[last - 1][0]) == begin
                if not KANJI.fullmatch(surface) or not adjacent or len(run) + len(surface) > SLIP_LENGTHS[-1]:
                    break
                # A known word the Q&As do not use (毎晩) is a word, not a slip; a kanji pair read
                # as a name (正活) or unknown to Sudachi may be one.
                if len(surface) == 1 or (unknown and word not in self.terms):
                    odd_words.append(word)
                    for offset in range(len(surface)):
                        odd.add(len(run) + offset)
                        readings[len(run) + offset] = reading if len(surface) == 1 else ""
                run += surface
                if len(run) < SLIP_LENGTHS[0] or not odd or run in self.kanji_words:
                    continue
                found = self._nearest_kanji_word(run, odd, readings, reader, whole=len(odd) == len(run))
                if found is not None:
                    meant, confidence = found
                    meant_words = japanese_words(meant)
                    whole_run = {unit[1] for unit in units[first : last + 1]}
                    added = tuple(w for w in meant_words if w not in whole_run)
                    # The slip stands for the odd words `meant` does not hold itself (介, 後 of
                    # 介後保険料; 料 is right as typed).
                    typed = tuple(w for w in dict.fromkeys(odd_words) if w not in meant_words)
                    if (
                        added
                        and typed
                        and confidence > slips.get(meant, KanjiSlip((), "", (), 0.0)).confidence
                    ):
                        slips[meant] = KanjiSlip(typed, meant, added, confidence)
        return sorted(slips.values(), key=lambda slip: -slip.confidence)[:MAX_CORRECTIONS]

    def _nearest_kanji_word(
        self, run: str, odd: set[int], readings: dict[int, str], reader, *, whole: bool
    ) -> tuple[str, float] | None:
        """The indexed word one odd character away from `run`, with a confidence. Beside a
        word the Q&As know (住民 + 標), only a word read the same there counts."""
        best: tuple[bool, int, str] | None = None
        for position in sorted(odd):
            character = run[position]
            heard = {readings.get(position, ""), _reading(character)} - {""}
            for meant in self.by_blank.get(run[:position] + "*" + run[position + 1 :], ()):
                if meant == run:
                    continue
                same = any(_reads_as(r, _reading(meant), position, len(run)) for r in heard)
                if not same and not whole:
                    continue
                key = (same, self._kanji_frequency(meant, reader), meant)
                if best is None or key > best:
                    best = key
        if best is None:
            return None
        return best[2], SAME_READING_CONFIDENCE if best[0] else OTHER_READING_CONFIDENCE

    def _kanji_frequency(self, word: str, reader) -> int:
        """In how many Q&As a word or compound of `kanji_words` occurs, remembered (looked up
        only for the few a slip may stand for: all of them would slow every refresh)."""
        found = self._kanji_frequencies.get(word)
        if found is None:
            fields_ = [*VOCABULARY_FIELDS, COMPOUND_FIELD]
            found = max(reader.doc_frequency(f, word) for f in fields_ if f in reader.schema)
            self._kanji_frequencies[word] = found
        return found

    def mean_vector(self, words: dict[str, float], reader) -> np.ndarray | None:
        """The unit mean of the words' vectors, each weighted by its weight times its idf."""
        if self.vectors is None:
            return None
        total = self.documents or 1
        rows, weights = [], []
        for word, weight in words.items():
            row = _vector_row(self.vectors, word)
            if row is None:
                continue
            rows.append(row)
            weights.append(weight * math.log((total + 1) / (self.frequency(word, reader) + 1)))
        if not rows or not any(weights):
            return None
        mean = np.asarray(weights, dtype=np.float32) @ self.vectors.unit(rows)
        norm = float(np.linalg.norm(mean))
        return mean / norm if norm else None

    def question_vector(self, words: str, reader) -> np.ndarray | None:
        """mean_vector of a question's words (stored in the index), remembered per question."""
        if words not in self._question_vectors:
            if len(self._question_vectors) > QUESTION_VECTORS_KEPT:
                self._question_vectors.clear()
            self._question_vectors[words] = self.mean_vector(dict.fromkeys(words.split(), 1.0), reader)
        return self._question_vectors[words]

    def neighbours(self, morpheme: Morpheme, count: int, minimum: float) -> list[tuple[str, float]]:
        """The indexed words nearest in meaning to a query word, with their cosine similarity."""
        if self.vectors is None or not len(self.vector_terms):
            return []
        row = self.vectors.row(morpheme.form)
        if row is None:
            row = _vector_row(self.vectors, morpheme.word)
        if row is None:
            return []
        similarities = self.matrix @ self.vectors.unit([row])[0]
        top = np.argpartition(-similarities, min(count + 1, len(similarities) - 1))[: count + 1]
        ranked = sorted(((float(similarities[i]), self.vector_terms[i]) for i in top), reverse=True)
        return [
            (term, similarity)
            for similarity, term in ranked
            if term != morpheme.word and similarity >= minimum
        ][:count]


class _Cache:
    lock = threading.Lock()
    key: tuple[str, int] | None = None
    built_at = 0.0
    vocabulary: Vocabulary | None = None


def vocabulary_for(reader, generation_name: str) -> Vocabulary:
    """This process's vocabulary of the live index, rebuilt when the index changed."""
    key = (generation_name, reader.generation())
    now = time.monotonic()
    cached = _Cache.vocabulary
    if cached is not None and (
        _Cache.key == key or (_Cache.key[0] == generation_name and now - _Cache.built_at < REFRESH)
    ):
        return cached
    with _Cache.lock:
        if _Cache.vocabulary is None or _Cache.key != key:
            _Cache.vocabulary = Vocabulary.from_reader(reader)
            _Cache.key = key
            _Cache.built_at = now
        return _Cache.vocabulary
