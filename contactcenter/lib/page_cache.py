"""A few seconds' memory of anonymous public pages, for the surge after an earthquake or typhoon.

When a disaster strikes, citizens flood the public site for the emergency notice and a handful
of Q&As. Each worker keeps the public pages it rendered for `PUBLIC_PAGE_CACHE_SECONDS` (5 at
most, so a new or ended notice and a published change show within that time), keyed by host,
path and query, language and display choices, and serves them again without the database.

What a page may carry per visitor keeps it out:
- a request with a session or a pending message (a signed-in member of staff, say) is never
  served from here nor kept;
- a response that sets a cookie (a CSRF token: the contact form), starts a session, sets its own
  Cache-Control, or is not a 200 HTML page is not kept.

A view whose page is one serving's own (a search, logged each time) calls `never_keep`.
A view whose every serving must count (a Q&A's views) registers that with `on_each_serving`:
it runs at once and again each time the kept page is served. While the database is out of
reach, a page kept within the last `STALE_SECONDS` is served rather than the 503 page.
"""

from __future__ import annotations

import logging
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.db import DatabaseError
from django.http import HttpRequest, HttpResponse
from django.utils import translation
from django.utils.cache import get_conditional_response

from contactcenter.lib.display import Display

logger = logging.getLogger(__name__)

# Served while the database is out of reach; a few minutes covers a restart or a fail-over.
STALE_SECONDS = 300
# Bounds each worker's memory, whatever pages (and query strings) visitors ask for: the least
# recently kept pages go first. A page is about 30 KB: some 1,000 pages.
MAX_TOTAL_BYTES = 32 * 1024 * 1024
MAX_PAGE_BYTES = 512 * 1024
# Cookies that make a page someone's own; any other cookie of ours is part of the key or unread.
PERSONAL_COOKIES = ("messages",)

ServingHook = Callable[[HttpRequest], None]


@dataclass(frozen=True)
class Entry:
    stored_at: float
    content: bytes
    headers: tuple[tuple[str, str], ...]
    on_serving: tuple[ServingHook, ...]

    def age(self) -> float:
        return time.monotonic() - self.stored_at


_entries: OrderedDict[tuple[str, ...], Entry] = OrderedDict()
_bytes = 0  # the content of all entries
_lock = threading.Lock()


def key_for(request: HttpRequest) -> tuple[str, ...] | None:
    """The page's key, or None when this request must go to the view (and its page not be kept)."""
    if settings.PUBLIC_PAGE_CACHE_SECONDS <= 0 or request.method not in ("GET", "HEAD"):
        return None
    if any(name in request.COOKIES for name in (settings.SESSION_COOKIE_NAME, *PERSONAL_COOKIES)):
        return None
    return (
        request.get_host(),
        request.get_full_path(),
        translation.get_language(),
        Display.from_request(request).cookie_value(),
    )


def on_each_serving(request: HttpRequest, hook: ServingHook) -> None:
    """Run `hook(request)` for this serving and again for each serving of the kept page."""
    hook(request)
    request.page_cache_hooks = (*getattr(request, "page_cache_hooks", ()), hook)


def never_keep(request: HttpRequest) -> None:
    """This page belongs to this serving alone (a search result page links to its own log row)."""
    request.page_cache_never = True


def fresh(key: tuple[str, ...]) -> Entry | None:
    return _get(key, settings.PUBLIC_PAGE_CACHE_SECONDS)


def stale(key: tuple[str, ...]) -> Entry | None:
    """A page kept recently enough to stand in while the database is out of reach."""
    return _get(key, STALE_SECONDS)


def _get(key: tuple[str, ...], within: float) -> Entry | None:
    with _lock:
        entry = _entries.get(key)
    return entry if entry is not None and entry.age() <= within else None


def keep(key: tuple[str, ...], request: HttpRequest, response: HttpResponse) -> None:
    """Keep the page if nothing in it belongs to this visitor."""
    session = getattr(request, "session", None)
    if (
        request.method != "GET"
        or getattr(request, "page_cache_never", False)
        or response.status_code != 200
        or response.streaming
        or not response.get("Content-Type", "").startswith("text/html")
        or response.has_header("Cache-Control")
        or response.cookies
        or request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
        or (session is not None and session.modified)
        or len(response.content) > MAX_PAGE_BYTES
    ):
        return
    entry = Entry(
        stored_at=time.monotonic(),
        content=response.content,
        headers=tuple(response.items()),
        on_serving=getattr(request, "page_cache_hooks", ()),
    )
    global _bytes
    with _lock:
        if (replaced := _entries.pop(key, None)) is not None:
            _bytes -= len(replaced.content)
        _entries[key] = entry
        _bytes += len(entry.content)
        while _bytes > MAX_TOTAL_BYTES:
            _, oldest = _entries.popitem(last=False)
            _bytes -= len(oldest.content)


def serve(entry: Entry, request: HttpRequest) -> HttpResponse:
    """The kept page for this request (a 304 when the visitor holds it already); its
    serving hooks run as the view's would have."""
    for hook in entry.on_serving:
        try:
            hook(request)
        except DatabaseError:  # the database is out of reach: the page still goes out
            logger.warning("A kept page was served without its count: the database is out of reach")
    response = HttpResponse(entry.content)
    for name, value in entry.headers:
        response[name] = value
    if etag := response.get("ETag"):
        # The view answers conditional GETs by its ETag alone (see knowledgebase.views.public).
        return get_conditional_response(request, etag=etag, response=response) or response
    return response


def clear() -> None:
    global _bytes
    with _lock:
        _entries.clear()
        _bytes = 0
