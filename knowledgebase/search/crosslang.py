"""English, Chinese and Korean queries in Japanese: most Q&As exist only in Japanese.

A query in the reader's language is also searched as the Japanese index words it
translates to, found offline and checked against the words the Q&As actually use:

* a glossary of municipal terms shipped with the code (`data/glossary.csv`, en/zh/ko →
  ja, written for this project), and the city's own four-language category and
  department names;
* Japanese names of procedures typed in romaji in any of the three (juminhyo, sodai gomi),
  respelled through the readings of the indexed nouns; English words the glossary nearly
  spells taken as meant (garbge → garbage);
* Chinese: the query converted to Japanese kanji (OpenCC: simplified → traditional →
  Japanese shinjitai, 国民健康保险 → 国民健康保険) and analysed as Japanese;
* Korean: Sino-Korean words matched through the hangul reading of each indexed kanji word
  (`hanja` after OpenCC's Japanese → traditional: 住民票 → 住民票 → 주민표);
* the words the glossary lacks through the general dictionaries (dictionaries.py): JMdict for
  English, CC-CEDICT pivoting through English for Chinese (垃圾 → garbage → ごみ).

Guesses (kanji and hanja readings, names) weigh less than glossary words; query.py ranks
the Japanese Q&As found so after the reader's own matches.
"""

from __future__ import annotations

import csv
import difflib
import re
import threading
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from knowledgebase.search import dictionaries
from knowledgebase.search.analysis import QUERY_STOP_WORDS, Morpheme, fold, japanese_words
from knowledgebase.search.romaji import short_reading, to_hiragana
from knowledgebase.search.vocabulary import Vocabulary

if TYPE_CHECKING:
    from whoosh.analysis import Analyzer

GLOSSARY = Path(__file__).parent / "data" / "glossary.csv"
LANGUAGES = ("en", "zh-hans", "ko")
GLOSSARY_WEIGHT = 1.0
NAME_WEIGHT = 0.8  # category and department names
ROMAJI_WEIGHT = 0.9
KANJI_WEIGHT = 0.8  # Chinese words written in Japanese kanji
HANJA_WEIGHT = 0.7  # Korean words read as the kanji words of the index
JMDICT_WEIGHT = 0.5  # English words the glossary lacks, through JMdict
CEDICT_WEIGHT = 0.8  # Chinese words through CC-CEDICT's English and JMdict, as the kanji-read ones
MAX_HOMOPHONES = 3  # a Korean reading shared by more indexed words says too little
MIN_ROMAJI_LETTERS = 4  # shorter Latin words are English (go, do, bus) more often than romaji
MIN_HANGUL_READING = 2
MAX_NEIGHBOURS_KEPT = 5000
MIN_SLIP_LETTERS = 5  # English words shorter than this are not taken for slips
SLIP_SIMILARITY = 0.8
# Korean endings glued to the noun before them (particles, copula, asking endings).
KOREAN_ENDINGS = re.compile(
    r"(은|는|이|가|을|를|에|에서|에게|의|도|로|으로|와|과|하고|이나|나|만|까지|부터|"
    r"하려면|하려고|하고 싶어요|하고싶어요|해야|해요|하나요|할까요|인가요|이에요|예요|입니다|"
    r"합니다|했어요|됐어요|되나요|돼요|요)$"
)


@dataclass
class Lexicon:
    """Foreign phrases (analysed for matching) → the Japanese text they stand for, per language.

    English phrases are matched as runs of word stems, Chinese and Korean ones as text; each
    is filed under its first stem or character, so a query looks up only the phrases that
    can start at each of its positions.
    """

    entries: dict[str, dict[str, list[tuple[tuple[str, ...] | str, str, float]]]] = field(
        default_factory=dict
    )
    english: list[str] = field(default_factory=list)  # the English phrases as written
    _english_words: frozenset[str] | None = field(default=None, repr=False)

    def add(self, language: str, phrase: str, japanese: str, weight: float) -> None:
        key = phrase_key(phrase, language)
        if language == "en":
            self.english.append(phrase)
        if key and japanese.strip():
            self.entries.setdefault(language, {}).setdefault(key[0], []).append((key, japanese, weight))

    def english_words(self) -> frozenset[str]:
        """The long words of the English phrases, which a misspelt query word may be meant as."""
        if self._english_words is None:
            self._english_words = frozenset(
                word
                for phrase in self.english
                for word in re.findall(r"[a-z]+", phrase.lower())
                if len(word) >= MIN_SLIP_LETTERS
            )
        return self._english_words

    def matches(self, key: tuple[str, ...] | str, language: str) -> list[tuple[str, float]]:
        """(Japanese text, weight) of every phrase found in the analysed query."""
        filed = self.entries.get(language, {})
        found = []
        for start in range(len(key)):
            for phrase, japanese, weight in filed.get(key[start], ()):
                if key[start : start + len(phrase)] == phrase:
                    found.append((japanese, weight))
        return found


