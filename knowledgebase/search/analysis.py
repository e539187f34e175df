"""Text analysis for Japanese, English, Chinese and Korean Q&As.

Whoosh pickles analyzer objects into the index schema, so the classes here must stay
importable at this path. The Sudachi tokenizer itself is not picklable; it is created
once per process on first use.
"""

from __future__ import annotations

import re
import threading
import unicodedata
from collections.abc import Iterator
from functools import lru_cache
from typing import NamedTuple

from whoosh.analysis import (
    LowercaseFilter,
    NgramTokenizer,
    StemmingAnalyzer,
    Token,
    Tokenizer,
)

# Old and variant kanji folded to the common form citizens type (髙→高, 﨑→崎 …).
VARIANT_KANJI = str.maketrans(
    {
        "髙": "高",
        "﨑": "崎",
        "嵜": "崎",
        "德": "徳",
        "邉": "辺",
        "邊": "辺",
        "齋": "斎",
        "齊": "斉",
        "斎": "斎",
        "濵": "浜",
        "濱": "浜",
        "槇": "槙",
        "櫻": "桜",
        "國": "国",
        "來": "来",
        "澤": "沢",
        "廣": "広",
        "實": "実",
        "壽": "寿",
        "龍": "竜",
        "塚": "塚",
        "舘": "館",
        "冨": "富",
        "圓": "円",
        "縣": "県",
        "區": "区",
        "證": "証",
        "號": "号",
        "與": "与",
    }
)
KATAKANA_TO_HIRAGANA = {code: code - 0x60 for code in range(ord("ァ"), ord("ヶ") + 1)}
CONTROL_CHARACTERS = re.compile(r"[\x00-\x1f\x7f-\x9f\u200b-\u200f\u2028-\u202e\ufeff]")

# Parts of speech that carry no topic: particles, auxiliaries, symbols, blanks.
DROPPED_POS = {"助詞", "助動詞", "補助記号", "記号", "空白"}
# Words that carry the asking, not the topic (normalised, hiragana-folded forms).
QUERY_STOP_WORDS = {
    "ため",
    "ない",
    "いる",
    "ある",
    "なる",
    "する",
    "できる",
    "れる",
    "られる",
    "おる",
    "いう",
    "こと",
    "もの",
    "ところ",
    "とき",
    "よう",
    "どう",
    "どうやる",
    "どの",
    # Sudachi's one word for どのような, once respelling no longer reads it as どの + 用 + な.
    "どのような",
    "このような",
    "そのような",
    "どれ",
    "どんな",
    "何",
    "なに",
    "なん",
    "いつ",
    "どこ",
    "だれ",
    "誰",
    "どちら",
    "いくら",
    "いかが",
    "ほしい",
    "欲しい",
    "たい",
    "ください",
    "下さる",
    "くださる",
    "いただく",
    "頂く",
    "貰う",
    "もらう",
    "教える",
    "知る",
    "分かる",
    "わかる",
    "聞く",
    "方法",
    "仕方",
    "やり方",
    "について",
    "関する",
    "件",
    "良い",
    "いい",
    "よい",
    "いける",
    "可能",
    "必要",
    "場合",
    "大丈夫",
    "すぐ",
    "ちょっと",
    "少し",
    "今",
    "自分",
    "私",
    "わたし",
    "僕",
    "うち",
    "方",
    "おす",
    "思う",
    "考える",
    "困る",
    "願う",
    "お願い",
    "あの",
    "その",
    "この",
    "これ",
    "それ",
    "あれ",
    "です",
    "ます",
    "やる",
    "行く",
    "来る",
    "みる",
    "見る",
    "為る",
    "居る",
    "成る",
    "有る",
    "出来る",
    "遣る",
    "言う",
    "事",
    "物",
    "所",
    "時",
    "様",
    "為",
    "如何",
    "何処",
    "何時",
    # Polite asking (Sudachi's normalised forms): についてお尋ねしたいと存じます, お伺いいたします,
    # ご教示いただけますか, いくら, 教えてくれる. They are rare in Q&As, so they would count as
    # the rarest words of the query.
    "つく",
    "御",
    "尋ねる",
    "存ずる",
    "伺う",
    "致す",
    "教示",
    "願い",
    "幾ら",
    "呉れる",
    "くれる",
}
# Function words kept out of documents too (they match everything).
DOCUMENT_STOP_WORDS = {
    "する",
    "ある",
    "いる",
    "なる",
    "れる",
    "られる",
    "こと",
    "もの",
    "よう",
    "ため",
    "です",
    "ます",
    "為る",
    "有る",
    "居る",
    "成る",
    "事",
    "物",
    "様",
    "為",
}


def fold(text: str) -> str:
    """NFKC (full/half width), case, variant kanji, katakana→hiragana, long vowels, iteration marks."""
    text = CONTROL_CHARACTERS.sub(" ", unicodedata.normalize("NFKC", text)).lower()
    text = text.translate(VARIANT_KANJI)
    text = re.sub(r"(.)々", r"\1\1", text)
    return text


def kana_fold(word: str) -> str:
    """Fold a single (normalised) word: katakana→hiragana and drop a trailing long-vowel mark."""
    word = word.translate(KATAKANA_TO_HIRAGANA)
    return word.rstrip("ー") or word


class _Sudachi(threading.local):
    tokenizer = None
    split_mode = None


_sudachi = _Sudachi()


def sudachi_tokenizer():
    if _sudachi.tokenizer is None:
        from sudachipy import dictionary, tokenizer

        # Longest units (mode C), each split into its shortest words (mode A) for the index;
        # synonym groups belong to dictionary entries of any length, so both are read.
        _sudachi.tokenizer = dictionary.Dictionary(dict="core").create(tokenizer.Tokenizer.SplitMode.C)
        _sudachi.split_mode = tokenizer.Tokenizer.SplitMode.A
    return _sudachi.tokenizer


