"""Take citizens' e-mails in: one message from standard input (a pipe from the mail server),
from files, or every new message of a Maildir (filled by getmail or fetchmail).

Each message is taken in on its own: one that fails is logged and set aside (a Maildir's
`.failed` folder) and the others go on. The exit status is non-zero only when one failed; a
pipe then gets 75 (EX_TEMPFAIL), so the mail server keeps the message and tries again.
"""

from __future__ import annotations

import logging
import os
import sys
from collections import Counter
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from inquiries.services.email import Ingested, ingest_email

logger = logging.getLogger(__name__)

EX_TEMPFAIL = 75
FAILED_FOLDER = ".failed"


def _seen_name(name: str) -> str:
    """A Maildir file's name once read: the ":2,S" (seen) flag added."""
    base, _sep, flags = name.partition(":2,")
    return f"{base}:2,{''.join(sorted(set(flags + 'S')))}"


class Command(BaseCommand):
    help = "Take in citizens' e-mails: from standard input, files, or a Maildir's new messages."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("paths", nargs="*", help="Message files; '-' or nothing for standard input.")
        parser.add_argument("--maildir", help="Take in every message in DIR/new, moving each to DIR/cur.")

    def handle(self, *args: object, paths: list[str], maildir: str | None, **options: object) -> None:
        self.counts: Counter[str] = Counter()
        if maildir:
            if paths:
                raise CommandError("Give either --maildir or message files, not both.")
            self._maildir(Path(maildir))
        elif not paths or paths == ["-"]:
            self._one("stdin", sys.stdin.buffer.read)
        else:
            for path in paths:
                self._one(path, Path(path).read_bytes)
        self.stdout.write(
            f"{self.counts[Ingested.TAKEN_IN]} taken in, {self.counts[Ingested.FOLLOW_UP]} follow-ups, "
            f"{self.counts[Ingested.DUPLICATE]} duplicates, {self.counts[Ingested.AUTOMATIC]} automatic, "
            f"{self.counts['failed']} failed"
        )
        if self.counts["failed"]:
            stdin = not maildir and (not paths or paths == ["-"])
            raise CommandError(
                f"{self.counts['failed']} message(s) could not be taken in; see the log.",
                returncode=EX_TEMPFAIL if stdin else 1,
            )

    def _one(self, source: str, read: object) -> bool:
        try:
            result = ingest_email(raw=read())
        except Exception:
            logger.exception("Message %s could not be taken in", source)
            self.counts["failed"] += 1
            return False
        self.counts[result.outcome] += 1
        return True

    def _maildir(self, folder: Path) -> None:
        new, cur = folder / "new", folder / "cur"
        if not new.is_dir():
            raise CommandError(f"{folder} is not a Maildir (it has no 'new' folder).")
        cur.mkdir(exist_ok=True)
        for path in sorted(new.iterdir()):
            if path.name.startswith(".") or not path.is_file():
                continue
            if self._one(str(path), path.read_bytes):
                os.replace(path, cur / _seen_name(path.name))
            else:
                self._set_aside(folder, path)

    def _set_aside(self, folder: Path, path: Path) -> None:
        """A message that failed goes to the Maildir's `.failed` folder (a Maildir itself, for
        a mail client or a second try with `ingest_email --maildir DIR/.failed`)."""
        failed = folder / FAILED_FOLDER
        try:
            for sub in ("tmp", "new", "cur"):
                (failed / sub).mkdir(parents=True, exist_ok=True)
            os.replace(path, failed / "new" / path.name)
        except OSError:
            logger.exception("Message %s could not be set aside; it stays in new/", path)
