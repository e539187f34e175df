"""The editors' pages under /kb/: write, review, publish and withdraw Q&As."""

from collections.abc import Callable
from datetime import timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.paginator import Paginator
from django.db.models import Count, Q, Sum
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from contactcenter.accounts.audit import events_for
from contactcenter.spreadsheet import csv_response
from knowledgebase import services
from knowledgebase.access import (
    can_publish,
    editable_articles,
    get_article_for_editor,
    get_article_to_flag,
    get_flag_for_resolver,
    open_flags,
)
from knowledgebase.diff import inline_diff
from knowledgebase.forms import (
    ArticleFilterForm,
    ArticleForm,
    CompareForm,
    FlagForm,
    NoteForm,
    PublishForm,
    ResolveFlagForm,
    RestoreForm,
    RevisionForm,
    SendBackForm,
    StaffSearchForm,
    SynonymForm,
    TranslateForm,
    WithdrawForm,
)
from knowledgebase.models import (
    REVIEW_NOTICE,
    REVISED_FIELDS,
    Article,
    Audience,
    Revision,
    SearchLog,
    Status,
    Synonym,
)
from knowledgebase.popularity import MOST_VIEWED_DAYS
from knowledgebase.rendering import render_answer
from knowledgebase.search.query import search_articles

EDIT = "knowledgebase.change_article"
PUBLISH = "knowledgebase.publish_article"
PAGE_SIZE = 25


def _pending_revision(article: Article) -> Revision | None:
    return Revision.objects.filter(article=article).first()


@login_required
@permission_required(EDIT, raise_exception=True)
def article_list(request: HttpRequest) -> HttpResponse:
    form = ArticleFilterForm(request.GET)
    articles = form.filter(editable_articles(request.user)).order_by("-updated_at", "-pk")
    page = Paginator(articles, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "knowledgebase/staff/article_list.html",
        {
            "form": form,
            "page_obj": page,
            "query_string": query.urlencode(),
            "review_due_by": timezone.localdate() + REVIEW_NOTICE,
        },
    )


@login_required
@permission_required(EDIT, raise_exception=True)
def article_create(request: HttpRequest) -> HttpResponse:
    form = ArticleForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        article = form.save(commit=False)
        if not can_publish(request.user):
            article.department = request.user.department
        article.status = Status.DRAFT
        services.save_article(article=article, user=request.user)
        messages.success(request, _("Draft saved. Submit it for review when it is ready."))
        return redirect("kb:detail", pk=article.pk)
    return render(request, "knowledgebase/staff/article_form.html", {"form": form, "article": None})


@login_required
@permission_required(EDIT, raise_exception=True)
def article_edit(request: HttpRequest, pk: int) -> HttpResponse:
    article = get_article_for_editor(request.user, pk)
    if article.status == Status.PUBLISHED:
        return _edit_revision(request, article)
    if article.status == Status.REVIEW and not can_publish(request.user):
        messages.error(
            request, _("This Q&A is waiting for review. Ask a supervisor to send it back to change it.")
        )
        return redirect("kb:detail", pk=pk)
    form = ArticleForm(
        request.POST or None, instance=article, user=request.user, initial={"version": article.version}
    )
    conflict = None
    if request.method == "POST" and form.is_valid():
        try:
            services.save_article(
                article=form.save(commit=False),
                user=request.user,
                expected_version=form.cleaned_data["version"],
            )
        except services.StaleEdit as error:
            conflict = Article.objects.get(pk=pk)
            form = _keep_typed_text(form, error, conflict.version)
        except services.WorkflowError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Saved."))
            return redirect("kb:detail", pk=pk)
    return render(
        request,
        "knowledgebase/staff/article_form.html",
        {"form": form, "article": article, "conflict": conflict},
    )


