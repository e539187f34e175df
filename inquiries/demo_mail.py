"""A few citizens' e-mails for `manage.py load_demo_data`: waiting in the queue, one with a
follow-up and one with a photo, taken in the way real mail is (so loading twice adds nothing)."""

from __future__ import annotations

import io
from datetime import timedelta
from email.message import EmailMessage
from email.utils import format_datetime

from django.utils import timezone
from PIL import Image

from inquiries.services.email import Ingested, ingest_email

DOMAIN = "demo.city.example.jp"
# (hours ago, sender, subject, text, answers message number, with a photo)
DEMO_MAILS = [
    (
        30,
        "佐藤 一郎 <ichiro.sato@example.jp>",
        "粗大ごみの申し込みについて",
        "来週引っ越すので、タンスとベッドを粗大ごみに出したいです。\n申し込みはどこにすればよいでしょうか。",
        None,
        False,
    ),
    (
        26,
        "佐藤 一郎 <ichiro.sato@example.jp>",
        "Re: 粗大ごみの申し込みについて",
        "追記です。ベッドはマットレス付きです。料金も教えてください。",
        0,
        False,
    ),
    (
        20,
        "Emily Clark <emily.clark@example.com>",
        "Residence certificate",
        "Hello,\nHow can I get a copy of my residence certificate (juminhyo)? I work on weekdays.\nThank you.",
        None,
        False,
    ),
    (
        5,
        "鈴木 花子 <hanako.suzuki@example.jp>",
        "公園の遊具が壊れています",
        "近所の公園のブランコの鎖が外れかけています。写真を添付します。危ないので早めに見ていただけますか。",
        None,
        True,
    ),
]


def _message_id(number: int) -> str:
    return f"<demo-{number}@{DOMAIN}>"


def _photo() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (64, 48), (120, 160, 90)).save(out, "JPEG")
    return out.getvalue()


def demo_messages() -> list[tuple[bytes, timedelta]]:
    now = timezone.now()
    messages = []
    for number, (hours, sender, subject, text, answers, photo) in enumerate(DEMO_MAILS):
        message = EmailMessage()
        message["From"] = sender
        message["To"] = f"callcenter@{DOMAIN}"
        message["Subject"] = subject
        message["Date"] = format_datetime(now - timedelta(hours=hours))
        message["Message-ID"] = _message_id(number)
        if answers is not None:
            message["In-Reply-To"] = _message_id(answers)
            message["References"] = _message_id(answers)
        message.set_content(text)
        if photo:
            message.add_attachment(_photo(), maintype="image", subtype="jpeg", filename="公園.jpg")
        messages.append((message.as_bytes(), timedelta(hours=hours)))
    return messages


def load_demo_emails() -> int:
    """Take the demo e-mails in; returns how many were new."""
    now = timezone.now()
    results = [ingest_email(raw=raw, now=now - ago) for raw, ago in demo_messages()]
    return sum(result.outcome in (Ingested.TAKEN_IN, Ingested.FOLLOW_UP) for result in results)
