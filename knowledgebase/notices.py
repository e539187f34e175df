"""The site notices shown on public pages now, read once per request."""

from django.http import HttpRequest

from knowledgebase.models import SiteNotice


def active_notices(request: HttpRequest) -> list[SiteNotice]:
    """The notices shown now, read once per request (the page and its ETag both need them)."""
    if not hasattr(request, "_active_notices"):
        request._active_notices = list(SiteNotice.objects.active())
    return request._active_notices