def _edit_revision(request: HttpRequest, article: Article) -> HttpResponse:
    """A published Q&A is changed through a pending revision; the live text stays as it is."""
    revision = _pending_revision(article) or Revision.start(article)
    if revision.status == Status.REVIEW and not can_publish(request.user):
        messages.error(
            request, _("These changes are waiting for review. Ask a supervisor to send them back first.")
        )
        return redirect("kb:detail", pk=article.pk)
    form = RevisionForm(request.POST or None, instance=revision, initial={"version": revision.version})
    conflict = None
    if request.method == "POST" and form.is_valid():
        try:
            services.save_revision(
                revision=form.save(commit=False),
                user=request.user,
                expected_version=form.cleaned_data["version"],
            )
        except services.StaleEdit as error:
            conflict = _pending_revision(article)
            form = _keep_typed_text(form, error, conflict.version if conflict else None)
        except services.WorkflowError as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request, _("Changes saved. The published text stays as it is until they are approved.")
            )
            return redirect("kb:detail", pk=article.pk)
    return render(
        request,
        "knowledgebase/staff/article_form.html",
        {"form": form, "article": article, "revision": revision, "conflict": conflict},
    )


def _keep_typed_text(form, error: Exception, current_version: int | None):
    """The form as typed, with the message, carrying the version saved meanwhile.

    Saving it again (after comparing) overwrites that version knowingly.
    """
    form.data = form.data.copy()
    form.data["version"] = current_version or ""
    form.add_error(None, str(error))
    return form


@login_required
@permission_required(EDIT, raise_exception=True)
def article_detail(request: HttpRequest, pk: int) -> HttpResponse:
    article = get_article_for_editor(request.user, pk)
    revision = _pending_revision(article)
    changes = []
    if revision is not None:
        for name, (old, new) in revision.changes().items():
            changes.append((Revision._meta.get_field(name).verbose_name, inline_diff(old, new)))
    return render(
        request,
        "knowledgebase/staff/article_detail.html",
        {
            "article": article,
            "revision": revision,
            "changes": changes,
            "answer_html": render_answer(article.answer),
            "events": events_for(article)[:20],
            "can_publish": can_publish(request.user),
            "note_form": NoteForm(),
            "send_back_form": SendBackForm(),
            "publish_form": PublishForm(),
            "withdraw_form": WithdrawForm(),
            "translate_form": TranslateForm(),
            "translations": article.translations.order_by("language") if article.language == "ja" else [],
            "votes": article.feedback.aggregate(
                yes=Count("pk", filter=Q(helpful=True)), no=Count("pk", filter=Q(helpful=False))
            ),
            "comments": article.feedback.exclude(comment="")[:10],
            "views": article.daily_views.filter(
                day__gt=timezone.localdate() - timedelta(days=MOST_VIEWED_DAYS)
            ).aggregate(total=Sum("views"))["total"]
            or 0,
        },
    )


def _act(
    request: HttpRequest, article: Article, form, action: Callable[[dict], object], done: str
) -> HttpResponse:
    """Run one state change from a POSTed form; report what happened; back to the Q&A."""
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect("kb:detail", pk=article.pk)
    try:
        action(form.cleaned_data)
    except services.WorkflowError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, done)
    return redirect("kb:detail", pk=article.pk)


def _under_review(article: Article) -> Article | Revision:
    """What a review acts on: the pending revision of a published Q&A, else the Q&A."""
    return (_pending_revision(article) if article.status == Status.PUBLISHED else None) or article


@require_POST
@login_required
@permission_required(EDIT, raise_exception=True)
def article_submit(request: HttpRequest, pk: int) -> HttpResponse:
    article = get_article_for_editor(request.user, pk)
    return _act(
        request,
        article,
        NoteForm(request.POST),
        lambda data: services.submit_for_review(
            subject=_under_review(article), user=request.user, note=data["note"]
        ),
        _("Submitted for review. A supervisor will publish it or send it back."),
    )


@require_POST
@login_required
@permission_required(PUBLISH, raise_exception=True)
def article_send_back(request: HttpRequest, pk: int) -> HttpResponse:
    article = get_article_for_editor(request.user, pk)
    return _act(
        request,
        article,
        SendBackForm(request.POST),
        lambda data: services.send_back(
            subject=_under_review(article), user=request.user, comment=data["comment"]
        ),
        _("Sent back to the department with your comment."),
    )


