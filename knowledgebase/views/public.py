"""The citizens' FAQ pages: search, topics, Q&As, the helpful vote. Published public Q&As only."""

from __future__ import annotations

import hashlib
import html
from functools import partial

from django.conf import settings
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.cache import get_conditional_response
from django.utils.html import strip_tags
from django.utils.http import http_date
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from contactcenter.lib import page_cache, ratelimit
from contactcenter.lib.origin import sent_from_this_site
from contactcenter.lib.release import release_id
from contactcenter.lib.translation import reader_language
from knowledgebase import popularity, related, services
from knowledgebase.forms import ArticlePageForm, FeedbackForm, PublicSearchForm
from knowledgebase.models import Article, Category, Language, SearchLog
from knowledgebase.notices import active_notices
from knowledgebase.rendering import render_answer
from knowledgebase.search.query import search_articles


def _published_article(pk: int) -> Article:
    found = (
        Article.objects.published()
        .select_related("category__parent", "department", "translation_of", "related_questions")
        .filter(pk=pk)
        .first()
    )
    if found is None:
        raise Http404
    return found


def _version_for(versions: dict[str, Article], language: str) -> Article | None:
    """What a reader of `language` is shown: that translation if published, else the Japanese."""
    return versions.get(language) or versions.get(Language.JAPANESE)


def _language_links(article: Article, versions: dict[str, Article]) -> list[dict[str, object]]:
    """This Q&A under each interface language's URL: the version that language's readers see."""
    links = []
    for code, _name in settings.LANGUAGES:
        own = _version_for(versions, code) or article
        with translation.override(code):
            links.append(
                {
                    "code": code,
                    "url": reverse("knowledgebase:article", args=[own.pk]),
                    "exists": own.language == code,
                }
            )
    return links


def _etag(request: HttpRequest, parts: tuple[object, ...]) -> str:
    """Everything the page shows: the page carries nothing per visitor but the display choices
    (no CSRF token: see `feedback`), so those are part of it."""
    shown = (parts, request.COOKIES.get("display", ""), request.GET.urlencode())
    return hashlib.sha256(repr(shown).encode()).hexdigest()[:32]


@require_GET
def article(request: HttpRequest, pk: int) -> HttpResponse:
    return _article_page(request, pk, FeedbackForm(), status=200)


def _article_page(request: HttpRequest, pk: int, form: FeedbackForm, *, status: int) -> HttpResponse:
    found = _published_article(pk)
    language = reader_language()
    versions = found.published_versions()
    own = _version_for(versions, language)  # a notice says when it is not the reader's language
    if own is not None and own.pk != found.pk:
        url = own.get_absolute_url()
        return redirect(f"{url}?{request.GET.urlencode()}" if request.GET else url)
    shown = ArticlePageForm(request.GET)
    if request.method == "GET":  # each serving counts, also from the page cache
        page_cache.on_each_serving(
            request, partial(_count_opening, article=found, search_id=shown.search_id())
        )
    nearby = related.for_page(found, language, exclude=[v.pk for v in versions.values()] + [found.pk])
    etag = None
    if status == 200:
        etag = f'"{_etag(request, _shown_parts(found, versions, nearby, request, language))}"'
        # Only the ETag decides: a Last-Modified date cannot notice a notice that ended or a
        # related Q&A that was withdrawn, so If-Modified-Since alone always gets the page.
        response = get_conditional_response(request, etag=etag)
        if response is not None:
            return response
    answer_html = render_answer(found.answer)
    response = render(
        request,
        "knowledgebase/article_detail.html",
        {
            "article": found,
            "answer_html": answer_html,
            "description": Truncator(html.unescape(strip_tags(answer_html))).chars(150),
            "structured_data": _faq_page(found, answer_html),
            "related": nearby,
            "form": form,
            "thanks": shown.vote_sent(),
            "language_links": _language_links(found, versions),
            "shown_in_other_language": found.language != language,
        },
        status=status,
    )
    if etag:
        response["ETag"] = etag
        response["Last-Modified"] = http_date(found.updated_at.timestamp())  # for crawlers
    return response


def _count_opening(request: HttpRequest, *, article: Article, search_id: int | None) -> None:
    """A citizen opened the Q&A page: its views, and which search led there (for the
    knowledge-gap report)."""
    if search_id:
        services.record_opened(search_id=search_id, article=article)
    if not popularity.is_robot(request.headers.get("User-Agent", "")):
        popularity.record_view(article.pk)


def _shown_parts(
    article: Article,
    versions: dict[str, Article],
    related: list[Article],
    request: HttpRequest,
    language: str,
) -> tuple[object, ...]:
    """Everything on the Q&A page that is not per visitor (those parts are added by _etag)."""
    department = article.department
    category = article.category
    return (
        release_id(),
        language,
        (
            article.pk,
            article.version,
            article.translation_of.content_version if article.translation_of else None,
        ),
        sorted((code, version.pk) for code, version in versions.items()),
        [(other.pk, other.version, other.language) for other in related],
        (category.localized_name(), category.parent.localized_name() if category.parent else None)
        if category
        else None,
        (department.localized_name(), department.phone, department.email) if department else None,
        [(notice.pk, notice.updated_at) for notice in active_notices(request)],
    )


