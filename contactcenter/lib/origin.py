"""Whether a form was sent from a page of this site: the check the public forms shared by every
visitor (kept in the page cache, so carrying no per-visitor CSRF token) make instead of a token."""

from __future__ import annotations

from urllib.parse import urlsplit

from django.conf import settings
from django.http import HttpRequest


def _origin_of(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}".lower()


def sent_from_this_site(request: HttpRequest) -> bool:
    """The browser's `Origin` (or, from a browser that sends none, its `Referer`) names this
    site: the host asked, the public address, or an origin trusted for CSRF."""
    sender = request.headers.get("Origin")
    if sender is None and (referer := request.headers.get("Referer")):
        sender = _origin_of(referer)
    if not sender or sender == "null":  # "null": a sandboxed or privacy-stripped sender
        return False
    ours = {
        f"{request.scheme}://{request.get_host()}".lower(),
        *(_origin_of(url) for url in (settings.PUBLIC_BASE_URL, *settings.CSRF_TRUSTED_ORIGINS) if url),
    }
    return sender.lower() in ours
