"""Answers are plain text with light formatting; render them to HTML that can carry no script.

The formatting: blank lines separate paragraphs; lines starting with "- " make a list;
lines starting with "|" make a table (a "|---|" line under the first row makes it the
header); "[label](https://…)" and bare http(s) URLs make links. Every character of the
text is escaped here, and the result also goes through nh3 (the ammonia sanitiser) with
an allowlist of the tags produced, so no script, style or event handler ever reaches a
page, whoever typed the answer.
"""

from __future__ import annotations

import re

import nh3
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

URL = re.compile(r"\[([^\]\n]{1,200})\]\((https?://[^\s()<>]+)\)|https?://[^\s<>\"'）)」]+")
BULLET = re.compile(r"^\s*[-・•]\s+")
TABLE_SEPARATOR = re.compile(r"^\|?\s*:?-{3,}:?\s*(\|\s*:?-{3,}:?\s*)*\|?$")
ALLOWED_TAGS = {"p", "br", "ul", "li", "a", "table", "thead", "tbody", "tr", "th", "td"}
ALLOWED_ATTRIBUTES = {"a": {"href"}, "th": {"scope"}}


def _inline(line: str) -> str:
    parts, cursor = [], 0
    for match in URL.finditer(line):
        parts.append(escape(line[cursor : match.start()]))
        label, url = (match.group(1), match.group(2)) if match.group(1) else (match.group(), match.group())
        parts.append(f'<a href="{escape(url)}">{escape(label)}</a>')
        cursor = match.end()
    parts.append(escape(line[cursor:]))
    return "".join(parts)


def _cells(line: str) -> list[str]:
    return [cell.strip() for cell in line.strip().strip("|").split("|")]


def _table(lines: list[str]) -> str:
    rows = [line for line in lines if not TABLE_SEPARATOR.match(line.strip())]
    has_header = len(lines) > 1 and TABLE_SEPARATOR.match(lines[1].strip()) is not None
    html = ["<table>"]
    if has_header:
        html.append(
            "<thead><tr>"
            + "".join(f'<th scope="col">{_inline(c)}</th>' for c in _cells(rows[0]))
            + "</tr></thead>"
        )
        rows = rows[1:]
    html.append("<tbody>")
    for row in rows:
        html.append("<tr>" + "".join(f"<td>{_inline(c)}</td>" for c in _cells(row)) + "</tr>")
    html.append("</tbody></table>")
    return "".join(html)


def _block(lines: list[str]) -> list[str]:
    if all(line.lstrip().startswith("|") for line in lines):
        return [_table(lines)]
    html: list[str] = []
    paragraph: list[str] = []
    items: list[str] = []
    for line in lines:
        if BULLET.match(line):
            if paragraph:
                html.append("<p>" + "<br>".join(paragraph) + "</p>")
                paragraph = []
            items.append("<li>" + _inline(BULLET.sub("", line, count=1)) + "</li>")
        else:
            if items:
                html.append("<ul>" + "".join(items) + "</ul>")
                items = []
            paragraph.append(_inline(line.strip()))
    if paragraph:
        html.append("<p>" + "<br>".join(paragraph) + "</p>")
    if items:
        html.append("<ul>" + "".join(items) + "</ul>")
    return html


def render_answer(text: str) -> SafeString:
    """The answer as safe HTML (see the module docstring for the formatting)."""
    blocks = re.split(r"\n\s*\n", text.replace("\r\n", "\n").strip())
    html = []
    for block in blocks:
        lines = [line for line in block.split("\n") if line.strip()]
        if lines:
            html.extend(_block(lines))
    cleaned = nh3.clean(
        "\n".join(html),
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https"},
        link_rel="noopener noreferrer",
    )
    return mark_safe(cleaned)  # noqa: S308 (escaped text in our own tags, then sanitised by nh3)
