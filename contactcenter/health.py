"""What /healthz reports: the database and the local search index."""

import logging
from dataclasses import dataclass, field
from enum import StrEnum

from django.conf import settings
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
    """None when this host's search index can be opened, else the reason."""
    from whoosh import index
    from whoosh.index import EmptyIndexError

    path = settings.HAYSTACK_CONNECTIONS["default"]["PATH"]
    try:
        if not index.exists_in(path):
            return "search index missing"
        index.open_dir(path).doc_count()
    except (OSError, EmptyIndexError, ValueError) as exc:
        logger.warning("Health check: search index unreadable: %s", exc)
        return "search index unreadable"
    return None


def current_health() -> Health:
    database = check_database()
    if database:
        return Health(Status.DOWN, {"database": "down", "search_index": "unknown"}, [database])
    search_index = check_search_index()
    if search_index:
        return Health(Status.DEGRADED, {"database": "ok", "search_index": "degraded"}, [search_index])
    return Health(Status.OK, {"database": "ok", "search_index": "ok"})