@lru_cache(maxsize=1)
def _english_analyzer() -> Analyzer:
    from knowledgebase.search.analysis import english_analyzer

    return english_analyzer()


@lru_cache(maxsize=100_000)  # JMdict's glosses are stemmed again with each new index vocabulary
def english_stems(text: str) -> tuple[str, ...]:
    return tuple(token.text for token in _english_analyzer()(text.replace("-", " ")))


@lru_cache(maxsize=1)
def english_function_stems() -> frozenset[str]:
    return frozenset(stem for word in dictionaries.english_function_words() for stem in english_stems(word))


def phrase_key(phrase: str, language: str) -> tuple[str, ...] | str:
    """How a phrase is matched: English by its word stems in order, Chinese and Korean as text."""
    if language == "en":
        return english_stems(phrase)
    return re.sub(r"\s+", "", fold(phrase))


@lru_cache(maxsize=1)
def glossary() -> Lexicon:
    lexicon = Lexicon()
    with GLOSSARY.open(encoding="utf-8") as rows:
        for row in csv.DictReader(rows):
            for language in LANGUAGES:
                for phrase in (row.get(language) or "").split(";"):
                    if phrase.strip():
                        lexicon.add(language, phrase, row["ja"], GLOSSARY_WEIGHT)
    return lexicon


def names_lexicon() -> Lexicon:
    """The four-language names of the categories and departments (read again with each new vocabulary)."""
    from contactcenter.accounts.models import Department
    from knowledgebase.models import Category

    lexicon = Lexicon()
    for model in (Category, Department):
        for row in model.objects.values("name", "name_en", "name_zh_hans", "name_ko"):
            for language, column in (("en", "name_en"), ("zh-hans", "name_zh_hans"), ("ko", "name_ko")):
                if row[column]:
                    lexicon.add(language, row[column], row["name"], NAME_WEIGHT)
    return lexicon


def lexicon_matches(query: str, language: str, lexicons: list[Lexicon]) -> list[tuple[str, float]]:
    """(Japanese text, weight) for every lexicon phrase the query contains."""
    key = phrase_key(query, language)
    return [found for lexicon in lexicons for found in lexicon.matches(key, language)]


@dataclass
class Readings:
    """What the index's vocabulary offers foreign queries, derived once per vocabulary."""

    short_kana: dict[str, list[str]]  # romaji: long vowels folded
    longest_kana: int
    names: Lexicon  # category and department names, as they were when the index last changed
    neighbours: dict[str, list[tuple[str, float]]] = field(default_factory=dict)
    hangul: dict[str, list[str]] = field(default_factory=dict)
    longest_hangul: int = 0
    english: dictionaries.Dictionary | None = None  # JMdict, cut to the indexed headwords
    chinese: dict[str, list[str]] | None = None  # CC-CEDICT through JMdict


class _Derived:
    lock = threading.Lock()
    vocabulary: Vocabulary | None = None
    readings: Readings | None = None


def readings_for(vocabulary: Vocabulary, *, language: str = "") -> Readings:
    """What the vocabulary offers queries in `language`, each language's part built on its first query."""
    with _Derived.lock:
        if _Derived.vocabulary is not vocabulary or _Derived.readings is None:
            short: dict[str, list[str]] = {}
            for reading, terms in vocabulary.by_reading.items():
                short.setdefault(short_reading(reading), []).extend(terms)
            _Derived.readings = Readings(short, max((len(k) for k in short), default=0), names_lexicon())
            _Derived.vocabulary = vocabulary
        readings = _Derived.readings
        if language == "ko" and not readings.hangul:
            readings.hangul = hangul_readings(vocabulary)
            readings.longest_hangul = max((len(k) for k in readings.hangul), default=0)
        if language in ("en", "zh-hans") and readings.english is None:
            readings.english = dictionaries.build_english(
                vocabulary.terms | _compounds(vocabulary), english_stems
            )
        if language == "zh-hans" and readings.chinese is None:
            readings.chinese = dictionaries.build_chinese(readings.english)
        return readings


