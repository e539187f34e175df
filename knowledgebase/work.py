"""What the knowledge base offers the staff home and menu: its pages, and the counts of what
is waiting for a person."""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.db.models import CharField, Count, Exists, OuterRef, Q
from django.db.models.functions import Cast
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _

from contactcenter.accounts.models import AuditEvent, User
from contactcenter.lib.staff_home import StaffLink, WorkCount, visible_links
from knowledgebase import audit
from knowledgebase.access import can_publish, editable_articles, open_flags
from knowledgebase.models import REVIEW_NOTICE, Article, Revision, Status

LINKS = [
    StaffLink(
        _("Search the Q&As"),
        _("Every live Q&A, internal ones and phone scripts included; report one that is wrong."),
        "kb:search",
        permission="knowledgebase.view_article",
    ),
    StaffLink(
        _("Q&As"),
        _("Write and update your Q&As, submit them for review, see what was sent back."),
        "kb:list",
        permission="knowledgebase.change_article",
    ),
    StaffLink(
        _("Review queue"),
        _("Q&As and changes waiting for review: publish them or send them back."),
        "kb:review",
        permission="knowledgebase.publish_article",
    ),
    StaffLink(
        _("Flags from the front line"),
        _("Q&As operators reported as wrong or outdated: fix them and say what was done."),
        "kb:flags",
        permission="knowledgebase.change_flag",
    ),
    StaffLink(
        _("Synonyms"),
        _("Words citizens use for the city's terms: search finds both, at once."),
        "kb:synonyms",
        permission="knowledgebase.change_synonym",
    ),
    StaffLink(
        _("Site notices"),
        _("Post a notice on every public page: a disaster, an outage, holiday hours."),
        "kb:notices",
        permission="knowledgebase.change_sitenotice",
    ),
]


def links_for(user: User) -> list[StaffLink]:
    return visible_links(LINKS, user)


def _list(**filters: str) -> str:
    return f"{reverse('kb:list')}?{urlencode(filters)}"


def work_for(user: User) -> list[WorkCount]:
    """Drafts, sent back, waiting for review and due for review, counted in one query."""
    if not user.has_perm("knowledgebase.change_article"):
        return []
    sent_back = AuditEvent.objects.filter(
        content_type=ContentType.objects.get_for_model(Article),
        object_id=Cast(OuterRef("pk"), CharField()),
        action=audit.SEND_BACK,
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
