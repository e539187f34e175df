"""A nightly dump restores: `check_backup` loads it into a fresh database and finds every
table as it was, and says so when one is not (PostgreSQL; SQLite is development only)."""

import subprocess
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from contactcenter.management.commands.check_backup import _libpq_env
from inquiries.tests.factories import CallerContactFactory, InquiryFactory
from knowledgebase.tests.factories import ArticleFactory

pytestmark = [
    pytest.mark.multiprocess,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="backups are PostgreSQL dumps"),
]


def dump(path):
    command = ["pg_dump", "--format=custom", "--file", str(path), connection.settings_dict["NAME"]]
    subprocess.run(
        command,
        env=_libpq_env(),
        check=True,
    )
    return path


def test_a_dump_restores_with_every_row(tmp_path):
    ArticleFactory()
    CallerContactFactory()
    InquiryFactory.create_batch(5)
    out = StringIO()
    call_command("check_backup", str(dump(tmp_path / "nightly.dump")), stdout=out)
    assert "all as in" in out.getvalue()


def test_a_dump_missing_rows_is_reported(tmp_path):
    InquiryFactory()
    path = dump(tmp_path / "old.dump")
    InquiryFactory()  # written after the dump: the restore has one inquiry fewer
    out = StringIO()
    with pytest.raises(CommandError, match="differ after the restore"):
        call_command("check_backup", str(path), stdout=out)
    assert "inquiries_inquiry: 2 in" in out.getvalue()


def test_a_damaged_dump_is_refused(tmp_path):
    broken = tmp_path / "broken.dump"
    broken.write_bytes(b"PGDMP" + b"\x00" * 100)
    with pytest.raises(CommandError, match="pg_restore failed"):
        call_command("check_backup", str(broken))