def neighbours(
    vocabulary: Vocabulary, morpheme: Morpheme, count: int, minimum: float
) -> list[tuple[str, float]]:
    """vocabulary.neighbours(), remembered per word: translations repeat the glossary's few hundred words."""
    remembered = readings_for(vocabulary).neighbours
    found = remembered.get(morpheme.word)
    if found is None:
        if len(remembered) > MAX_NEIGHBOURS_KEPT:
            remembered.clear()
        found = remembered[morpheme.word] = vocabulary.neighbours(morpheme, count, minimum)
    return found


# --- Chinese -----------------------------------------------------------------------------


@lru_cache(maxsize=4)
def _converter(config: str):
    import opencc

    return opencc.OpenCC(config)


def to_japanese_kanji(text: str) -> str:
    """Simplified Chinese in Japanese kanji (垃圾 → 垃圾, 保险 → 保険, 证明 → 証明)."""
    return _converter("t2jp").convert(_converter("s2t").convert(text))


def chinese_words(query: str, vocabulary: Vocabulary) -> dict[str, float]:
    """The query's words, read as Japanese written in kanji, that the Q&As use."""
    words: dict[str, float] = {}
    for word in japanese_words(to_japanese_kanji(query)):
        if word in vocabulary.terms and word not in QUERY_STOP_WORDS and (len(word) > 1 or _is_kanji(word)):
            words[word] = KANJI_WEIGHT if len(word) > 1 else KANJI_WEIGHT / 2
    return words


def _is_kanji(text: str) -> bool:
    return all("\u4e00" <= char <= "\u9fff" for char in text)


# --- Korean ------------------------------------------------------------------------------

_HANGUL_BASE, _MEDIALS, _FINALS = 0xAC00, 21, 28
_INITIAL_RIEUL, _INITIAL_NIEUN, _INITIAL_IEUNG = 5, 2, 11
_I_LIKE_MEDIALS = {2, 6, 7, 12, 17, 20}  # ㅑ ㅕ ㅖ ㅛ ㅠ ㅣ


def initial_sound_variant(word: str) -> str:
    """The word as South Korean spelling writes it at the start (료금 → 요금, 녀성 → 여성)."""
    first = word[:1]
    if not first or not "\uac00" <= first <= "\ud7a3":
        return word
    code = ord(first) - _HANGUL_BASE
    initial, medial, final = code // (_MEDIALS * _FINALS), code // _FINALS % _MEDIALS, code % _FINALS
    if initial == _INITIAL_RIEUL:
        initial = _INITIAL_IEUNG if medial in _I_LIKE_MEDIALS else _INITIAL_NIEUN
    elif initial == _INITIAL_NIEUN and medial in _I_LIKE_MEDIALS:
        initial = _INITIAL_IEUNG
    else:
        return word
    return chr(_HANGUL_BASE + (initial * _MEDIALS + medial) * _FINALS + final) + word[1:]


def hangul_readings(vocabulary: Vocabulary) -> dict[str, list[str]]:
    """Hangul reading → the indexed words written wholly in kanji that read so (주민표 → 住民票)."""
    found: dict[str, list[str]] = {}
    kanji_terms = sorted(term for term in vocabulary.terms | _compounds(vocabulary) if len(term) > 1)
    for term in kanji_terms:
        for spelling in _hangul_spellings(term):
            found.setdefault(spelling, []).append(term)
    return found


@lru_cache(maxsize=200_000)
def _hangul_spellings(term: str) -> frozenset[str]:
    """How a word written wholly in kanji reads in hangul; remembered, as the index changes little."""
    import hanja

    if not _is_kanji(term):
        return frozenset()
    reading = hanja.translate(_converter("jp2t").convert(term), "substitution")
    if not re.fullmatch(r"[\uac00-\ud7a3]+", reading):
        return frozenset()
    return frozenset({reading, initial_sound_variant(reading)})


def _compounds(vocabulary: Vocabulary) -> set[str]:
    return {term for terms in vocabulary.by_reading.values() for term in terms}


def korean_words(query: str, readings: Readings) -> dict[str, float]:
    """Sino-Korean words of the query found as indexed kanji words, longest first."""
    words: dict[str, float] = {}
    for chunk in fold(query).split():
        chunk = KOREAN_ENDINGS.sub("", chunk)
        position = 0
        while position < len(chunk):
            for size in range(
                min(readings.longest_hangul, len(chunk) - position), MIN_HANGUL_READING - 1, -1
            ):
                terms = readings.hangul.get(chunk[position : position + size])
                if terms:
                    for term in terms[:MAX_HOMOPHONES]:
                        words.setdefault(term, HANJA_WEIGHT / (1 if len(terms) == 1 else 2))
                    position += size
                    break
            else:
                position += 1
    return words


