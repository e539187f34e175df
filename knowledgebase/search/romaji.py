"""Hepburn romaji (juminhyo, sodai gomi, kokuho) spelled in hiragana.

Foreign residents type the Japanese names of procedures in Latin letters, usually
without the long vowels (juminhyo for じゅうみんひょう); `to_hiragana` returns None for a
word that is not romaji (garbage, tax), so English words pass through untouched.
"""

from __future__ import annotations

import re

_SYLLABLES = {
    "a": "あ", "i": "い", "u": "う", "e": "え", "o": "お",
    "ka": "か", "ki": "き", "ku": "く", "ke": "け", "ko": "こ",
    "sa": "さ", "shi": "し", "si": "し", "su": "す", "se": "せ", "so": "そ",
    "ta": "た", "chi": "ち", "ti": "ち", "tsu": "つ", "tu": "つ", "te": "て", "to": "と",
    "na": "な", "ni": "に", "nu": "ぬ", "ne": "ね", "no": "の",
    "ha": "は", "hi": "ひ", "fu": "ふ", "hu": "ふ", "he": "へ", "ho": "ほ",
    "ma": "ま", "mi": "み", "mu": "む", "me": "め", "mo": "も",
    "ya": "や", "yu": "ゆ", "yo": "よ",
    "ra": "ら", "ri": "り", "ru": "る", "re": "れ", "ro": "ろ",
    "wa": "わ", "wo": "を",
    "ga": "が", "gi": "ぎ", "gu": "ぐ", "ge": "げ", "go": "ご",
    "za": "ざ", "ji": "じ", "zi": "じ", "zu": "ず", "ze": "ぜ", "zo": "ぞ",
    "da": "だ", "di": "ぢ", "du": "づ", "de": "で", "do": "ど",
    "ba": "ば", "bi": "び", "bu": "ぶ", "be": "べ", "bo": "ぼ",
    "pa": "ぱ", "pi": "ぴ", "pu": "ぷ", "pe": "ぺ", "po": "ぽ",
    "kya": "きゃ", "kyu": "きゅ", "kyo": "きょ",
    "sha": "しゃ", "shu": "しゅ", "sho": "しょ", "sya": "しゃ", "syu": "しゅ", "syo": "しょ",
    "cha": "ちゃ", "chu": "ちゅ", "cho": "ちょ", "tya": "ちゃ", "tyu": "ちゅ", "tyo": "ちょ",
    "nya": "にゃ", "nyu": "にゅ", "nyo": "にょ",
    "hya": "ひゃ", "hyu": "ひゅ", "hyo": "ひょ",
    "mya": "みゃ", "myu": "みゅ", "myo": "みょ",
    "rya": "りゃ", "ryu": "りゅ", "ryo": "りょ",
    "gya": "ぎゃ", "gyu": "ぎゅ", "gyo": "ぎょ",
    "ja": "じゃ", "ju": "じゅ", "jo": "じょ", "jya": "じゃ", "jyu": "じゅ", "jyo": "じょ",
    "bya": "びゃ", "byu": "びゅ", "byo": "びょ",
    "pya": "ぴゃ", "pyu": "ぴゅ", "pyo": "ぴょ",
}  # fmt: skip
_LONGEST = max(len(key) for key in _SYLLABLES)
_VOWELS = "aiueo"
# The vowel row of each kana a long vowel can follow (for folding おう, うう to お, う).
_O_ROW = set("おこそとのほもよろをごぞどぼぽょ")
_U_ROW = set("うくすつぬふむゆるぐずづぶぷゅ")


def to_hiragana(word: str) -> str | None:
    """The hiragana of a romaji word, or None when it is not one (an English word)."""
    word = word.lower().replace("'", "").replace("-", "")
    if not re.fullmatch(r"[a-zāīūēō]+", word):
        return None
    word = word.translate(str.maketrans({"ā": "aa", "ī": "ii", "ū": "uu", "ē": "ee", "ō": "ou"}))
    kana = []
    position = 0
    while position < len(word):
        letter = word[position]
        following = word[position + 1 : position + 2]
        if letter == "n" and (not following or following not in _VOWELS + "y"):
            kana.append("ん")  # n before a consonant or at the end
            position += 1
            continue
        if letter == following and letter not in _VOWELS + "n":
            kana.append("っ")  # a doubled consonant (sesshu, kitte)
            position += 1
            continue
        if letter == "t" and word[position + 1 : position + 3] == "ch":
            kana.append("っ")
            position += 1
            continue
        for size in range(_LONGEST, 0, -1):
            found = _SYLLABLES.get(word[position : position + size])
            if found:
                kana.append(found)
                position += size
                break
        else:
            return None
    return "".join(kana)


def short_reading(kana: str) -> str:
    """A reading with its long vowels folded (じゅうみんひょう → じゅみんひょ), as romaji drops them."""
    folded = []
    for char in kana:
        previous = folded[-1] if folded else ""
        if (char == "う" and previous in _O_ROW | _U_ROW) or (char == "お" and previous in _O_ROW):
            continue
        if char == "ー":
            continue
        folded.append(char)
    return "".join(folded)
