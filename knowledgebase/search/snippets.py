"""Highlighted snippets of our own (haystack's highlighter finds nothing in Japanese)."""

from __future__ import annotations

from functools import lru_cache

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from knowledgebase.search.analysis import fold, kana_fold

WIDTH = 120


@lru_cache(maxsize=8192)
def _words_of_line(line: str) -> tuple[tuple[int, int, str], ...]:
    """(start, end, index term) of each word of a line; answers repeat across searches."""
    from knowledgebase.search.analysis import shortest_units

    return tuple(
        (morpheme.begin(), morpheme.end(), kana_fold(fold(morpheme.normalized_form())))
        for morpheme in shortest_units(line)
    )


def _japanese_spans(text: str, terms: set[str]) -> list[tuple[int, int]]:
    spans = []
    for line_start, line in _lines(text):
        for start, end, word in _words_of_line(line):
            if word in terms:
                spans.append((line_start + start, line_start + end))
    return spans


def _lines(text: str) -> list[tuple[int, str]]:
    lines, start = [], 0
    for line in text.splitlines(keepends=True):
        lines.append((start, line[:4000]))
        start += len(line)
    return lines


def _plain_spans(text: str, terms: set[str]) -> list[tuple[int, int]]:
    lowered = text.lower()
    spans = []
    for term in terms:
        start = lowered.find(term)
        while start != -1 and len(spans) < 50:
            spans.append((start, start + len(term)))
            start = lowered.find(term, start + len(term))
    return spans


def snippet_for(text: str, terms: list[str], language: str) -> SafeString:
    """About WIDTH characters of `text` around the densest matches, matches in <mark>, all escaped."""
    wanted = set(terms)
    spans = sorted(_japanese_spans(text, wanted) if language == "ja" else _plain_spans(text, wanted))
    if not spans:
        cut = text[:WIDTH]
        return mark_safe(escape(" ".join(cut.split())) + ("…" if len(text) > WIDTH else ""))  # noqa: S308
    # The window that starts at a match and covers the most matches.
    best_start, best_count = spans[0][0], 0
    for start, _ in spans:
        count = sum(1 for s, e in spans if s >= start and e <= start + WIDTH)
        if count > best_count:
            best_start, best_count = start, count
    window_start = max(0, best_start - 20)
    window_end = min(len(text), window_start + WIDTH)
    parts, cursor = [], window_start
    for start, end in spans:
        if start < cursor or end > window_end:
            continue
        parts.append(escape(text[cursor:start]))
        parts.append(f"<mark>{escape(text[start:end])}</mark>")
        cursor = end
    parts.append(escape(text[cursor:window_end]))
    body = " ".join("".join(parts).split())
    prefix = "…" if window_start > 0 else ""
    suffix = "…" if window_end < len(text) else ""
    return mark_safe(prefix + body + suffix)  # noqa: S308 (every piece of text was escaped above)
