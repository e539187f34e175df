"""Reading a citizen's e-mail as it arrived (RFC 5322 bytes): who sent it, what it says, what
came with it, and whether it is an automatic message rather than an inquiry.

Japanese mail comes in ISO-2022-JP, Shift_JIS (with Windows' extra characters such as ① and
㈱), EUC-JP or UTF-8, and its charset label is sometimes wrong. Every text is decoded with the
label first, then with the usual Japanese encodings, and the reading without replacement
characters wins; whatever cannot be read cleanly is said in `problems` (the raw bytes are kept
apart by the caller). Nothing here raises on bad input.
"""

from __future__ import annotations

import codecs
import email
import email.header
import email.policy
import email.utils
import hashlib
import logging
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import datetime
from email.message import Message
from html.parser import HTMLParser

from django.utils import timezone
from django.utils.translation import gettext as _

logger = logging.getLogger(__name__)

# Tried after the label, in this order: UTF-8 is strict (foreign bytes rarely pass), EUC-JP
# refuses Shift_JIS's hiragana (lead byte 0x82), while cp932 accepts almost any byte pair.
FALLBACK_CHARSETS = ("utf-8", "euc_jp", "cp932", "iso-2022-jp")
# Labels whose mail is written by Windows-made software with Microsoft's extensions (NEC and
# IBM characters): decode with the superset so ① or 髙 do not turn into replacement characters.
SUPERSETS = {
    "shift_jis": "cp932",
    "shift-jis": "cp932",
    "sjis": "cp932",
    "x-sjis": "cp932",
    "ms_kanji": "cp932",
    "windows-31j": "cp932",
    "csshiftjis": "cp932",
    "euc-jp": "euc_jp",
    "x-euc-jp": "euc_jp",
    "us-ascii": "ascii",
    "ks_c_5601-1987": "cp949",
    "gb2312": "gb18030",
    "gbk": "gb18030",
}
ISO_2022_JP = {"iso-2022-jp", "iso2022_jp", "csiso2022jp", "iso-2022-jp-ms", "cp50220", "cp50221", "cp50222"}
REPLACEMENT = "\ufffd"
# Printable ASCII only: ids are compared and stored as they are, and a stray byte in one
# (PostgreSQL refuses NUL) must not stop the message.
MESSAGE_ID = re.compile(r"<[\x21-\x3b\x3d\x3f-\x7e]+>")
# Control characters other than tab and newline: invisible, and PostgreSQL refuses NUL.
CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
MAX_ID = 255


@dataclass
class MailAttachment:
    name: str
    data: bytes


@dataclass
class ParsedMail:
    message_id: str
    in_reply_to: str = ""
    references: list[str] = field(default_factory=list)
    sender: str = ""
    sender_name: str = ""
    subject: str = ""
    body: str = ""
    sent_at: datetime | None = None
    attachments: list[MailAttachment] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    # Why this is an automatic message (auto-reply, bounce, list mail); empty for a person's.
    automatic: str = ""

    @property
    def thread_ids(self) -> list[str]:
        """The messages this one answers, nearest first."""
        ids = [self.in_reply_to] if self.in_reply_to else []
        return list(dict.fromkeys([*ids, *reversed(self.references)]))


def _iso2022jp_as_cp932(data: bytes) -> str:
    """ISO-2022-JP as Windows writes it (CP50220/50221): JIS X 0208 plus NEC's row 13 and the
    IBM kanji. Python's codecs know only the standard rows, so each two-byte JIS character is
    moved to its Shift_JIS position and read with cp932, which has them all."""
    out = bytearray()
    mode = "ascii"
    i = 0
    while i < len(data):
        byte = data[i]
        if byte == 0x1B:
            sequence = data[i + 1 : i + 3]
            if sequence in (b"$B", b"$@"):
                mode, i = "jis", i + 3
                continue
            if sequence in (b"(B", b"(J"):
                mode, i = "ascii", i + 3
                continue
            if sequence == b"(I":
                mode, i = "kana", i + 3
                continue
            raise UnicodeDecodeError("iso-2022-jp", data, i, i + 1, "unknown escape sequence")
        if byte >= 0x80:
            raise UnicodeDecodeError("iso-2022-jp", data, i, i + 1, "8-bit byte")
        if byte in (0x0A, 0x0D):
            out.append(byte)
            i += 1
            continue
        if mode == "jis":
            if i + 1 >= len(data):
                raise UnicodeDecodeError("iso-2022-jp", data, i, i + 1, "half a character")
            first, second = byte, data[i + 1]
            if not (0x21 <= first <= 0x7E and 0x21 <= second <= 0x7E):
                raise UnicodeDecodeError("iso-2022-jp", data, i, i + 2, "not a JIS character")
            lead = (first + 1) // 2 + (0x70 if first <= 0x5E else 0xB0)
            trail = second + (0x1F if first % 2 else 0x7E)
            if first % 2 and second >= 0x60:
                trail += 1
            out += bytes((lead, trail))
            i += 2
        elif mode == "kana":
            out.append(byte + 0x80)
            i += 1
        else:
            out.append(byte)
            i += 1
    return out.decode("cp932")


