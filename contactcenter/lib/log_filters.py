"""Filters for the log (configured in settings.LOGGING)."""

from __future__ import annotations

import logging

from django.db import InterfaceError, OperationalError
from django.http import HttpRequest


class PermissionDeniedWithoutTraceback(logging.Filter):
    """A 403 is an expected answer, not a fault: one warning line naming the path and the user.

    Django logs a PermissionDenied with its traceback, which buries the real errors (5xx,
    still logged with theirs) under stacks nobody needs to read.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        if getattr(record, "status_code", None) == 403 and record.exc_info:
            record.msg = f"{record.msg} (user %s)"
            record.args = (*(record.args or ()), _user(getattr(record, "request", None)))
            record.exc_info = record.exc_text = None
        return True


class DatabaseDownWithoutTraceback(logging.Filter):
    """While the database restarts, every request answers 503: one warning line each, with the
    driver's reason, rather than hundreds of identical tracebacks burying the moment it ended."""

    def filter(self, record: logging.LogRecord) -> bool:
        error = record.exc_info[1] if record.exc_info else None
        if getattr(record, "status_code", None) == 503 and isinstance(
            error, OperationalError | InterfaceError
        ):
            record.levelno, record.levelname = logging.WARNING, "WARNING"
            record.msg = f"{record.msg} (database out of reach: %s)"
            record.args = (
                *(record.args or ()),
                str(error).splitlines()[0] if str(error) else type(error).__name__,
            )
            record.exc_info = record.exc_text = None
        return True


def _user(request: HttpRequest | None) -> str:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return "anonymous"
    return str(user.pk)
