"""Project-wide views: the public home, the health check and the error pages."""

import logging
import sys

from django.conf import settings
from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.template import TemplateDoesNotExist
from django.template.loader import get_template
from django.templatetags.static import static
from django.urls import reverse
from django.utils.dateparse import parse_date
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import cache_control, never_cache
from django.views.decorators.http import require_GET

from contactcenter.context_processors import centre
from contactcenter.health import Status, current_health
from contactcenter.lib import hours
from contactcenter.lib.display import COOKIE, COOKIE_AGE, Display
from contactcenter.lib.links import public_url
from contactcenter.lib.translation import reader_language
from contactcenter.middleware import is_staff_path
from knowledgebase import popularity
from knowledgebase.models import Article, Category

logger = logging.getLogger(__name__)


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    language = reader_language()
    return render(
        request,
        "public/home.html",
        {
            "topics": Category.objects.filter(parent=None).order_by("order", "name"),
            "most_viewed": popularity.most_viewed(language),
            "recently_updated": Article.objects.for_reader(language)
            .only("question", "language", "updated_at")
            .order_by("-updated_at", "-pk")[: popularity.HOME_LIST_LENGTH],
            "opening": hours.opening(),
        },
    )


@require_GET
def accessibility(request: HttpRequest) -> HttpResponse:
    """The JIS X 8341-3:2016 conformance statement."""
    return render(
        request,
        "public/accessibility.html",
        {"tested_on": parse_date(settings.ACCESSIBILITY_TESTED_ON), "opening": hours.opening()},
    )


@require_GET
def display_settings(request: HttpRequest) -> HttpResponse:
    """Set larger text or high contrast from a plain link, then go back to the page.

    A GET that sets a cookie, on purpose: it must work without JavaScript and without a form
    (a form would put a CSRF token, and so a per-visitor part, on every public page). The
    only effect is on the visitor's own display; robots.txt keeps crawlers away.
    """
    display = Display.from_request(request)
    for name in ("text", "contrast"):
        if name in request.GET:
            display = display.with_choice(name, request.GET[name])
    back = request.GET.get("next", "/")
    if not url_has_allowed_host_and_scheme(
        back, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        back = "/"
    response = HttpResponseRedirect(back)
    if display.is_default():
        response.delete_cookie(COOKIE, samesite="Lax")
    else:
        response.set_cookie(
            COOKIE,
            display.cookie_value(),
            max_age=COOKIE_AGE,
            samesite="Lax",
            secure=request.is_secure(),
            httponly=True,
        )
    return response


@require_GET
@cache_control(public=True, max_age=60 * 60)
def robots_txt(request: HttpRequest) -> HttpResponse:
    lines = [
        "User-agent: *",
        "Disallow: /kb/",
        "Disallow: /console/",
        "Disallow: /reports/",
        "Disallow: /admin/",
        "Disallow: /accounts/",
        "Disallow: /api/",
        "Disallow: /display/",
        "Disallow: /i18n/",
        *(f"Disallow: {prefix}search/" for prefix in ("/", "/en/", "/zh-hans/", "/ko/")),
        f"Sitemap: {public_url(request, reverse('django.contrib.sitemaps.views.sitemap'))}",
        "",
    ]
    return HttpResponse("\n".join(lines), content_type="text/plain; charset=utf-8")


@require_GET
@cache_control(public=True, max_age=24 * 60 * 60)
def favicon(request: HttpRequest) -> HttpResponseRedirect:
    """/favicon.ico, which browsers, feed readers and bookmarks ask for whatever the page links:
    the SVG icon every page links (a redirect, so the icon's file name can carry its hash)."""
    return HttpResponseRedirect(static("img/favicon.svg"))


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    """200 `ok`, 200 `degraded` while the site still serves, 503 only without a database.

    A load balancer must not drop a host that is merely rebuilding its search index.
    """
    health = current_health()
    status = 503 if health.status == Status.DOWN else 200
    return JsonResponse(
        {"status": health.status.value, "checks": health.checks, "reasons": health.reasons},
        status=status,
    )


def _error_page(request: HttpRequest, status: int) -> HttpResponse:
    site = "staff" if is_staff_path(request.path) else "public"
    return render(request, f"errors/{site}_{status}.html", status=status)


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _error_page(request, 400)


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _error_page(request, 403)


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _error_page(request, 404)


# While the database restarts or fails over, say so and when to come back, rather than 500.
DATABASE_DOWN_RETRY_SECONDS = 30


def _database_unreachable() -> bool:
    """Whether the error being handled is the database out of reach (handler500 runs inside
    Django's `except` block, so the exception is the current one)."""
    error = sys.exc_info()[1]
    return isinstance(error, OperationalError | InterfaceError)


def server_error(request: HttpRequest) -> HttpResponse:
    """Render the 500 page (503 with Retry-After while the database is out of reach) without
    touching the database, which may be the cause."""
    site = "staff" if is_staff_path(request.path) else "public"
    status = 503 if _database_unreachable() else 500
    try:
        template = get_template(f"errors/{site}_{status}.html")
        # No context processors: they may read the session or the user from the database.
        response = HttpResponse(template.render({"request": request, **centre(request)}), status=status)
    except (TemplateDoesNotExist, Exception):  # the error page itself must never fail
        logger.exception("The %s page could not be rendered", status)
        response = HttpResponse(f"{status}", content_type="text/plain", status=status)
    if status == 503:
        response["Retry-After"] = str(DATABASE_DOWN_RETRY_SECONDS)
        response.database_unavailable = True  # SurgeCacheMiddleware serves a kept page instead
    return response
