"""The visitor's display choices (larger text, high contrast), kept in a cookie.

Plain links set them, so they work without JavaScript; pages that honour them are
marked private (see PublicCacheMiddleware), so no shared cache hands one visitor's
choice to another.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.http import HttpRequest

COOKIE = "display"
COOKIE_AGE = 365 * 24 * 60 * 60
CHOICES = {"text": ("standard", "large"), "contrast": ("standard", "high")}


@dataclass(frozen=True)
class Display:
    text: str = "standard"
    contrast: str = "standard"

    @classmethod
    def from_request(cls, request: HttpRequest) -> Display:
        values = dict(
            part.split("-", 1) for part in request.COOKIES.get(COOKIE, "").split(".") if "-" in part
        )
        return cls(
            text=values.get("text") if values.get("text") in CHOICES["text"] else "standard",
            contrast=values.get("contrast") if values.get("contrast") in CHOICES["contrast"] else "standard",
        )

    def with_choice(self, name: str, value: str) -> Display:
        if value not in CHOICES.get(name, ()):
            return self
        return Display(**{**self.__dict__, name: value})

    def cookie_value(self) -> str:
        return f"text-{self.text}.contrast-{self.contrast}"

    def css_classes(self) -> str:
        return " ".join(
            name
            for name, on in (("text-large", self.text == "large"), ("contrast-high", self.contrast == "high"))
            if on
        )

    def is_default(self) -> bool:
        return self == Display()
