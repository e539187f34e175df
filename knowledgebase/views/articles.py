"""The editors' own pages under /kb/: the list, writing and editing Q&As and their revisions,
history, translations, preview and export."""

from datetime import timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.paginator import Paginator
from django.db.models import Count, Q, Sum
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from contactcenter.accounts.audit import events_for
from contactcenter.lib.spreadsheet import csv_response
from knowledgebase import services
from knowledgebase.access import (
    can_discard_revision,
    can_publish,
    editable_articles,
    get_article_for_editor,
    pending_revision,
)
from knowledgebase.diff import inline_diff
from knowledgebase.forms import (
    ArticleFilterForm,
    ArticleForm,
    CompareForm,
    NoteForm,
    PublishForm,
    RevisionForm,
    SendBackForm,
    TranslateForm,
    WithdrawForm,
)
from knowledgebase.models import REVIEW_NOTICE, REVISED_FIELDS, Article, Revision, Status
from knowledgebase.popularity import MOST_VIEWED_DAYS
from knowledgebase.rendering import render_answer
from knowledgebase.views.review import EDIT

PAGE_SIZE = 25
QUESTION_LENGTH = Article._meta.get_field("question").max_length


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
    # ?question=… starts the draft from a question citizens asked (the reports' searches that
    # found nothing); the editor still checks and saves it.
    initial = {"question": " ".join(request.GET.get("question", "").split())[:QUESTION_LENGTH]}
    form = ArticleForm(request.POST or None, user=request.user, initial=initial)
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
    """A published Q&A is changed through a pending revision; the live text stays as it is.

    Saving takes the live version on screen as the revision's base, which is how an editor
    brings a revision up to date after the published text changed underneath it.
    """
    revision = pending_revision(article) or Revision.start(article)
    if revision.status == Status.REVIEW and not can_publish(request.user):
        messages.error(
            request, _("These changes are waiting for review. Ask a supervisor to send them back first.")
        )
        return redirect("kb:detail", pk=article.pk)
    form = RevisionForm(
        request.POST or None,
        instance=revision,
        initial={"version": revision.version, "live_version": article.version},
    )
    conflict = None
    if request.method == "POST" and form.is_valid():
        try:
            services.save_revision(
                revision=form.save(commit=False),
                user=request.user,
                expected_version=form.cleaned_data["version"],
                seen_live_version=form.cleaned_data["live_version"],
            )
        except services.StaleEdit as error:
            conflict = pending_revision(article)
            form = _keep_typed_text(form, error, conflict.version if conflict else None)
        except services.LiveTextChanged as error:
            form = _keep_typed_text(form, error, form.cleaned_data["version"])
            form.data["live_version"] = Article.objects.values_list("version", flat=True).get(pk=article.pk)
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
        {
            "form": form,
            "article": article,
            "revision": revision,
            "conflict": conflict,
            "live_changed": revision.pk is not None and revision.base_version != article.version,
        },
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
    revision = pending_revision(article)
    changes = _changed_fields(article, revision) if revision is not None else []
    return render(
        request,
        "knowledgebase/staff/article_detail.html",
        {
            "article": article,
            "revision": revision,
            "changes": changes,
            "live_changed": revision is not None and revision.base_version != article.version,
            "can_discard": revision is not None and can_discard_revision(request.user, revision),
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
        changes = _changed_fields(older, newer)
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


@login_required
@permission_required(EDIT, raise_exception=True)
def article_export(request: HttpRequest) -> HttpResponse:
    """The editors' list, with its filters, as CSV for a spreadsheet."""
    form = ArticleFilterForm(request.GET)
    articles = form.filter(editable_articles(request.user)).order_by("pk")
    services.record_export(user=request.user, filters=form.describe())
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


@login_required
@permission_required(EDIT, raise_exception=True)
def article_preview(request: HttpRequest, pk: int) -> HttpResponse:
    """The Q&A (or, with ?revision, its pending changes) exactly as the public page shows it."""
    article = get_article_for_editor(request.user, pk)
    revision = pending_revision(article) if "revision" in request.GET else None
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


def _live_changes(article: Article, since_version: int) -> list[tuple[str, str]] | None:
    """(field, inline diff) for each field of the published text changed since `since_version`;
    None when that version is no longer in the history."""
    then = article.history.filter(version=since_version).order_by("-history_date").first()
    if then is None:
        return None
    return _changed_fields(then, article)


def _changed_fields(older: object, newer: object) -> list[tuple[str, str]]:
    """(field, inline diff) for each text field that differs between two versions of a Q&A
    (history rows or the Q&A itself)."""
    changes = []
    for name in REVISED_FIELDS:
        attribute = "category_id" if name == "category" else name
        if getattr(older, attribute) != getattr(newer, attribute):
            before, after = getattr(older, name), getattr(newer, name)
            changes.append((Article._meta.get_field(name).verbose_name, inline_diff(before, after)))
    return changes


@login_required
@permission_required(EDIT, raise_exception=True)
def revision_live_changes(request: HttpRequest, pk: int) -> HttpResponse:
    """What changed in the published text since a pending revision was started (or last saved)."""
    article = get_article_for_editor(request.user, pk)
    revision = pending_revision(article)
    if revision is None:
        messages.info(request, _("There are no pending changes to this Q&A."))
        return redirect("kb:detail", pk=pk)
    return render(
        request,
        "knowledgebase/staff/revision_live_changes.html",
        {
            "article": article,
            "revision": revision,
            "changes": _live_changes(article, revision.base_version),
        },
    )


@require_POST
@login_required
@permission_required(EDIT, raise_exception=True)
def revision_discard(request: HttpRequest, pk: int) -> HttpResponse:
    article = get_article_for_editor(request.user, pk)
    revision = pending_revision(article)
    if revision is None:
        messages.info(request, _("There are no pending changes to this Q&A."))
        return redirect("kb:detail", pk=pk)
    try:
        services.discard_revision(revision=revision, user=request.user)
    except services.WorkflowError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("The pending changes were discarded. The published text is unchanged."))
    return redirect("kb:detail", pk=pk)
