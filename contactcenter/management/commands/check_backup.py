"""Prove a backup restores: load a `pg_dump -Fc` file into a fresh database and compare it,
table by table, with the database it was taken from.

An untested backup is a hope. Run it after each nightly dump (README, "Backups"): it exits 1
when the dump does not restore or any table's row count differs, and drops the scratch
database afterwards unless told to keep it.
"""

from __future__ import annotations

import os
import secrets
import subprocess
from pathlib import Path

import psycopg
from django.apps import apps
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection
from psycopg import sql


def _conninfo(name: str) -> dict[str, object]:
    settings = connection.settings_dict
    return {
        key: value
        for key, value in {
            "dbname": name,
            "user": settings.get("USER") or None,
            "password": settings.get("PASSWORD") or None,
            "host": settings.get("HOST") or None,
            "port": settings.get("PORT") or None,
        }.items()
        if value
    }


def _tables() -> list[str]:
    """Every table of the project's models (and their many-to-many tables)."""
    names = set()
    for model in apps.get_models(include_auto_created=True):
        if model._meta.managed and not model._meta.proxy:
            names.add(model._meta.db_table)
    return sorted(names)


def _counts(conninfo: dict[str, object], tables: list[str]) -> dict[str, int]:
    with psycopg.connect(**conninfo) as db:
        return {
            table: db.execute(sql.SQL("SELECT count(*) FROM {}").format(sql.Identifier(table))).fetchone()[0]
            for table in tables
        }


def _libpq_env() -> dict[str, str]:
    """The environment pg_dump and pg_restore need to reach the server Django uses."""
    settings = connection.settings_dict
    env = dict(os.environ)
    for name, key in (("PGHOST", "HOST"), ("PGPORT", "PORT"), ("PGUSER", "USER"), ("PGPASSWORD", "PASSWORD")):
        if settings.get(key):
            env[name] = str(settings[key])
    return env


class Command(BaseCommand):
    help = "Restore a pg_dump -Fc file into a scratch database and check every table's row count."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("dump", type=Path, help="A file written by pg_dump --format=custom.")
        parser.add_argument("--keep", action="store_true", help="Keep the scratch database to look at.")

    def handle(self, *args: object, dump: Path, keep: bool = False, **options: object) -> None:
        if connection.vendor != "postgresql":
            raise CommandError("Backups are checked on PostgreSQL (DATABASE_URL=postgres://…).")
        if not dump.is_file():
            raise CommandError(f"No such dump: {dump}")
        source = connection.settings_dict["NAME"]
        scratch = f"restore_check_{secrets.token_hex(4)}"
        admin = _conninfo("postgres")
        with psycopg.connect(**admin, autocommit=True) as db:
            db.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(scratch)))
        try:
            # pg_restore from PATH, with our own arguments only (the dump's path is a file name).
            restored = subprocess.run(  # noqa: S603
                [  # noqa: S607
                    "pg_restore",
                    "--no-owner",
                    "--no-privileges",
                    "--exit-on-error",
                    "--dbname",
                    scratch,
                    str(dump),
                ],
                env={**_libpq_env(), "PGDATABASE": scratch},
                capture_output=True,
                text=True,
                check=False,
            )
            if restored.returncode != 0:
                raise CommandError(f"pg_restore failed: {restored.stderr.strip()[-2000:]}")
            tables = _tables()
            expected, found = _counts(_conninfo(source), tables), _counts(_conninfo(scratch), tables)
            differ = [table for table in tables if expected[table] != found[table]]
            for table in differ:
                self.stdout.write(f"  {table}: {expected[table]:,} in {source}, {found[table]:,} restored")
            if differ:
                raise CommandError(f"{len(differ)} of {len(tables)} tables differ after the restore.")
            total = sum(found.values())
            self.stdout.write(
                f"Restored {dump.name}: {len(tables)} tables, {total:,} rows, all as in {source}."
            )
        finally:
            if keep:
                self.stdout.write(f"Kept the restored database {scratch}.")
            else:
                with psycopg.connect(**admin, autocommit=True) as db:
                    db.execute(sql.SQL("DROP DATABASE IF EXISTS {}").format(sql.Identifier(scratch)))
