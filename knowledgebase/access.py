"""Who may edit which Q&A: the one way editorial views load Q&As (others are 404)."""

from __future__ import annotations

from django.http import Http404

from contactcenter.accounts.models import User
from knowledgebase.models import Article, ArticleQuerySet, Flag, Revision


def can_publish(user: User) -> bool:
    return user.has_perm("knowledgebase.publish_article")


def editable_articles(user: User) -> ArticleQuerySet:
    """Supervisors edit every Q&A; a department editor only their own department's."""
    articles = Article.objects.select_related("department", "category__parent", "translation_of")
    if not user.is_authenticated or not user.has_perm("knowledgebase.change_article"):
        return articles.none()
    if can_publish(user):
        return articles
    if user.department_id is None:
        return articles.none()
    return articles.filter(department_id=user.department_id)


def get_article_for_editor(user: User, pk: int) -> Article:
    """The Q&A if this person may edit it; 404 otherwise (no hint that it exists)."""
    article = editable_articles(user).filter(pk=pk).first()
    if article is None:
        raise Http404
    return article


def get_article_to_flag(user: User, pk: int) -> Article:
    """A live Q&A (what operators answer from) that this person may flag; 404 otherwise."""
    article = (
        Article.objects.live().filter(pk=pk).first() if user.has_perm("knowledgebase.add_flag") else None
    )
    if article is None:
        raise Http404
    return article


def open_flags(user: User):
    """Unresolved flags this person resolves: supervisors all, a department its own Q&As'."""
    flags = Flag.objects.filter(resolved_at__isnull=True).select_related("article__department", "raised_by")
    if not user.has_perm("knowledgebase.change_flag"):
        return flags.none()
    if can_publish(user):
        return flags
    return flags.filter(article__department_id=user.department_id) if user.department_id else flags.none()


def get_flag_for_resolver(user: User, pk: int) -> Flag:
    flag = open_flags(user).filter(pk=pk).first()
    if flag is None:
        raise Http404
    return flag


def pending_revision(article: Article) -> Revision | None:
    """The changes waiting to replace a published Q&A's text, if any (one at a time)."""
    return Revision.objects.filter(article=article).first()


def can_discard_revision(user: User, revision: Revision) -> bool:
    """The editor who started a pending revision, or any supervisor, may throw it away."""
    return can_publish(user) or (user.pk is not None and revision.created_by_id == user.pk)
