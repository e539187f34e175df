from django.http import HttpRequest
from django.middleware.locale import LocaleMiddleware as DjangoLocaleMiddleware
from django.utils import translation

# Staff pages live outside the language-prefixed public URLs.
STAFF_PREFIXES = ("/console/", "/kb/", "/reports/", "/accounts/", "/admin/")


def is_staff_path(path: str) -> bool:
    return path.startswith(STAFF_PREFIXES)


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
