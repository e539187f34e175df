from django.conf import settings
from django.http import HttpRequest
from django.utils.translation import get_language


def centre(request: HttpRequest) -> dict[str, object]:
    """The centre's contact details, which every public page and error page shows."""
    language = get_language() or settings.LANGUAGE_CODE
    return {
        "centre": {
            "name": {
                "ja": settings.CENTRE_NAME,
                "zh-hans": settings.CENTRE_NAME_ZH_HANS,
                "ko": settings.CENTRE_NAME_KO,
            }.get(language, settings.CENTRE_NAME_EN),
            "phone": settings.CENTRE_PHONE,
            "phone_uri": "tel:" + "".join(ch for ch in settings.CENTRE_PHONE if ch.isdigit() or ch == "+"),
            "fax": settings.CENTRE_FAX,
            "email": settings.CENTRE_EMAIL,
            "opens": settings.CENTRE_OPENS,
            "closes": settings.CENTRE_CLOSES,
        }
    }


def public_site(request: HttpRequest) -> dict[str, object]:
    """What every public page shows: the active notices and the visitor's display choices."""
    from contactcenter.display import Display
    from contactcenter.middleware import is_staff_path

    if is_staff_path(request.path_info):
        return {}
    language = get_language() or settings.LANGUAGE_CODE

    def site_notices() -> list[dict[str, str]]:  # evaluated only by templates that show them
        return [
            {
                "level": notice.level,
                "level_name": notice.get_level_display(),
                "link": notice.link,
                **notice.in_language(language),
            }
            for notice in active_notices(request)
        ]

    return {"site_notices": site_notices, "display": Display.from_request(request)}


def active_notices(request: HttpRequest) -> list:
    """The site notices shown now, read once per request (the page and its ETag both need them)."""
    if not hasattr(request, "_active_notices"):
        from knowledgebase.models import SiteNotice

        request._active_notices = list(SiteNotice.objects.active())
    return request._active_notices
