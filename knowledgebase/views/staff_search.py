"""Staff search: every live Q&A, internal ones and phone scripts included."""

from django.contrib.auth.decorators import login_required, permission_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from knowledgebase import services
from knowledgebase.forms import StaffSearchForm
from knowledgebase.models import SearchLog
from knowledgebase.rendering import render_answer
from knowledgebase.search.query import search_articles

STAFF_RESULTS = 20


@login_required
@permission_required("knowledgebase.view_article", raise_exception=True)
def staff_search(request: HttpRequest) -> HttpResponse:
    """Search every live Q&A, internal ones and phone scripts included (what operators answer from)."""
    form = StaffSearchForm(request.GET)
    results = None
    if form.is_valid() and form.cleaned_data["q"].strip():
        language = form.cleaned_data["lang"] or "ja"
        results = search_articles(
            form.cleaned_data["q"], language=language, include_internal=True, limit=STAFF_RESULTS
        )
        services.log_search(
            query=results.query,
            language=language,
            channel=SearchLog.Channel.OPERATOR,
            result_count=results.total,
        )
        for hit in results.hits:
            hit.answer_html = render_answer(hit.article.answer)
    return render(
        request,
        "knowledgebase/staff/search.html",
        {
            "form": form,
            "results": results,
            "can_flag": request.user.has_perm("knowledgebase.add_flag"),
            "here": request.get_full_path(),
        },
    )
