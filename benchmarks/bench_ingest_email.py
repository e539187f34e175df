"""`manage.py ingest_email`'s work on 1,000 generated mails (mixed charsets, follow-ups, small
attachments, auto-replies) into a fresh SQLite database (migrated first, untimed)."""

import re

from benchmarks.harness import Context, Row

COUNT = 1_000


def rows(main: Context) -> list[Row]:
    workdir = main.workdir.parent / "ingest-email"
    workdir.mkdir(parents=True, exist_ok=True)
    (workdir / "db.sqlite3").unlink(missing_ok=True)
    ctx = Context(
        workdir=workdir,
        env={
            **main.env,
            "DATABASE_URL": f"sqlite:///{workdir / 'db.sqlite3'}",
            "MEDIA_ROOT": str(workdir / "media"),
        },
    )
    ctx.manage("migrate", "--noinput")
    maildir = workdir / f"maildir-{len(list(workdir.glob('maildir-*')))}"
    out = ctx.script("benchmarks/ingest_email_probe.py", str(maildir), str(COUNT))
    total, p50, p95 = (float(value) for value in re.search(r"INGEST (\S+) (\S+) (\S+)", out).groups())
    outcomes = re.search(r"OUTCOMES (.*)", out).group(1)
    return [
        Row(f"ingest_email: {COUNT:,} mails (SQLite, fresh), total", "-", f"{total:.1f} s", outcomes),
        Row("ingest_email: mails per second", "-", f"{COUNT / total:.0f}/s", "one process"),
        Row("ingest_email: time per mail", "-", f"p95 {p95 * 1000:.1f} ms", f"p50 {p50 * 1000:.1f} ms"),
    ]
