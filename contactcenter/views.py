"""Project-wide views: the public home, the health check and the error pages."""

import logging

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.template import TemplateDoesNotExist
from django.template.loader import get_template
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from contactcenter.context_processors import centre
from contactcenter.health import Status, current_health
from contactcenter.middleware import is_staff_path
from knowledgebase.models import Category

logger = logging.getLogger(__name__)


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    topics = Category.objects.filter(parent=None).order_by("order", "name")
    return render(request, "public/home.html", {"topics": topics})


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


def server_error(request: HttpRequest) -> HttpResponse:
    """Render the 500 page without touching the database, which may be the cause."""
    site = "staff" if is_staff_path(request.path) else "public"
    try:
        template = get_template(f"errors/{site}_500.html")
        # No context processors: they may read the session or the user from the database.
        return HttpResponse(template.render({"request": request, **centre(request)}), status=500)
    except (TemplateDoesNotExist, Exception):  # the error page itself must never fail
        logger.exception("The 500 page could not be rendered")
        return HttpResponse("500 Internal Server Error", content_type="text/plain", status=500)
