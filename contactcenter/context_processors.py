from django.conf import settings
from django.http import HttpRequest
from django.utils.translation import get_language


def centre(request: HttpRequest) -> dict[str, object]:
    """The centre's contact details, which every public page and error page shows."""
    language = get_language() or settings.LANGUAGE_CODE
    return {
        "centre": {
            "name": settings.CENTRE_NAME if language == "ja" else settings.CENTRE_NAME_EN,
            "phone": settings.CENTRE_PHONE,
            "phone_uri": "tel:" + "".join(ch for ch in settings.CENTRE_PHONE if ch.isdigit() or ch == "+"),
            "fax": settings.CENTRE_FAX,
            "email": settings.CENTRE_EMAIL,
            "opens": settings.CENTRE_OPENS,
            "closes": settings.CENTRE_CLOSES,
        }
    }
