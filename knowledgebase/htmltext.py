"""HTML answers, as FAQ systems and city web pages export them, turned into our plain text.

Answers are stored as plain text with light formatting (see rendering.py): blank lines
between paragraphs, "- " list items, "|" table rows and [label](URL) links. An export from
a FAQ system or a copied web page often holds HTML instead (<p>, <br>, <ul><li>, <a href>,
&nbsp;), which would otherwise be shown to citizens tag by tag and indexed as words. The
import converts such a text to the same structure, so a city can import its FAQ as it is.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

# A text is taken for HTML only when it holds one of these tags: "<100万円" or "a<b" is text.
HTML_TAG = re.compile(
    r"<\s*/?\s*(?:p|br|div|span|ul|ol|li|a|strong|b|em|i|u|font|table|thead|tbody|tr|th|td|"
    r"h[1-6]|img|hr|section|article|blockquote|dl|dt|dd|small|sup|sub)\b[^<>]*>",
    re.IGNORECASE,
)
_BLOCKS = {
    "p", "div", "section", "article", "blockquote", "table", "ul", "ol", "dl",
    "h1", "h2", "h3", "h4", "h5", "h6", "hr",
}  # fmt: skip
_SKIPPED = {"script", "style", "head", "title", "noscript"}
_SPACES = re.compile(r"[ \t\r\n\f\v\xa0]+")  # &nbsp; too; a full-width space is text


def looks_like_html(text: str) -> bool:
    return bool(HTML_TAG.search(text))


class _PlainText(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.lines: list[str] = []  # finished lines; "" is a paragraph break
        self.line: list[str] = []
        self.prefix = ""  # "- " before a list item's text
        self.items = 0  # depth of list items open
        self.cells: list[str] | None = None  # the cells of the table row open
        self.header = False  # the row open has a <th>
        self.rows = 0  # rows of the table open
        self.link: tuple[str, list[str]] | None = None  # (href, label parts)
        self.skipping = 0

    # --- structure ---------------------------------------------------------------------
    def _end_line(self) -> None:
        text = _SPACES.sub(" ", "".join(self.line)).strip()
        self.line = []
        if text:
            self.lines.append(self.prefix + text)
            self.prefix = ""

    def _paragraph(self) -> None:
        self._end_line()
        if not self.items and self.lines and self.lines[-1] != "":
            self.lines.append("")

    def _write(self, text: str) -> None:
        if self.link is not None:
            self.link[1].append(text)
        elif self.cells is not None:
            self.cells[-1] += text
        else:
            self.line.append(text)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _SKIPPED:
            self.skipping += 1
        elif tag == "br":
            if self.cells is not None or self.items:
                self._write(" ")  # a list item or a cell stays one line
            else:
                self._end_line()
        elif tag == "li":
            self._end_line()
            self.items += 1
            self.prefix = "- "
        elif tag in ("dt", "dd"):
            self._end_line()
        elif tag == "table":
            self._paragraph()
            self.rows = 0
        elif tag == "tr":
            self._end_line()
            self.cells, self.header = [], False
        elif tag in ("td", "th") and self.cells is not None:
            self.cells.append("")
            self.header = self.header or tag == "th"
        elif tag == "a":
            if self.link is not None:  # an <a> left open: it ends where the next begins
                self.handle_endtag("a")
            href = dict(attrs).get("href") or ""
            self.link = (href.strip(), [])
        elif tag == "img":
            alt = (dict(attrs).get("alt") or "").strip()
            if alt:
                self._write(alt)
        elif tag in _BLOCKS:
            self._paragraph()

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag not in ("br", "img", "hr"):
            self.handle_endtag(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIPPED:
            self.skipping = max(self.skipping - 1, 0)
        elif tag == "a" and self.link is not None:
            href, parts = self.link
            self.link = None
            label = _SPACES.sub(" ", "".join(parts)).strip()
            if href.startswith(("http://", "https://")) and label and label != href:
                self._write(f"[{label.replace('[', '(').replace(']', ')')}]({href})")
            else:
                self._write(label or (href if href.startswith(("http://", "https://")) else ""))
        elif tag == "tr" and self.cells is not None:
            cells = [_SPACES.sub(" ", cell).strip().replace("|", "｜") for cell in self.cells]
            self.cells = None
            if any(cells):
                self.lines.append("| " + " | ".join(cells) + " |")
                if self.header and self.rows == 0:  # a first row of <th> is the table's header
                    self.lines.append("|" + "---|" * len(cells))
                self.rows += 1
        elif tag == "li":
            self._end_line()
            self.items = max(self.items - 1, 0)
            self.prefix = ""
        elif tag in ("dt", "dd"):
            self._end_line()
        elif tag in _BLOCKS:
            self._paragraph()

    def handle_data(self, data: str) -> None:
        if not self.skipping:
            self._write(_SPACES.sub(" ", data))  # whitespace in HTML is layout, not text

    def text(self) -> str:
        self._end_line()
        return re.sub(r"\n{3,}", "\n\n", "\n".join(line.rstrip() for line in self.lines)).strip()


def html_to_text(html: str) -> str:
    """HTML as our plain text: paragraphs, "- " list items, "|" table rows, [label](URL)."""
    parser = _PlainText()
    parser.feed(html)
    parser.close()
    return parser.text()
