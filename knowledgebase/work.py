"""What is waiting for a person in the knowledge base: the counts on the staff home."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.db.models import CharField, Count, Exists, OuterRef, Q
from django.db.models.functions import Cast
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _

from contactcenter.accounts.models import AuditEvent, User
from knowledgebase.access import can_publish, editable_articles, open_flags
from knowledgebase.models import REVIEW_NOTICE, Article, Revision, Status


@dataclass(frozen=True)
class WorkCount:
    label: str | Promise
    count: int
    url: str


def _list(**filters: str) -> str:
    return f"{reverse('kb:list')}?{urlencode(filters)}"


def work_for(user: User) -> list[WorkCount]:
    """Drafts, sent back, waiting for review and due for review, counted in one query."""
    if not user.has_perm("knowledgebase.change_article"):
        return []
    sent_back = AuditEvent.objects.filter(
        content_type=ContentType.objects.get_for_model(Article),
        object_id=Cast(OuterRef("pk"), CharField()),
        action=AuditEvent.Action.SEND_BACK,
    )
    due_by = timezone.localdate() + REVIEW_NOTICE
    counts = (
        editable_articles(user)
        .annotate(was_sent_back=Exists(sent_back))
        .aggregate(
            drafts=Count("pk", filter=Q(status=Status.DRAFT)),
            sent_back=Count("pk", filter=Q(status=Status.DRAFT, was_sent_back=True)),
            review=Count("pk", filter=Q(status=Status.REVIEW)),
            due=Count("pk", filter=Q(next_review__lte=due_by) & ~Q(status=Status.ARCHIVED)),
        )
    )
    work = [
        WorkCount(_("Drafts"), counts["drafts"], _list(status=Status.DRAFT)),
        WorkCount(_("Sent back to you"), counts["sent_back"], _list(status=Status.DRAFT)),
        WorkCount(_("Waiting for review"), counts["review"], _list(status=Status.REVIEW)),
        WorkCount(_("Due for review"), counts["due"], _list(due="on")),
    ]
    work.append(WorkCount(_("Flags to resolve"), open_flags(user).count(), reverse("kb:flags")))
    if can_publish(user):
        waiting = counts["review"] + Revision.objects.filter(status=Status.REVIEW).count()
        work.insert(0, WorkCount(_("To review (new Q&As and changes)"), waiting, reverse("kb:review")))
    return work
