from django.conf import settings
from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import get_language

from contactcenter.lib.display import Display
from contactcenter.middleware import is_staff_path
from knowledgebase.notices import active_notices


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
            # Another system's form when the city names one (CENTRE_CONTACT_FORM_URL), else ours.
            "contact_form": settings.CENTRE_CONTACT_FORM_URL or reverse("contact:form"),
            "contact_form_is_ours": not settings.CENTRE_CONTACT_FORM_URL,
        }
    }


def public_site(request: HttpRequest) -> dict[str, object]:
    """What every public page shows: the active notices and the visitor's display choices."""
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


def staff_menu(request: HttpRequest) -> dict[str, object]:
    """The header menu of staff pages: what this person's roles let them use."""
    from contactcenter.staff import menu_for

    user = getattr(request, "user", None)
    if not is_staff_path(request.path_info) or user is None or not user.is_authenticated:
        return {}
    return {"staff_menu": lambda: menu_for(user)}