@require_POST
@login_required
@permission_required(PUBLISH, raise_exception=True)
def article_publish(request: HttpRequest, pk: int) -> HttpResponse:
    article = get_article_for_editor(request.user, pk)
    subject = _under_review(article)

    def publish(data: dict) -> None:
        if isinstance(subject, Revision):
            services.approve_revision(revision=subject, user=request.user)
        else:
            services.publish_article(article=subject, user=request.user, at=data["at"])

    return _act(
        request, article, PublishForm(request.POST), publish, _("Published. It is searchable within seconds.")
    )


@require_POST
@login_required
@permission_required(PUBLISH, raise_exception=True)
def article_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    article = get_article_for_editor(request.user, pk)
    return _act(
        request,
        article,
        WithdrawForm(request.POST),
        lambda data: services.withdraw_article(article=article, user=request.user, reason=data["reason"]),
        _("Withdrawn. It has left the public FAQ and search."),
    )


@login_required
@permission_required(PUBLISH, raise_exception=True)
def review_queue(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "knowledgebase/staff/review_queue.html",
        {
            "articles": Article.objects.filter(status=Status.REVIEW)
            .select_related("department")
            .order_by("updated_at"),
            "revisions": Revision.objects.filter(status=Status.REVIEW)
            .select_related("article__department")
            .order_by("updated_at"),
        },
    )


@login_required
@permission_required(EDIT, raise_exception=True)
def article_history(request: HttpRequest, pk: int) -> HttpResponse:
    """Every saved version; the difference between any two (?a=&b=, history ids)."""
    article = get_article_for_editor(request.user, pk)
    versions = list(article.history.select_related("history_user").order_by("-history_date"))
    form = CompareForm(request.GET or None, choices=[(v.history_id, v.version) for v in versions])
    changes = []
    if form.is_bound and form.is_valid():
        by_id = {v.history_id: v for v in versions}
        older, newer = sorted(
            (by_id[form.cleaned_data["a"]], by_id[form.cleaned_data["b"]]), key=lambda v: v.history_date
        )
        for name in REVISED_FIELDS:
            attribute = "category_id" if name == "category" else name
            before, after = getattr(older, attribute), getattr(newer, attribute)
            if before != after:
                if name == "category":
                    before, after = older.category, newer.category
                changes.append((Article._meta.get_field(name).verbose_name, inline_diff(before, after)))
    return render(
        request,
        "knowledgebase/staff/article_history.html",
        {
            "article": article,
            "versions": versions,
            "form": form,
            "compared": form.is_bound and form.is_valid(),
            "changes": changes,
            "can_publish": can_publish(request.user),
        },
    )


@require_POST
@login_required
@permission_required(PUBLISH, raise_exception=True)
def article_restore(request: HttpRequest, pk: int) -> HttpResponse:
    article = get_article_for_editor(request.user, pk)
    return _act(
        request,
        article,
        RestoreForm(request.POST),
        lambda data: services.restore_version(
            article=article, history_id=data["history_id"], user=request.user
        ),
        _("The earlier text is back, as a new version."),
    )