# --- English -----------------------------------------------------------------------------


def romaji_words(query: str, readings: Readings) -> dict[str, float]:
    """Japanese words typed in romaji (juminhyo → 住民票), when a word reads wholly as indexed nouns."""
    words: dict[str, float] = {}
    for token in re.findall(r"[A-Za-zāīūēō'-]+", unicodedata.normalize("NFC", query)):
        if len(token) < MIN_ROMAJI_LETTERS:
            continue
        kana = to_hiragana(token)
        if not kana:
            continue
        pieces = _cover(short_reading(kana), readings.short_kana, readings.longest_kana)
        for piece in pieces or ():
            for term in readings.short_kana[piece][:1]:
                words[term] = ROMAJI_WEIGHT
    return words


def _cover(kana: str, known: dict[str, list[str]], longest: int) -> list[str] | None:
    """The fewest known readings that spell the kana exactly, or None."""
    size = len(kana)
    best: list[tuple[int, int] | None] = [(0, 0)] + [None] * size
    for end in range(1, size + 1):
        for start in range(max(0, end - longest), end - 1):
            if best[start] is not None and kana[start:end] in known:
                count = best[start][0] + 1
                if best[end] is None or count < best[end][0]:
                    best[end] = (count, start)
    if best[size] is None:
        return None
    pieces = []
    end = size
    while end > 0:
        start = best[end][1]
        pieces.insert(0, kana[start:end])
        end = start
    return pieces


def respell_slips(query: str, lexicons: list[Lexicon]) -> str:
    """The query with each long English word the lexicons do not know replaced by the lexicon
    word it is nearly spelt as (garbge → garbage, calender → calendar)."""
    known = sorted({word for lexicon in lexicons for word in lexicon.english_words()})
    words = []
    for word in query.split():
        bare = word.strip(".,!?;:\"'()").lower()
        if len(bare) >= MIN_SLIP_LETTERS and bare.isalpha() and bare not in known:
            close = difflib.get_close_matches(bare, known, n=1, cutoff=SLIP_SIMILARITY)
            word = close[0] if close else word
        words.append(word)
    return " ".join(words)


# --- The general dictionaries ------------------------------------------------------------


def dictionary_matches(query: str, language: str, readings: Readings) -> list[tuple[str, float]]:
    """(Japanese headword, weight) from JMdict or CC-CEDICT: below the glossary's words, which
    also keep their own weight where both translate a word (Translation.add keeps the higher)."""
    if language == "en" and readings.english is not None:
        key = phrase_key(query, language)
        return [(word, JMDICT_WEIGHT) for word in readings.english.matches(key, english_function_stems())]
    if language == "zh-hans" and readings.chinese is not None:
        return [(word, CEDICT_WEIGHT) for word in dictionaries.chinese_matches(query, readings.chinese)]
    return []


# --- The translation ---------------------------------------------------------------------


@dataclass
class Translation:
    """The Japanese index words a foreign query stands for, each with its weight."""

    words: dict[str, float] = field(default_factory=dict)

    def add(self, word: str, weight: float) -> None:
        if word not in QUERY_STOP_WORDS and weight > self.words.get(word, 0.0):
            self.words[word] = weight


def translate_query(query: str, language: str, vocabulary: Vocabulary) -> Translation:
    """The query's words in Japanese, only those the Q&As use."""
    translation = Translation()
    if language not in LANGUAGES:
        return translation
    readings = readings_for(vocabulary, language=language)
    lexicons = [glossary(), readings.names]
    if language == "en":
        query = respell_slips(query, lexicons)
    for japanese, weight in lexicon_matches(query, language, lexicons):
        for word in japanese_words(japanese):
            if word in vocabulary.terms:
                translation.add(word, weight)
    for headword, weight in dictionary_matches(query, language, readings):
        for word in japanese_words(headword):
            if word in vocabulary.terms:
                translation.add(word, weight)
    # Japanese names typed in Latin letters, whatever the reader's language (kokuho 怎么交).
    extra = romaji_words(query, readings)
    if language == "zh-hans":
        extra.update(chinese_words(query, vocabulary))
    elif language == "ko":
        extra.update(korean_words(query, readings))
    for word, weight in extra.items():
        for part in japanese_words(word) if len(word) > 1 else [word]:
            if part in vocabulary.terms:
                translation.add(part, weight)
    return translation
