"""Answers are plain text with light formatting; render them to HTML that can carry no script."""

import re

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

URL = re.compile(r"https?://[^\s<>\"'）)」]+")
BULLET = re.compile(r"^\s*[-・•]\s+")


def _inline(line: str) -> str:
    parts, cursor = [], 0
    for match in URL.finditer(line):
        parts.append(escape(line[cursor : match.start()]))
        url = escape(match.group())
        parts.append(f'<a href="{url}">{url}</a>')
        cursor = match.end()
    parts.append(escape(line[cursor:]))
    return "".join(parts)


def render_answer(text: str) -> SafeString:
    """Blank lines make paragraphs, "- " lines make lists, bare http(s) URLs become links.

    Every character of the text is escaped; only the tags written here are produced.
    """
    blocks = re.split(r"\n\s*\n", text.replace("\r\n", "\n").strip())
    html = []
    for block in blocks:
        lines = [line for line in block.split("\n") if line.strip()]
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
    return mark_safe("\n".join(html))  # noqa: S308 (built from escaped text only)
