"""Many rows at once, past the ORM: COPY on PostgreSQL, executemany on SQLite.

No save(), no signals (so no history rows), no field defaults: the caller gives every column,
as the database stores it.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterable, Iterator, Sequence

from django.db import connection, models


def insert_rows(model: type[models.Model], fields: Sequence[str], rows: Iterable[Sequence[object]]) -> None:
    """Insert `rows` (values in the order of `fields`, model field names) into the model's table."""
    quote = connection.ops.quote_name
    table = quote(model._meta.db_table)
    columns = ", ".join(quote(model._meta.get_field(name).column) for name in fields)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            from psycopg.copy import QueuedLibpqWriter

            # psycopg's own cursor (Django's copy() takes no writer); the server takes in the
            # rows while this process formats the next ones.
            raw = cursor.cursor
            with raw.copy(f"COPY {table} ({columns}) FROM STDIN", writer=QueuedLibpqWriter(raw)) as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            placeholders = ", ".join(["%s"] * len(fields))
            sql = f"INSERT INTO {table} ({columns}) VALUES ({placeholders})"  # noqa: S608 (names from the model)
            cursor.executemany(sql, rows)


@contextlib.contextmanager
def indexes_set_aside(tables: Sequence[type[models.Model]]) -> Iterator[None]:
    """Drop the tables' plain indexes (and on PostgreSQL their foreign keys) for a large load and
    make them again after it: one sort per index and one check per key rather than one per row,
    as PostgreSQL's manual advises for populating a table
    (https://www.postgresql.org/docs/current/populate.html); SQLite gains the same way.

    The definitions are read from the catalog, so what is made again is what was there; primary
    keys and unique constraints stay. Call it inside a transaction: the tables stay locked until
    it ends, and a failed load rolls the drops back with it.
    """
    names = [model._meta.db_table for model in tables]
    keys: list[tuple[str, str, str]] = []
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # A foreign key cannot be dropped while checks on its tables wait for the commit.
            connection.check_constraints()
            cursor.execute(
                """
                SELECT format('%%I', indexname), indexdef FROM pg_indexes
                WHERE schemaname = current_schema() AND tablename = ANY(%s)
                  AND NOT EXISTS (SELECT FROM pg_constraint WHERE conindid = format('%%I', indexname)::regclass)
                """,
                [names],
            )
            indexes = cursor.fetchall()
            cursor.execute(
                """
                SELECT conrelid::regclass::text, format('%%I', conname), pg_get_constraintdef(oid)
                FROM pg_constraint WHERE contype = 'f' AND conrelid = ANY(%s::regclass[])
                """,
                [[connection.ops.quote_name(name) for name in names]],
            )
            keys = cursor.fetchall()
        elif connection.vendor == "sqlite":
            cursor.execute(
                "SELECT tbl_name, name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL"
            )
            quote = connection.ops.quote_name
            indexes = [(quote(name), sql) for table, name, sql in cursor.fetchall() if table in names]
        else:
            indexes = []
        for table, key, _definition in keys:
            cursor.execute(f"ALTER TABLE {table} DROP CONSTRAINT {key}")
        for index, _definition in indexes:
            cursor.execute(f"DROP INDEX {index}")
    yield
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL maintenance_work_mem = '256MB'")
        for _index, definition in indexes:
            cursor.execute(definition)
        for table, key, definition in keys:
            cursor.execute(f"ALTER TABLE {table} ADD CONSTRAINT {key} {definition}")
