from django.utils.translation import get_language


class TranslatedNameMixin:
    """`name` in Japanese plus `name_en`, `name_zh_hans`, `name_ko`, with Japanese as fallback."""

    def localized_name(self, language: str | None = None) -> str:
        """The name in `language` (default: the active one), falling back to Japanese."""
        language = (language or get_language() or "ja").replace("-", "_")
        return getattr(self, f"name_{language}", "") or self.name
