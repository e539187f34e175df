"""Text kept in Japanese plus one column per other language (`title`, `title_en`, `title_zh_hans`,
`title_ko`), shown in the reader's language with Japanese as the fallback."""

from django.conf import settings
from django.utils.translation import get_language


def reader_language() -> str:
    """The active interface language (a public URL's prefix), one of settings.LANGUAGES."""
    language = get_language()
    return language if language in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE


def translated(row: object, field: str, language: str | None = None) -> tuple[str, str]:
    """(text, its language): `field` in `language` (default: the active one) where written,
    otherwise the Japanese, so pages can mark that text lang="ja"."""
    language = language or reader_language()
    if language != "ja":
        text = getattr(row, f"{field}_{language.replace('-', '_')}", "")
        if text:
            return text, language
    return getattr(row, field), "ja"


class TranslatedNameMixin:
    """`name` in Japanese plus `name_en`, `name_zh_hans`, `name_ko`, with Japanese as fallback."""

    def localized_name(self, language: str | None = None) -> str:
        """The name in `language` (default: the active one), falling back to Japanese."""
        return translated(self, "name", language)[0]
