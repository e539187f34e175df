"""Absolute links to the public site: canonical, hreflang and Open Graph links, the sitemap,
robots.txt, the API's `url` fields and links in e-mails.

Production sets PUBLIC_BASE_URL (the settings refuse to start without it when DEBUG is off):
every absolute link names the address citizens use, whichever host or proxy a request came
through. In development it may be unset, and links follow the host and port the browser used
(`make run PORT=8100`).
"""

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.http import HttpRequest


def public_url(request: HttpRequest, path: str) -> str:
    """`path` (absolute, e.g. from `reverse`) as a full URL on the public site."""
    if settings.PUBLIC_BASE_URL:
        return settings.PUBLIC_BASE_URL + path
    return request.build_absolute_uri(path)


def configured_base_url() -> str:
    """PUBLIC_BASE_URL, for work without a request (commands that send e-mail)."""
    if not settings.PUBLIC_BASE_URL:
        raise ImproperlyConfigured(
            "PUBLIC_BASE_URL is not set, and without a request there is no address to link to. "
            "Set it to the address citizens use, e.g. PUBLIC_BASE_URL=https://faq.city.example.jp "
            "(see .env.example)."
        )
    return settings.PUBLIC_BASE_URL
