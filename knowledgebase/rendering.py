"""Answers are plain text with light formatting; render them to HTML that can carry no script.

The formatting: blank lines separate paragraphs; lines starting with "- " make a list;
lines starting with "|" make a table (a "|---|" line under the first row makes it the
header); "[label](https://…)" and bare http(s) URLs make links; phone numbers make tel:
links, so a citizen on a phone can call with one tap. Every character of the text is
escaped here, and the result also goes through nh3 (the ammonia sanitiser) with an
allowlist of the tags and URL schemes produced, so no script, style or event handler ever
reaches a page, whoever typed the answer.
"""

from __future__ import annotations

import re

import nh3
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

LABELLED_LINK = re.compile(r"\[([^\]\n]{1,200})\]\((https?://[^\s()<>]+)\)")
# A bare URL is ASCII (RFC 3986 characters, quotes and brackets [] aside): Japanese text puts
# 「」、。（ or a full-width space straight after an address, and none of them is part of it.
# An address with Japanese letters must be written percent-encoded or as [label](URL).
BARE_URL = re.compile(r"https?://[A-Za-z0-9][A-Za-z0-9\-._~:/?#@!$&()*+,;=%]*")
# Punctuation that ends a sentence, not an address ("see https://…/a.html." or "…/a.html),").
URL_TRAILING_PUNCTUATION = ".,:;!?*"
BULLET = re.compile(r"^\s*[-・•]\s+")
TABLE_SEPARATOR = re.compile(r"^\|?\s*:?-{3,}:?\s*(\|\s*:?-{3,}:?\s*)*\|?$")
ALLOWED_TAGS = {"p", "br", "ul", "li", "a", "table", "thead", "tbody", "tr", "th", "td"}
ALLOWED_ATTRIBUTES = {"a": {"href"}, "th": {"scope"}}
ALLOWED_URL_SCHEMES = {"http", "https", "tel"}

# Phone numbers. Only whole Japanese numbers with their area code (10 or 11 digits from the
# leading 0, or +81 and 9 or 10 digits): a number without its area code cannot be dialled
# from a mobile phone, and short numbers such as #8000 or 189 are left as written.
# Width, dashes and brackets are folded one character for one, so positions stay the same.
_PHONE_FOLD = str.maketrans(
    {
        **{chr(0xFF10 + d): str(d) for d in range(10)},
        **dict.fromkeys("－‐‑‒–—―−ー", "-"),
        "（": "(",
        "）": ")",
        "＋": "+",
    }
)
PHONE_NUMBER = re.compile(
    r"(?<![0-9+〒])(?<![0-9]-)"
    r"(?:"
    r"\(0\d{1,4}\)-?\d{1,4}-\d{3,4}"  # (011)123-4567
    r"|0\d{1,4}\(\d{1,4}\)\d{3,4}"  # 011(211)2111
    r"|0\d{1,4}-\d{1,4}-\d{3,4}"  # 011-000-2101, 0120-123-456
    r"|\+81-?\d{1,4}-\d{1,4}-\d{3,4}"  # +81-11-000-2101
    r"|(?P<bare>0\d{9,10})"  # 0110002101: a phone number only where the text says so
    r")"
    r"(?![0-9]|-\d|\(\d)"
)
# What the text says a number is. The last one said in the same sentence decides, so in
# "電話 011-000-2101、FAX 011-000-2102" only the first number is a phone number.
PHONE_CUE = re.compile(
    r"電話番号|電話|でんわ|ＴＥＬ|☎|℡|📞|电话|전화|(?<![A-Za-z])(?:TEL|Tel|tel|Phone|phone)(?![A-Za-z])"
)
FAX_CUE = re.compile(
    r"ファクシミリ|ファクス|ファックス|ＦＡＸ|传真|팩스|(?<![A-Za-z])(?:FAX|Fax|fax)(?![A-Za-z])"
)
SENTENCE_END = re.compile(r"[。．！？!?\n]")
CUE_TO_NUMBER = re.compile(r"[\s　:：.．はが]*")
CUE_LOOKBACK = 40


def _trim_url(url: str) -> str:
    """The address without the brackets and punctuation of the sentence around it.

    Parentheses that open and close inside the address belong to it (…/wiki/Foo_(bar));
    a ")" with no "(" before it closes the sentence's bracket, and a "(" never closed
    opens the sentence's own remark (…/sodai.html(24時間受付)).
    """
    opened: list[int] = []
    for index, character in enumerate(url):
        if character == "(":
            opened.append(index)
        elif character == ")":
            if not opened:
                url = url[:index]
                break
            opened.pop()
    else:
        if opened:
            url = url[: opened[0]]
    return url.rstrip(URL_TRAILING_PUNCTUATION)


def _link(url: str, label: str) -> str:
    return f'<a href="{escape(url)}">{escape(label)}</a>'


def _phone_links(text: str) -> str:
    """`text` escaped, with each phone number a tel: link (digits only, as dialled)."""
    folded = text.translate(_PHONE_FOLD)
    parts, cursor, previous = [], 0, 0
    for match in PHONE_NUMBER.finditer(folded):
        start, end = match.span()
        sentence = max(
            [previous, start - CUE_LOOKBACK] + [m.end() for m in SENTENCE_END.finditer(folded, 0, start)]
        )
        previous = end
        if not _is_phone_number(match, folded[sentence:start]):
            continue
        number = "".join(character for character in match.group() if character.isdigit() or character == "+")
        parts.append(escape(text[cursor:start]))
        parts.append(f'<a href="tel:{number}">{escape(text[start:end])}</a>')
        cursor = end
    parts.append(escape(text[cursor:]))
    return "".join(parts)


def _is_phone_number(match: re.Match[str], said_before: str) -> bool:
    """Whether a number shaped like a phone number is one, from what its sentence says before it."""
    digits = "".join(character for character in match.group() if character.isdigit())
    if len(digits) not in ((11, 12) if match.group().startswith("+") else (10, 11)):
        return False  # not a whole number with its area code (a postal code, an account number)
    phone_cues = list(PHONE_CUE.finditer(said_before))
    fax_cues = list(FAX_CUE.finditer(said_before))
    if fax_cues and (not phone_cues or fax_cues[-1].end() > phone_cues[-1].end()):
        return False  # a fax number: a call to it reaches a machine
    if match.group("bare"):
        # Ten digits in a row are a phone number only right after the text calls them one.
        return bool(phone_cues) and CUE_TO_NUMBER.fullmatch(said_before[phone_cues[-1].end() :]) is not None
    return True


def _inline(line: str) -> str:
    parts, cursor = [], 0
    while True:
        labelled = LABELLED_LINK.search(line, cursor)
        bare = BARE_URL.search(line, cursor)
        if labelled and (not bare or labelled.start() <= bare.start()):
            start, end, html = labelled.start(), labelled.end(), _link(labelled.group(2), labelled.group(1))
        elif bare:
            url = _trim_url(bare.group())
            start, end = bare.start(), bare.start() + len(url)
            html = _link(url, url)
        else:
            break
        parts.append(_phone_links(line[cursor:start]))
        parts.append(html)
        cursor = end
    parts.append(_phone_links(line[cursor:]))
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
        url_schemes=ALLOWED_URL_SCHEMES,
        link_rel="noopener noreferrer",
    )
    return mark_safe(cleaned)  # noqa: S308 (escaped text in our own tags, then sanitised by nh3)
