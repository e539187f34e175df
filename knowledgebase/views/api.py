"""The public JSON API: published public Q&As only (docs/openapi.yaml)."""

from django.conf import settings
from django.http import HttpRequest, JsonResponse
from django.urls import reverse
from django.utils import translation
from django.utils.cache import patch_cache_control
from django.views.decorators.http import require_GET

from contactcenter.lib.links import public_url
from knowledgebase.forms import ApiSearchForm
from knowledgebase.models import Article, Language, SearchLog
from knowledgebase.search.plan import clean_query
from knowledgebase.search.query import search_articles
from knowledgebase.services import log_search


def _cors(response: JsonResponse, request: HttpRequest) -> JsonResponse:
    origin = request.headers.get("Origin")
    if origin and origin in settings.API_CORS_ORIGINS:
        response["Access-Control-Allow-Origin"] = origin
        response["Vary"] = "Origin"
    return response


def _error(request: HttpRequest, message: str, status: int = 400, **details: object) -> JsonResponse:
    return _cors(JsonResponse({"error": message, **details}, status=status), request)


def _category(article: Article) -> dict[str, object] | None:
    if not article.category_id:
        return None
    return {"id": article.category_id, "name": article.category.localized_name(article.language)}


@require_GET
def search(request: HttpRequest) -> JsonResponse:
    form = ApiSearchForm(request.GET)
    if not form.is_valid():
        return _error(
            request, "invalid parameters", fields={k: [str(e) for e in v] for k, v in form.errors.items()}
        )
    language = form.cleaned_data["lang"] or "ja"
    limit = form.cleaned_data["limit"] or 10
    offset = form.cleaned_data["offset"] or 0
    results = search_articles(
        form.cleaned_data["q"], language=language, limit=limit, offset=offset, answers_only=True
    )
    logged = log_search(
        query=results.query, language=language, channel=SearchLog.Channel.API, result_count=results.total
    )
    return _cors(
        JsonResponse(
            {
                "total": results.total,
                # False: nothing answers the query; `results` are then a few possibly related Q&As.
                "answered": results.answered,
                "results": [
                    {
                        "id": hit.article.pk,
                        "external_id": hit.article.external_id,
                        # Most Q&As exist only in Japanese: other languages' searches find those too.
                        "language": hit.article.language,
                        "question": hit.article.question,
                        "snippet": str(hit.snippet),
                        # ?s= ties the visit to this search, for the knowledge-gap report.
                        "url": public_url(request, reverse("knowledgebase:article", args=[hit.article.pk]))
                        + f"?s={logged.pk}",
                        "category": _category(hit.article),
                        "score": round(hit.score, 4),
                    }
                    for hit in results.hits
                ],
            },
            json_dumps_params={"ensure_ascii": False},
        ),
        request,
    )


SUGGESTIONS = 5
SUGGEST_MIN_LENGTH = 2
SUGGEST_CACHE_SECONDS = 30


@require_GET
def suggest(request: HttpRequest) -> JsonResponse:
    """Questions for the search box while a citizen types: not logged (every keystroke would be)."""
    language = request.GET.get("lang", "ja")
    if language not in Language.values:
        language = Language.JAPANESE
    query = clean_query(request.GET.get("q", ""))
    hits = []
    if len(query) >= SUGGEST_MIN_LENGTH:
        hits = search_articles(query, language=language, limit=SUGGESTIONS, snippets=False).hits
    with translation.override(language):
        suggestions = [
            {
                "question": hit.article.question,
                "language": hit.article.language,
                "url": reverse("knowledgebase:article", args=[hit.article.pk]),
            }
            for hit in hits
        ]
    response = JsonResponse({"suggestions": suggestions}, json_dumps_params={"ensure_ascii": False})
    # The same for every visitor: a browser or proxy may reuse it briefly while people type.
    patch_cache_control(response, public=True, max_age=SUGGEST_CACHE_SECONDS)
    return _cors(response, request)


@require_GET
def article(request: HttpRequest, pk: int) -> JsonResponse:
    found = Article.objects.published().select_related("category__parent", "department").filter(pk=pk).first()
    if found is None:
        return _error(request, "not found", status=404)
    return _cors(
        JsonResponse(
            {
                "id": found.pk,
                "external_id": found.external_id,
                "language": found.language,
                "question": found.question,
                "answer": found.answer,
                "url": public_url(request, reverse("knowledgebase:article", args=[found.pk])),
                "category": _category(found),
                "department": found.department.localized_name(found.language)
                if found.department_id
                else None,
                "updated_at": found.updated_at.isoformat(),
            },
            json_dumps_params={"ensure_ascii": False},
        ),
        request,
    )
