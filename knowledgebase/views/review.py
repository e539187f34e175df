"""Review under /kb/: submit, send back, publish or approve, withdraw, restore; the review queue."""

from collections.abc import Callable

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from knowledgebase import services
from knowledgebase.access import get_article_for_editor, pending_revision
from knowledgebase.forms import NoteForm, PublishForm, RestoreForm, SendBackForm, WithdrawForm
from knowledgebase.models import Article, Revision, Status

EDIT = "knowledgebase.change_article"
PUBLISH = "knowledgebase.publish_article"


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
    return (pending_revision(article) if article.status == Status.PUBLISHED else None) or article


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
