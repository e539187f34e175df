"""Links every public page carries: its canonical URL, the page in other languages, JSON-LD."""

from __future__ import annotations

import json

from django import template
from django.conf import settings
from django.http import QueryDict
from django.urls import translate_url
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language_info

from contactcenter.lib.links import public_url
from contactcenter.lib.translation import reader_language, translated

register = template.Library()

# Query parameters that name a different page (kept in canonical URLs); the rest are tracking.
CANONICAL_PARAMETERS = ("page",)


@register.simple_tag(takes_context=True)
def canonical_url(context: template.Context) -> str:
    request = context["request"]
    kept = QueryDict(mutable=True)
    for name in CANONICAL_PARAMETERS:
        if request.GET.get(name, "").isdigit() and request.GET[name] != "1":
            kept[name] = request.GET[name]
    query = f"?{kept.urlencode()}" if kept else ""
    return public_url(request, request.path + query)


@register.simple_tag(takes_context=True)
def language_links(context: template.Context) -> list[dict[str, object]]:
    """This page in every interface language; `exists` is False where the page would only show
    Japanese with a notice (those get no hreflang)."""
    links = context.get("language_links")
    if links is None:
        request = context["request"]
        links = [
            {"code": code, "url": translate_url(request.get_full_path(), code), "exists": True}
            for code, _name in settings.LANGUAGES
        ]
    return [
        {
            **link,
            "name": get_language_info(link["code"])["name_local"],
            "absolute": public_url(context["request"], link["url"]),
        }
        for link in links
    ]


_JSON_ESCAPES = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}


@register.filter
def ld_json(value: object) -> SafeString:
    """JSON for a <script type="application/ld+json"> block; nothing in it can close the tag."""
    return mark_safe(json.dumps(value, ensure_ascii=False).translate(_JSON_ESCAPES))  # noqa: S308 (escaped above)


@register.simple_tag
def localized(thing: object) -> str:
    """A category's or department's name in the page's language; where it has none, the
    Japanese name, marked lang="ja" so screen readers read it in Japanese."""
    name, language = translated(thing, "name")
    if language != reader_language():
        return format_html('<span lang="{}">{}</span>', language, name)
    return name
