"""Real messages as bytes, the way mail programs write them, for the e-mail tests and the bench."""

from __future__ import annotations

import base64
import io
import quopri

from PIL import Image


def as_iso2022jp(text: str) -> bytes:
    """Text as Windows writes ISO-2022-JP (CP50220): JIS X 0208 plus NEC's and IBM's
    characters, which Python's own iso2022_jp codec cannot write."""
    out = bytearray()
    jis = False
    for character in text:
        if character.isascii():
            if jis:
                out += b"\x1b(B"
                jis = False
            out += character.encode()
            continue
        lead, trail = character.encode("cp932")
        if not jis:
            out += b"\x1b$B"
            jis = True
        row = (lead - (0xB0 if lead >= 0xE0 else 0x70)) * 2
        if trail >= 0x9F:
            out += bytes((row, trail - 0x7E))
        else:
            out += bytes((row - 1, trail - (0x20 if trail > 0x7F else 0x1F)))
    if jis:
        out += b"\x1b(B"
    return bytes(out)


def encoded_word(text: str, charset: str = "UTF-8") -> str:
    if charset.upper() == "ISO-2022-JP":
        data = as_iso2022jp(text)
    else:
        data = text.encode("cp932" if charset.lower() == "shift_jis" else charset)
    return f"=?{charset}?B?{base64.b64encode(data).decode()}?="


def message(
    *,
    body: bytes | str = "粗大ごみの申し込み方法を教えてください。",
    charset: str = "utf-8",
    label: str | None = None,
    encoding: str = "8bit",
    subject: str = "粗大ごみについて",
    sender: str | None = "=?UTF-8?B?5bGx55SwIOiKseWtkA==?= <hanako@example.jp>",
    message_id: str | None = "<m1@example.jp>",
    headers: dict[str, str] | None = None,
    content_type: str = "text/plain",
    attachments: list[tuple[str, str, bytes]] = (),
) -> bytes:
    """One message: `body` written in `charset` and labelled `label` (the charset unless told),
    sent with the transfer `encoding`, with attachments (name, type, bytes) in base64."""
    if isinstance(body, str):
        body = as_iso2022jp(body) if charset == "iso-2022-jp" else body.encode(charset)
    if encoding == "base64":
        body = base64.encodebytes(body)
    elif encoding == "quoted-printable":
        body = quopri.encodestring(body)
    lines = []
    if sender is not None:
        lines.append(f"From: {sender}")
    lines += [
        "To: callcenter@city.example.jp",
        f"Subject: {subject}",
        "Date: Mon, 30 Nov 2026 09:15:00 +0900",
    ]
    if message_id is not None:
        lines.append(f"Message-ID: {message_id}")
    lines += [f"{name}: {value}" for name, value in (headers or {}).items()]
    lines.append("MIME-Version: 1.0")
    text_part = (
        f"Content-Type: {content_type}; charset={label or charset}\r\n"
        f"Content-Transfer-Encoding: {encoding}\r\n\r\n"
    ).encode() + body
    if not attachments:
        return "\r\n".join(lines).encode() + b"\r\n" + text_part
    boundary = "==boundary-42=="
    lines.append(f'Content-Type: multipart/mixed; boundary="{boundary}"')
    out = "\r\n".join(lines).encode() + b"\r\n\r\n"
    out += f"--{boundary}\r\n".encode() + text_part + b"\r\n"
    for name, kind, data in attachments:
        out += (
            (
                f"--{boundary}\r\nContent-Type: {kind}\r\n"
                f'Content-Disposition: attachment; filename="{name}"\r\n'
                f"Content-Transfer-Encoding: base64\r\n\r\n"
            ).encode()
            + base64.encodebytes(data)
            + b"\r\n"
        )
    return out + f"--{boundary}--\r\n".encode()


def png_bytes() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (8, 8), "white").save(out, "PNG")
    return out.getvalue()


def pdf_bytes() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (8, 8), "white").save(out, "PDF")
    return out.getvalue()
