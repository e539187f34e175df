from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from knowledgebase import services
from knowledgebase.models import Article
from knowledgebase.rendering import render_answer


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