@login_required
@permission_required("knowledgebase.change_synonym", raise_exception=True)
def synonym_list(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    """The synonym dictionary, with a form to add one or change the one chosen (?pk)."""
    editing = get_object_or_404(Synonym, pk=pk) if pk else None
    form = SynonymForm(request.POST or None, instance=editing)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Saved. Search uses it from now on."))
        return redirect("kb:synonyms")
    return render(
        request,
        "knowledgebase/staff/synonym_list.html",
        {"form": form, "editing": editing, "synonyms": Synonym.objects.order_by("term")},
    )


@require_POST
@login_required
@permission_required("knowledgebase.delete_synonym", raise_exception=True)
def synonym_delete(request: HttpRequest, pk: int) -> HttpResponse:
    synonym = get_object_or_404(Synonym, pk=pk)
    synonym.delete()
    messages.success(request, _("Deleted “%(term)s”.") % {"term": synonym.term})
    return redirect("kb:synonyms")


@login_required
@permission_required(EDIT, raise_exception=True)
def article_export(request: HttpRequest) -> HttpResponse:
    """The editors' list, with its filters, as CSV for a spreadsheet."""
    form = ArticleFilterForm(request.GET)
    articles = form.filter(editable_articles(request.user)).order_by("pk")
    header = [
        _("ID"),
        _("External ID"),
        _("Question"),
        _("Status"),
        _("Language"),
        _("Department"),
        _("Category"),
        _("Next review"),
        _("Updated"),
    ]
    rows = (
        [
            article.pk,
            article.external_id,
            article.question,
            article.get_status_display(),
            article.get_language_display(),
            article.department or "",
            article.category.path() if article.category else "",
            article.next_review or "",
            timezone.localtime(article.updated_at).strftime("%Y-%m-%d %H:%M"),
        ]
        for article in articles.iterator(chunk_size=500)
    )
    return csv_response(f"qa-{timezone.localdate():%Y%m%d}.csv", header, rows)


@require_POST
@login_required
@permission_required(EDIT, raise_exception=True)
def article_translate(request: HttpRequest, pk: int) -> HttpResponse:
    """Start (or open) the translation of a Japanese Q&A into another language."""
    source = get_article_for_editor(request.user, pk)
    form = TranslateForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a language for the translation."))
        return redirect("kb:detail", pk=pk)
    try:
        translation = services.start_translation(
            source=source, language=form.cleaned_data["language"], user=request.user
        )
    except services.WorkflowError as error:
        messages.error(request, str(error))
        return redirect("kb:detail", pk=pk)
    messages.success(request, _("Translate the text below, then save and submit it for review."))
    return redirect("kb:edit", pk=translation.pk)


@require_POST
@login_required
@permission_required("knowledgebase.add_flag", raise_exception=True)
def article_flag(request: HttpRequest, pk: int) -> HttpResponse:
    """From a search result: report that a Q&A is wrong or outdated, then back where one was."""
    article = get_article_to_flag(request.user, pk)
    form = FlagForm(request.POST)
    target = form.data.get("next", "")
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        target = reverse("accounts:home")
    if not form.is_valid():
        messages.error(request, _("Say in a line what is wrong."))
        return redirect(target)
    services.flag_article(article=article, user=request.user, reason=form.cleaned_data["reason"])
    messages.success(request, _("Thank you. The department in charge will check it."))
    return redirect(target)


@login_required
@permission_required("knowledgebase.change_flag", raise_exception=True)
def flag_list(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "knowledgebase/staff/flag_list.html",
        {"flags": open_flags(request.user).order_by("raised_at"), "form": ResolveFlagForm()},
    )


@require_POST
@login_required
@permission_required("knowledgebase.change_flag", raise_exception=True)
def flag_resolve(request: HttpRequest, pk: int) -> HttpResponse:
    flag = get_flag_for_resolver(request.user, pk)
    form = ResolveFlagForm(request.POST)
    if form.is_valid():
        services.resolve_flag(flag=flag, user=request.user, resolution=form.cleaned_data["resolution"])
        messages.success(request, _("Marked as resolved."))
    else:
        messages.error(request, _("Say what was done about it."))
    return redirect("kb:flags")


@login_required
@permission_required(EDIT, raise_exception=True)
def article_preview(request: HttpRequest, pk: int) -> HttpResponse:
    """The Q&A (or, with ?revision, its pending changes) exactly as the public page shows it."""
    article = get_article_for_editor(request.user, pk)
    revision = _pending_revision(article) if "revision" in request.GET else None
    if revision is not None:
        for name in REVISED_FIELDS:
            setattr(article, name, getattr(revision, name))
    with translation.override(article.language):
        response = render(
            request,
            "knowledgebase/article_detail.html",
            {"article": article, "answer_html": render_answer(article.answer), "preview": True},
        )
    response["X-Robots-Tag"] = "noindex"
    return response


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
            form.cleaned_data["q"], language=language, audience=Audience.INTERNAL, limit=STAFF_RESULTS
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
