"""sitemap.xml: the public pages in every language and each published public Q&A at its own URL."""

from __future__ import annotations

from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils import translation

from knowledgebase.models import Article, Category


class PublicBaseSitemap(Sitemap):
    """Absolute URLs on PUBLIC_BASE_URL, whatever host the request came in on; in development
    without it, on the request's own host and port (contactcenter/lib/links.py)."""

    def get_urls(self, page=1, site=None, protocol=None):
        if settings.PUBLIC_BASE_URL:
            base = urlsplit(settings.PUBLIC_BASE_URL)
            site, protocol = _Site(base.netloc), base.scheme
        return super().get_urls(page=page, site=site, protocol=protocol)


class _Site:
    def __init__(self, domain: str) -> None:
        self.domain = domain


class ArticleSitemap(PublicBaseSitemap):
    def items(self):
        return Article.objects.published().order_by("pk").only("pk", "language", "updated_at")

    def location(self, article: Article) -> str:
        with translation.override(article.language):
            return reverse("knowledgebase:article", args=[article.pk])

    def lastmod(self, article: Article):
        return article.updated_at


class PageSitemap(PublicBaseSitemap):
    """Home, accessibility statement and topics, in each interface language."""

    i18n = True
    alternates = True
    x_default = True

    def items(self) -> list[tuple[str, tuple[int, ...]]]:
        with_articles = Article.objects.published().filter(category=OuterRef("pk"))
        with_children = Article.objects.published().filter(category__parent=OuterRef("pk"))
        topics = Category.objects.filter(Exists(with_articles) | Exists(with_children)).order_by("pk")
        return [("home", ()), ("accessibility", ())] + [
            ("knowledgebase:category", (pk,)) for pk in topics.values_list("pk", flat=True)
        ]

    def location(self, item: tuple[str, tuple[int, ...]]) -> str:
        name, args = item
        return reverse(name, args=args)


SITEMAPS = {"pages": PageSitemap, "qa": ArticleSitemap}
