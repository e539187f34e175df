"""The operator console under /console/: take a call, find the answer, log it.

One page, two halves: the Q&A search (with the department to transfer to) and the inquiry
form. Without JavaScript everything goes through the one form (search, use an answer, save),
so nothing typed is lost; console.js makes the search live and the keys quick.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from inquiries import services
from inquiries.access import get_inquiry_for_user
from inquiries.forms import ConsoleSearchForm, InquiryForm, SurveyForm
from inquiries.models import Channel, Inquiry, InquiryLanguage
from knowledgebase.models import Article, Language, SiteNotice
from knowledgebase.rendering import render_answer
from knowledgebase.search.query import SearchResults, search_articles

TAKE_CALLS = "inquiries.add_inquiry"
RESULTS = 10


def _search(form: ConsoleSearchForm) -> SearchResults | None:
    """Every live Q&A, internal ones and phone scripts included, in the language asked."""
    query = form.query()
    if not query:
        return None
    results = search_articles(
        query, language=form.language(), include_internal=True, limit=RESULTS, snippets=False
    )
    for hit in results.hits:
        hit.answer_html = render_answer(hit.article.answer)
    return results


def search_language_for(caller_language: str) -> str:
    """The caller's language when Q&As exist in it; "other" searches Japanese."""
    return caller_language if caller_language in Language.values else Language.JAPANESE


def _used_articles(form: InquiryForm) -> list[Article]:
    used = form.used_articles()
    found = Article.objects.live().select_related("department").in_bulk([item.article_id for item in used])
    return [found[item.article_id] for item in used if item.article_id in found]


def _page(request: HttpRequest, form: InquiryForm, *, status: int = 200, survey=None) -> HttpResponse:
    caller_language = form["language"].value() or InquiryLanguage.JAPANESE
    search_form = ConsoleSearchForm(
        request.POST
        if request.method == "POST"
        else {"q": "", "search_lang": search_language_for(caller_language)}
    )
    results = _search(search_form) if request.method == "POST" else None
    return render(
        request,
        "inquiries/console.html",
        {
            "form": form,
            "search_form": search_form,
            "results": results,
            "used": _used_articles(form) if form.is_bound else [],
            "used_values": form.data.getlist("used") if form.is_bound else [],
            "notices": SiteNotice.objects.active(),  # emergencies first
            "survey": survey,
            "survey_form": SurveyForm() if survey else None,
            "survey_running": services.survey_is_running(),
        },
        status=status,
    )


@login_required
@permission_required(TAKE_CALLS, raise_exception=True)
def console(request: HttpRequest) -> HttpResponse:
    if request.method != "POST":
        survey = None
        if request.GET.get("survey", "").isdigit():
            survey = _survey_due(request, int(request.GET["survey"]))
        return _page(request, InquiryForm.fresh(), survey=survey)

    form = InquiryForm(request.POST)
    action = request.POST.get("action", "save")
    if action == "search" or "use" in request.POST or "drop" in request.POST:
        return _page(request, _with_used_changed(request, form))
    if not form.is_valid():
        return _page(request, form, status=400)
    data = form.inquiry_data()
    if data.settled_search is None:
        data.settled_search = _settled_without_javascript(request)
    try:
        inquiry, created = services.log_inquiry(
            operator=request.user, data=data, form_token=form.cleaned_data["form_token"]
        )
    except services.WithdrawnArticles as error:
        form = _without(request, form, error.article_ids)
        form.add_error(None, str(error))
        return _page(request, form, status=409)
    except services.InquiryError as error:
        form.add_error(None, str(error))
        return _page(request, form, status=400)
    if created:
        messages.success(
            request, _("Inquiry %(number)s saved. Ready for the next call.") % {"number": inquiry.pk}
        )
    else:
        messages.info(request, _("Inquiry %(number)s was already saved.") % {"number": inquiry.pk})
    if inquiry.escalation_pending():
        # An escalated inquiry needs its department and reason before the next call; that
        # form then comes back here (with the survey question when one is due).
        return redirect(f"{reverse('inquiries:escalate', args=[inquiry.pk])}?from=console")
    return redirect(next_call_url(inquiry, created=created))


def next_call_url(inquiry: Inquiry, *, created: bool = True) -> str:
    """The console, ready for the next call, asking this caller's score first when a
    satisfaction survey is running."""
    if created and inquiry.channel == Channel.PHONE and services.survey_is_running(inquiry.received_at):
        return f"{reverse('inquiries:console')}?survey={inquiry.pk}"
    return reverse("inquiries:console")


def _settled_without_javascript(request: HttpRequest) -> services.UsedArticle | None:
    """Without console.js nobody tracked the last search: it is what the search box holds."""
    search = ConsoleSearchForm(request.POST)
    results = _search(search)
    return services.UsedArticle(0, search.query(), results.total) if results is not None else None


def _with_used_changed(request: HttpRequest, form: InquiryForm) -> InquiryForm:
    """The no-JavaScript way to use an answer (or drop one): the same form, one Q&A more or less,
    and for a new one the category, the answer and the summary filled in when still empty."""
    data = request.POST.copy()
    used = data.getlist("used")
    if request.POST.get("drop", "").isdigit():
        used = [value for value in used if value.partition("|")[0] != request.POST["drop"]]
    if request.POST.get("use", "").isdigit():
        article = Article.objects.live().filter(pk=int(request.POST["use"])).first()
        if article is not None and not any(v.partition("|")[0] == str(article.pk) for v in used):
            search = ConsoleSearchForm(request.POST)
            results = _search(search)
            used.append(f"{article.pk}|{results.total if results else 0}|{search.query()}")
            text = article.phone_script or article.answer
            data["answer"] = f"{data.get('answer', '').rstrip()}\n\n{text}".strip()
            if not data.get("summary", "").strip():
                data["summary"] = article.question
            if not data.get("category") and article.category_id:
                data["category"] = str(article.category_id)
    data.setlist("used", used)
    return InquiryForm(data)


def _without(request: HttpRequest, form: InquiryForm, article_ids: list[int]) -> InquiryForm:
    data = request.POST.copy()
    data.setlist(
        "used", [v for v in data.getlist("used") if v.partition("|")[0] not in map(str, article_ids)]
    )
    form = InquiryForm(data)
    form.is_valid()
    return form


@require_GET
@login_required
@permission_required(TAKE_CALLS, raise_exception=True)
def console_search(request: HttpRequest) -> HttpResponse:
    """The results fragment as the operator types (console.js). Not logged: the log would fill
    with prefixes; the search the operator settles on is logged once, with the inquiry."""
    results = _search(ConsoleSearchForm(request.GET))
    return render(request, "inquiries/_console_results.html", {"results": results})


def _survey_due(request: HttpRequest, pk: int):
    inquiry = get_inquiry_for_user(request.user, pk)
    if inquiry.satisfaction is not None or inquiry.survey_declined:
        return None
    return inquiry


@require_POST
@login_required
@permission_required(TAKE_CALLS, raise_exception=True)
def console_survey(request: HttpRequest, pk: int) -> HttpResponse:
    """The caller's score (or "declined") after a phone call during a survey period."""
    inquiry = get_inquiry_for_user(request.user, pk)
    form = SurveyForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a score from 1 to 5, or “declined”."))
        return redirect(f"{reverse('inquiries:console')}?survey={inquiry.pk}")
    score = None if form.cleaned_data["declined"] else form.cleaned_data["score"]
    services.record_satisfaction(inquiry=inquiry, user=request.user, score=score)
    messages.success(request, _("Survey answer saved. Ready for the next call."))
    return redirect("inquiries:console")
