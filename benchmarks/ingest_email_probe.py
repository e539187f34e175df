"""Writes COUNT generated citizens' mails into a Maildir and takes them in one by one with
the code `manage.py ingest_email --maildir` runs.

`python benchmarks/ingest_email_probe.py MAILDIR COUNT` prints `INGEST total_s p50_s p95_s`
and the counts by outcome. The mix: UTF-8 (quoted-printable and base64), ISO-2022-JP and
Shift_JIS, one in ten a follow-up, one in ten with a small PNG, one in twenty an auto-reply.
"""

import sys
import time
from collections import Counter
from pathlib import Path

from django_process import setup

setup()

from inquiries.services.email import ingest_email  # noqa: E402
from inquiries.tests.mailbuilder import message, png_bytes  # noqa: E402

TOPICS = ["粗大ごみの出し方", "住民票の取り方", "保育園の申し込み", "国民健康保険料", "市営住宅の募集"]
ENCODINGS = [("utf-8", "quoted-printable"), ("utf-8", "base64"), ("iso-2022-jp", "7bit"), ("cp932", "8bit")]


def generate(count: int) -> list[bytes]:
    png = png_bytes()
    mails = []
    for number in range(count):
        charset, encoding = ENCODINGS[number % len(ENCODINGS)]
        topic = TOPICS[number % len(TOPICS)]
        headers = {}
        if number % 10 == 9:
            headers["In-Reply-To"] = f"<bench-{number - 1}@example.jp>"
        if number % 20 == 7:
            headers["Auto-Submitted"] = "auto-replied"
        mails.append(
            message(
                body=f"{topic}について教えてください。①番の件です。\n問い合わせ番号 {number}。\n" * 5,
                charset=charset,
                label="shift_jis" if charset == "cp932" else None,
                encoding=encoding,
                subject=f"{topic}について",
                sender=f"citizen{number}@example.jp",
                message_id=f"<bench-{number}@example.jp>",
                headers=headers,
                attachments=[("photo.png", "image/png", png)] if number % 10 == 3 else [],
            )
        )
    return mails


def main() -> None:
    maildir, count = Path(sys.argv[1]), int(sys.argv[2])
    for sub in ("new", "cur", "tmp"):
        (maildir / sub).mkdir(parents=True, exist_ok=True)
    for number, raw in enumerate(generate(count)):
        (maildir / "new" / f"{number:06d}.bench").write_bytes(raw)
    outcomes: Counter[str] = Counter()
    times = []
    started = time.perf_counter()
    for path in sorted((maildir / "new").iterdir()):
        one = time.perf_counter()
        outcomes[ingest_email(raw=path.read_bytes()).outcome] += 1
        path.replace(maildir / "cur" / f"{path.name}:2,S")
        times.append(time.perf_counter() - one)
    total = time.perf_counter() - started
    times.sort()
    print(f"INGEST {total:.3f} {times[len(times) // 2]:.5f} {times[int(len(times) * 0.95)]:.5f}")
    print("OUTCOMES " + " ".join(f"{name}={number}" for name, number in sorted(outcomes.items())))


if __name__ == "__main__":
    main()