def _decode_with(data: bytes, charset: str) -> str:
    """`data` read as `charset`, strictly (UnicodeDecodeError or LookupError otherwise)."""
    name = charset.strip().strip('"').lower()
    if name in ISO_2022_JP or codecs.lookup(name).name in ("iso2022_jp", "iso2022_jp_ext"):
        return _iso2022jp_as_cp932(data)
    return data.decode(SUPERSETS.get(name, name))


def _oddities(text: str) -> int:
    """Characters no person wrote: replacement characters, private-use code points (what
    cp932 makes of stray bytes) and control characters other than line breaks and tabs."""
    return sum(
        1
        for c in text
        if c == REPLACEMENT
        or "\ue000" <= c <= "\uf8ff"
        or (unicodedata.category(c) == "Cc" and c not in "\t\n\r\f")
    )


def decode_text(data: bytes, label: str | None) -> tuple[str, bool]:
    """The text of `data` and whether it was read cleanly: the label first, then the usual
    Japanese encodings; failing all, the reading with the fewest odd characters."""
    candidates = [label] if label else []
    candidates += [charset for charset in FALLBACK_CHARSETS if charset != label]
    readings = []
    for charset in candidates:
        try:
            text = _decode_with(data, charset)
        except (UnicodeDecodeError, LookupError, ValueError):
            continue
        odd = _oddities(text)
        if not odd:
            return text, True
        readings.append((odd, text))
    for charset in ("utf-8", "cp932", "euc_jp"):
        text = data.decode(charset, errors="replace")
        readings.append((_oddities(text), text))
    return min(readings, key=lambda reading: reading[0])[1], False


def _unfold(value: str) -> str:
    return re.sub(r"\r?\n(?=[ \t])", "", value).strip()


def decode_header_value(value: str) -> tuple[str, bool]:
    """A header as read by a person: RFC 2047 encoded words decoded (adjacent words of one
    charset joined first, so a character split between two words survives), raw 8-bit bytes
    read like a body. Returns the text and whether it was read cleanly."""
    value = _unfold(value)
    clean = True
    if "\x1b$" in value:  # raw ISO-2022-JP, not encoded
        try:
            return _iso2022jp_as_cp932(value.encode("ascii", "surrogateescape")), True
        except (UnicodeDecodeError, UnicodeEncodeError):
            pass
    if any("\udc80" <= c <= "\udcff" for c in value) or not value.isascii():
        value, clean = decode_text(value.encode("utf-8", "surrogateescape"), None)
    try:
        parts = email.header.decode_header(value)
    except (ValueError, AssertionError, LookupError):  # a malformed encoded word: keep it as written
        return value, clean
    text = []
    for chunk, charset in parts:
        if isinstance(chunk, str):
            text.append(chunk)
            continue
        decoded, ok = decode_text(chunk, charset)
        clean = clean and ok
        text.append(decoded)
    return "".join(text), clean