def shortest_units(text: str):
    """Sudachi's shortest words (split mode A) of a line, with their offsets."""
    tokenizer = sudachi_tokenizer()
    for unit in tokenizer.tokenize(text):
        yield from list(unit.split(_sudachi.split_mode)) or [unit]


# Sudachi's dictionary refuses inputs over ~49,000 bytes; documents are cut into chunks.
_CHUNK = 4000


class Morpheme(NamedTuple):
    """One content word: the index term and what query expansion needs to know of it."""

    word: str  # Sudachi normalised form, kana-folded: the index term
    form: str  # Sudachi normalised form as written (how word vectors know it)
    reading: str  # reading in hiragana
    groups: tuple[int, ...]  # Sudachi synonym group ids
    compound: str = ""  # on a compound's first word: the whole compound (保育園 on 保育)


@lru_cache(maxsize=20000)
def _analyse_chunk(chunk: str) -> tuple[Morpheme, ...]:
    morphemes = []
    for unit in sudachi_tokenizer().tokenize(chunk):
        if unit.part_of_speech()[0] in DROPPED_POS:
            continue
        unit_groups = tuple(unit.synonym_group_ids())
        pieces = list(unit.split(_sudachi.split_mode)) or [unit]
        compound = kana_fold(unit.normalized_form()) if len(pieces) > 1 else ""
        for morpheme in pieces:
            if morpheme.part_of_speech()[0] in DROPPED_POS:
                continue
            form = morpheme.normalized_form()
            word = kana_fold(form)
            if not word.strip():
                continue
            groups = tuple(morpheme.synonym_group_ids()) if len(pieces) > 1 else ()
            reading = kana_fold(morpheme.reading_form())
            morphemes.append(Morpheme(word, form, reading, unit_groups + groups, compound))
            unit_groups, compound = (), ""  # the whole unit goes with its first word only
    return tuple(morphemes)


def japanese_morphemes(text: str) -> list[Morpheme]:
    """The content words of Japanese text, in order."""
    morphemes: list[Morpheme] = []
    # Line by line: a line analysed for one field is cached for the next (ja_groups).
    for line in fold(text).splitlines():
        for start in range(0, len(line), _CHUNK):
            morphemes.extend(_analyse_chunk(line[start : start + _CHUNK]))
    return morphemes


def japanese_words(text: str) -> list[str]:
    """The normalised content words of Japanese text, in order."""
    return [morpheme.word for morpheme in japanese_morphemes(text)]


class JapaneseTokenizer(Tokenizer):
    """Sudachi normalised forms (split mode A), function words dropped, kana folded."""

    def __init__(self, stop_words: frozenset[str] = frozenset(DOCUMENT_STOP_WORDS)) -> None:
        self.stop_words = stop_words

    def __eq__(self, other: object) -> bool:
        return type(other) is type(self) and other.stop_words == self.stop_words

    def __hash__(self) -> int:
        return hash((type(self).__name__, self.stop_words))

    def terms(self, morpheme: Morpheme) -> tuple[str, ...]:
        """What this field indexes for one content word."""
        return (morpheme.word,)

    def __call__(
        self,
        value: str,
        positions: bool = False,
        chars: bool = False,
        keeporiginal: bool = False,
        removestops: bool = True,
        start_pos: int = 0,
        start_char: int = 0,
        mode: str = "",
        **kwargs: object,
    ) -> Iterator[Token]:
        token = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        position = start_pos
        for morpheme in japanese_morphemes(value):
            if morpheme.word in self.stop_words:
                continue
            for text in self.terms(morpheme):
                token.text = text
                token.boost = 1.0
                token.stopped = False
                if positions:
                    token.pos = position
                position += 1
                yield token


def japanese_analyzer() -> JapaneseTokenizer:
    return JapaneseTokenizer()


def group_token(group_id: int) -> str:
    return f"g{group_id}"


class SynonymGroupTokenizer(JapaneseTokenizer):
    """The Sudachi synonym-group ids of the content words (g123), so 保育所 meets 保育園."""

    def terms(self, morpheme: Morpheme) -> tuple[str, ...]:
        return tuple(group_token(group_id) for group_id in morpheme.groups)


def synonym_group_analyzer() -> SynonymGroupTokenizer:
    return SynonymGroupTokenizer()


class CompoundTokenizer(JapaneseTokenizer):
    """The compounds of the text as whole words (住民票, 保育園): they teach hiragana respelling."""

    def terms(self, morpheme: Morpheme) -> tuple[str, ...]:
        return (morpheme.compound,) if morpheme.compound else ()


def compound_analyzer() -> CompoundTokenizer:
    return CompoundTokenizer()


def english_analyzer():
    return StemmingAnalyzer()


class FoldingNgramTokenizer(NgramTokenizer):
    """Character bigrams of folded text, one run per whitespace-separated chunk."""

    def __init__(self) -> None:
        super().__init__(minsize=2, maxsize=2)

    def __call__(self, value: str, **kwargs: object) -> Iterator[Token]:  # type: ignore[override]
        for run in fold(value).split():
            yield from super().__call__(run, **kwargs)


def cjk_analyzer():
    return FoldingNgramTokenizer() | LowercaseFilter()


def words_for(text: str, language: str) -> list[str]:
    """The index terms the field for `language` would hold for `text` (used for queries)."""
    if language == "ja":
        return japanese_words(text)
    if language == "en":
        return [token.text for token in english_analyzer()(text)]
    return [token.text for token in cjk_analyzer()(text)]