def _faq_page(article: Article, answer_html: str) -> dict[str, object]:
    """schema.org FAQPage for search engines: the one question and its (sanitised) answer."""
    return {
        "@context": "https://schema.org",
        "@type": "FAQPage",
        "inLanguage": article.language,
        "dateModified": article.updated_at.isoformat(),
        "mainEntity": [
            {
                "@type": "Question",
                "name": article.question,
                "acceptedAnswer": {"@type": "Answer", "text": str(answer_html)},
            }
        ],
    }


@csrf_exempt  # the page is the same for every visitor (page_cache): `Origin` instead of a token
@require_POST
def feedback(request: HttpRequest, pk: int) -> HttpResponse:
    """ "Was this helpful?": limited per visitor across all workers; a thank-you without JavaScript.

    It only counts a vote and keeps an optional comment, so a form sent from another site can do
    no more than the per-visitor limit allows; the `Origin` check refuses even that."""
    found = _published_article(pk)
    form = FeedbackForm(request.POST)
    if not sent_from_this_site(request):
        form.is_valid()
        form.add_error(
            None,
            _(
                "Your answer could not be taken: your browser did not say that it was sent from this "
                "page. Please send it again from this page."
            ),
        )
        return _article_page(request, pk, form, status=403)
    if not form.is_valid():
        return _article_page(request, pk, form, status=400)
    helpful = form.cleaned_data["helpful"] == "yes"
    try:
        services.send_feedback(
            article=found,
            helpful=helpful,
            comment=form.cleaned_data["comment"],
            language=reader_language(),
            visitor=ratelimit.visitor_address(request),
        )
    except services.TooManyAnswers as refused:
        form.add_error(None, str(refused))
        return _article_page(request, pk, form, status=429)
    return redirect(f"{found.get_absolute_url()}?thanks={'yes' if helpful else 'no'}#feedback")


RESULTS_PER_PAGE = 10


@require_GET
def search(request: HttpRequest) -> HttpResponse:
    """Search results for citizens: count, highlighted snippets, pages; when nothing answers the
    query, that first, with the centre's phone, then a few possibly related Q&As."""
    page_cache.never_keep(request)  # each search is logged, and its results link to its log row
    form = PublicSearchForm(request.GET)
    query = (form.value("q") or "").strip()
    page = form.value("page") or 1
    category = Category.objects.filter(pk=form.value("category")).first() if form.value("category") else None
    language = reader_language()
    results = search_id = in_japanese = None
    if query:
        results = search_articles(
            query,
            language=language,
            include_internal=False,
            limit=RESULTS_PER_PAGE,
            offset=(page - 1) * RESULTS_PER_PAGE,
            category_id=category.pk if category else None,
            answers_only=True,
        )
        if page == 1:  # paging on is the same search, logged once
            logged = services.log_search(
                query=results.query,
                language=language,
                channel=SearchLog.Channel.PUBLIC,
                result_count=results.total,
            )
            search_id = logged.pk
        if not results.answered and language != Language.JAPANESE:
            # Most Q&As exist only in Japanese: offer those rather than nothing.
            in_japanese = search_articles(
                query,
                language=Language.JAPANESE,
                include_internal=False,
                limit=RESULTS_PER_PAGE,
                category_id=category.pk if category else None,
                answers_only=True,
            )
            if not in_japanese.answered:
                in_japanese = None
    pages = -(-results.total // RESULTS_PER_PAGE) if results else 0
    return render(
        request,
        "knowledgebase/search_results.html",
        {
            "form": form,
            "query": query,
            "results": results,
            "category": category,
            "page": page,
            "pages": pages,
            "first": (page - 1) * RESULTS_PER_PAGE + 1,
            "last": (page - 1) * RESULTS_PER_PAGE + (len(results.hits) if results else 0),
            "search_id": search_id,
            "in_japanese": in_japanese,
            "shows_japanese": bool(results) and any(hit.article.language != language for hit in results.hits),
            "phone_in_language": language in settings.CENTRE_PHONE_LANGUAGES,
            "top_categories": Category.objects.filter(parent=None).order_by("order", "name")[:12],
        },
    )


CATEGORY_PAGE_SIZE = 20


@require_GET
def category(request: HttpRequest, pk: int) -> HttpResponse:
    """A topic: its subtopics and its published Q&As for the visitor's language, paginated."""
    found = Category.objects.select_related("parent").filter(pk=pk).first()
    if found is None:
        raise Http404
    articles = (
        Article.objects.for_reader(reader_language())
        .filter(Q(category=found) | Q(category__parent=found))
        .only("question", "language")
        .order_by("question", "pk")
    )
    return render(
        request,
        "knowledgebase/category_detail.html",
        {
            "category": found,
            "children": found.children.order_by("order", "name"),
            "page_obj": Paginator(articles, CATEGORY_PAGE_SIZE).get_page(request.GET.get("page")),
        },
    )