class _TextFromHtml(HTMLParser):
    BREAKS = {"br", "p", "div", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "pre", "table"}
    HIDDEN = {"script", "style", "head", "title"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.hidden = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self.HIDDEN:
            self.hidden += 1
        elif tag in self.BREAKS:
            self.parts.append("\n")
        if tag == "li":
            self.parts.append("・")

    def handle_endtag(self, tag: str) -> None:
        if tag in self.HIDDEN:
            self.hidden = max(0, self.hidden - 1)
        elif tag in self.BREAKS:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self.hidden:
            self.parts.append(re.sub(r"\s+", " ", data))


def html_to_text(html: str) -> str:
    """The readable text of an HTML mail: tags gone, line breaks where blocks end."""
    parser = _TextFromHtml()
    try:
        parser.feed(html)
        parser.close()
    except (AssertionError, ValueError):  # broken markup: what was read so far
        pass
    lines = [line.strip() for line in "".join(parser.parts).splitlines()]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


def synthetic_message_id(raw: bytes) -> str:
    """The id of a message that has none (or an unusable one): the same bytes, the same id."""
    return f"<sha256-{hashlib.sha256(raw).hexdigest()}@missing>"


def _ids(value: str) -> list[str]:
    return [found for found in MESSAGE_ID.findall(value) if len(found) <= MAX_ID]


def _headers(message: Message) -> dict[str, str]:
    """The first value of each header as written (lower-case names), never parsed by the
    policy: a malformed header must not stop the reading."""
    headers: dict[str, str] = {}
    for name, value in message.raw_items():
        headers.setdefault(name.lower(), str(value))
    return headers


def automatic_reason(headers: dict[str, str], sender: str) -> str:
    """Why a message is an automatic one (RFC 3834 auto-replies, bounces, list and bulk mail),
    or "" for a person's message."""
    auto_submitted = headers.get("auto-submitted", "").split(";")[0].strip().lower()
    if auto_submitted and auto_submitted != "no":
        return f"Auto-Submitted: {auto_submitted}"
    precedence = headers.get("precedence", "").strip().lower()
    if precedence in ("bulk", "junk", "list", "auto_reply"):
        return f"Precedence: {precedence}"
    if _unfold(headers.get("content-type", "")).lower().startswith("multipart/report"):
        return "multipart/report"
    for name in ("x-autoreply", "x-autorespond", "x-autoresponder"):
        if name in headers:
            return name
    if sender.split("@")[0].lower() in ("mailer-daemon", "postmaster"):
        return "MAILER-DAEMON"
    return ""


def _filename(part: Message) -> str:
    for header, parameter in (("content-disposition", "filename"), ("content-type", "name")):
        try:
            name = part.get_param(parameter, header=header)
        except (ValueError, LookupError, IndexError, TypeError, AttributeError):
            name = None
        if name:
            if isinstance(name, tuple):  # RFC 2231 (charset, language, value)
                return email.utils.collapse_rfc2231_value(name)
            return decode_header_value(str(name))[0]
    return ""


def _payload(part: Message) -> bytes:
    payload = part.get_payload(decode=True)
    if isinstance(payload, bytes):
        return payload
    raw = part.get_payload()
    return raw.encode("utf-8", "surrogateescape") if isinstance(raw, str) else b""


def _read_parts(message: Message, mail: ParsedMail) -> None:
    plain: list[str] = []
    html: list[str] = []
    unreadable = False
    for part in message.walk():
        if part.is_multipart():
            continue
        content_type = part.get_content_type()
        name = _filename(part)
        disposition = (part.get_content_disposition() or "").lower()
        if content_type in ("text/plain", "text/html") and not name and disposition != "attachment":
            text, clean = decode_text(_payload(part), part.get_content_charset())
            unreadable = unreadable or not clean
            (plain if content_type == "text/plain" else html).append(text)
        elif content_type.startswith("multipart/"):
            # A multipart without its boundary: the parser leaves its body as text.
            text, clean = decode_text(_payload(part), None)
            unreadable = unreadable or not clean
            plain.append(text)
            mail.problems.append(_("The message's MIME structure is broken; its text is shown as written."))
        else:
            data = _payload(part)
            if data:
                mail.attachments.append(MailAttachment(name=name or _("attachment"), data=data))
    if plain:
        mail.body = "\n\n".join(text.strip("\r\n") for text in plain).replace("\r\n", "\n")
    elif html:
        mail.body = "\n\n".join(html_to_text(text) for text in html)
    if unreadable:
        mail.problems.append(
            _(
                "Part of the text could not be read in any known character set; what could be "
                "read is shown. The message as received is kept."
            )
        )


def _sent_at(value: str) -> datetime | None:
    try:
        moment = email.utils.parsedate_to_datetime(_unfold(value))
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
    if moment is None:
        return None
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment, timezone.get_default_timezone())
    return moment


def _read(raw: bytes, policy: email.policy.Policy) -> ParsedMail:
    message = email.message_from_bytes(raw, policy=policy)
    headers = _headers(message)
    given = _ids(headers.get("message-id", ""))
    mail = ParsedMail(message_id=given[0] if given else synthetic_message_id(raw))
    in_reply_to = _ids(headers.get("in-reply-to", ""))
    mail.in_reply_to = in_reply_to[0] if in_reply_to else ""
    mail.references = _ids(headers.get("references", ""))
    sender_text, sender_clean = decode_header_value(headers.get("from", ""))
    name, address = email.utils.parseaddr(sender_text)
    mail.sender, mail.sender_name = address[:320], name[:200]
    subject, subject_clean = decode_header_value(headers.get("subject", ""))
    mail.subject = " ".join(subject.split())[:500]
    if not (sender_clean and subject_clean):
        mail.problems.append(_("The sender or the subject could not be read cleanly."))
    mail.sent_at = _sent_at(headers.get("date", ""))
    mail.automatic = automatic_reason(headers, mail.sender)
    if not mail.automatic:
        _read_parts(message, mail)
    return mail


def _printable(mail: ParsedMail) -> ParsedMail:
    for name in ("sender", "sender_name", "subject", "body"):
        setattr(mail, name, CONTROL.sub("", getattr(mail, name).replace("\r\n", "\n").replace("\r", "\n")))
    return mail


def parse_message(raw: bytes) -> ParsedMail:
    """Everything the centre needs from a message; never raises. The modern parser first, the
    lenient one when it trips over a malformed header, and the bare bytes as text if both fail."""
    for policy in (email.policy.default, email.policy.compat32):
        try:
            return _printable(_read(raw, policy))
        except Exception:
            logger.warning("Message %s: %s parser failed", synthetic_message_id(raw), policy, exc_info=True)
    body, _clean = decode_text(raw, None)
    return _printable(
        ParsedMail(
            message_id=synthetic_message_id(raw),
            body=body,
            problems=[_("The message could not be read as e-mail; its bytes are shown as text.")],
        )
    )


def guess_language(text: str) -> str:
    """The inquiry's language when the text makes it obvious; Japanese otherwise."""
    if re.search(r"[\u3040-\u30ff]", text):
        return "ja"
    if re.search(r"[\uac00-\ud7af]", text):
        return "ko"
    letters = [c for c in text if c.isalpha()]
    if letters and all(c.isascii() for c in letters):
        return "en"
    return "ja"
