"""For tests where several connections write at once (PostgreSQL only: pytest-django's SQLite
test database lives in one connection's memory)."""

import pytest
from django.db import connection

on_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="needs a database shared between connections: run with DATABASE_URL=postgres://…",
)


@pytest.fixture
def roles(transactional_db):
    """The roles and their permissions (made by data migrations marked `reference_data`), which
    an earlier transactional test's flush removed; as tests/browser/conftest.py does."""
    from django.apps import apps
    from django.db.migrations.loader import MigrationLoader
    from django.db.migrations.operations import RunPython

    loader = MigrationLoader(connection)
    plan = dict.fromkeys(n for leaf in loader.graph.leaf_nodes() for n in loader.graph.forwards_plan(leaf))
    with connection.schema_editor() as schema_editor:
        for key in plan:
            for operation in loader.get_migration(*key).operations:
                if isinstance(operation, RunPython) and getattr(operation.code, "reference_data", False):
                    operation.code(apps, schema_editor)
