"""What /healthz reports: the database and the local search index."""

import logging
from dataclasses import dataclass, field
from enum import StrEnum

from django.db import DatabaseError, connection

logger = logging.getLogger(__name__)


class Status(StrEnum):
    OK = "ok"
    DEGRADED = "degraded"
    DOWN = "down"


@dataclass
class Health:
    status: Status
    checks: dict[str, str] = field(default_factory=dict)
    reasons: list[str] = field(default_factory=list)


def check_database() -> str | None:
    """None when the database answers, else the reason."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError as exc:
        logger.error("Health check: database unreachable: %s", exc)
        return f"database unreachable: {exc.__class__.__name__}"
    return None


def check_search_index() -> str | None:
    """None when this host's search index can be read, else the reason."""
    from knowledgebase.search.backend import IndexMissing, backend

    try:
        search_backend = backend()
        search_backend.reader().doc_count()
    except IndexMissing:
        return "search index missing: search falls back to the database"
    except Exception as exc:  # any failure of the replica only degrades search
        logger.warning("Health check: search index unreadable: %s", exc)
        return "search index unreadable: search falls back to the database"
    if search_backend.store.is_suspect():
        # Garbage inside a segment can pass the look above; a search reading it cannot.
        return "search index failed a search: search falls back to the database until run_indexer rebuilds it"
    return None


def current_health() -> Health:
    database = check_database()
    if database:
        return Health(Status.DOWN, {"database": "down", "search_index": "unknown"}, [database])
    search_index = check_search_index()
    if search_index:
        return Health(Status.DEGRADED, {"database": "ok", "search_index": "degraded"}, [search_index])
    return Health(Status.OK, {"database": "ok", "search_index": "ok"})
