from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import get_language
from django.views.decorators.http import require_GET

from knowledgebase import services
from knowledgebase.forms import PublicSearchForm
from knowledgebase.models import Article, Audience, Category, SearchLog
from knowledgebase.rendering import render_answer
from knowledgebase.search.query import search_articles


@require_GET
def article(request: HttpRequest, pk: int) -> HttpResponse:
    found = (
        Article.objects.published()
        .select_related("category__parent", "department", "translation_of")
        .filter(pk=pk)
        .first()
    )
    if found is None:
        raise Http404
    search_id = request.GET.get("s", "")
    if search_id.isdigit() and len(search_id) < 19:
        services.record_opened(search_id=int(search_id), article=found)  # for the knowledge-gap report
    return render(
        request,
        "knowledgebase/article_detail.html",
        {"article": found, "answer_html": render_answer(found.answer)},
    )


RESULTS_PER_PAGE = 10
# The interface language decides which Q&As are searched (zh-hans and ko with their catalogs).
ARTICLE_LANGUAGE = {"ja": "ja", "en": "en", "zh-hans": "zh-hans", "ko": "ko"}


@require_GET
def search(request: HttpRequest) -> HttpResponse:
    """Search results for citizens: count, highlighted snippets, pages, and help when nothing is found."""
    form = PublicSearchForm(request.GET)
    query = (form.value("q") or "").strip()
    page = form.value("page") or 1
    category = Category.objects.filter(pk=form.value("category")).first() if form.value("category") else None
    language = ARTICLE_LANGUAGE.get(get_language(), "ja")
    results = search_id = None
    if query:
        results = search_articles(
            query,
            language=language,
            audience=Audience.PUBLIC,
            limit=RESULTS_PER_PAGE,
            offset=(page - 1) * RESULTS_PER_PAGE,
            category_id=category.pk if category else None,
        )
        if page == 1:  # paging on is the same search, logged once
            logged = services.log_search(
                query=results.query,
                language=language,
                channel=SearchLog.Channel.PUBLIC,
                result_count=results.total,
            )
            search_id = logged.pk
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
            "top_categories": Category.objects.filter(parent=None).order_by("order", "name")[:12],
        },
    )


CATEGORY_PAGE_SIZE = 20


@require_GET
def category(request: HttpRequest, pk: int) -> HttpResponse:
    """A topic: its subtopics and its published Q&As in the visitor's language, paginated."""
    found = Category.objects.select_related("parent").filter(pk=pk).first()
    if found is None:
        raise Http404
    language = ARTICLE_LANGUAGE.get(get_language(), "ja")
    articles = (
        Article.objects.published()
        .filter(Q(category=found) | Q(category__parent=found), language=language)
        .order_by("question")
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
