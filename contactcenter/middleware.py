from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.middleware.locale import LocaleMiddleware as DjangoLocaleMiddleware
from django.utils import translation
from django.utils.cache import add_never_cache_headers, patch_cache_control, patch_vary_headers

from contactcenter.lib import page_cache

# Staff pages live outside the language-prefixed public URLs.
STAFF_PREFIXES = ("/console/", "/kb/", "/reports/", "/accounts/", "/admin/")


def is_staff_path(path: str) -> bool:
    # The public host mounts no staff page: there, /console/… is just a public 404.
    return path.startswith(STAFF_PREFIXES) and not settings.PUBLIC_ONLY


class LocaleMiddleware(DjangoLocaleMiddleware):
    """Public pages take their language from the URL; staff pages from the person's choice.

    Django forces the default language on every unprefixed path once the default
    language has no prefix, which would pin the staff pages to Japanese.
    """

    def process_request(self, request: HttpRequest) -> None:
        if not is_staff_path(request.path_info):
            super().process_request(request)
            return
        translation.activate(translation.get_language_from_request(request, check_path=False))
        request.LANGUAGE_CODE = translation.get_language()


class PageCacheMiddleware:
    """No shared cache may keep one visitor's page for another.

    Public pages (and their 304s) may carry a CSRF token or follow the visitor's display
    cookie: they are `private, no-cache` (a browser may keep them and must revalidate) and
    vary on Cookie. Staff pages hold personal data: nothing keeps them. Views that set
    Cache-Control themselves (sitemap, robots.txt, suggestions) keep theirs.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if is_staff_path(request.path_info):
            add_never_cache_headers(response)
            patch_cache_control(response, private=True)
        elif not response.has_header("Cache-Control") and (
            response.status_code == 304 or response.get("Content-Type", "").startswith("text/html")
        ):
            patch_cache_control(response, private=True, no_cache=True)
            patch_vary_headers(response, ["Cookie"])
        return response


class SurgeCacheMiddleware:
    """Serve anonymous public pages from each worker's few seconds' memory (`page_cache`), and
    from an older copy rather than the 503 page while the database is out of reach."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        key = None if is_staff_path(request.path_info) else page_cache.key_for(request)
        if key is None:
            return self.get_response(request)
        if entry := page_cache.fresh(key):
            return page_cache.serve(entry, request)
        response = self.get_response(request)
        if getattr(response, "database_unavailable", False):
            entry = page_cache.stale(key)
            return page_cache.serve(entry, request) if entry else response
        page_cache.keep(key, request, response)
        return response
