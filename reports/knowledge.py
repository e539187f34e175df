"""Where the knowledge base helps and where it is missing: one function per figure, computed in
the database over a `Period` (Asia/Tokyo days, half-open as moments), returning typed rows.

Searches are grouped by their normalised words (`SearchLog.normalized`, stored when the search
is logged, since Sudachi cannot run in SQL), so "粗大ごみの出し方" and "粗大ゴミ 出し方は？" count
as one question.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from django.db.models import Count, Exists, FloatField, Max, OuterRef, Q, QuerySet, Sum
from django.db.models.functions import Cast, Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from contactcenter.accounts.models import Department
from inquiries.models import InquiryArticle
from knowledgebase.models import Article, Category, Feedback, SearchLog
from reports.models import DailyFigures
from reports.periods import Period

# How many rows each table shows on the page; the CSV downloads give more.
PAGE_ROWS = 20
CSV_ROWS = 1000
# A "helpful" share from a handful of answers says little: rank only Q&As with this many.
MINIMUM_ANSWERS = 5


def _between(period: Period, field: str) -> Q:
    return Q(**{f"{field}__gte": period.start, f"{field}__lt": period.end})


# The Q&As operators use most


@dataclass(frozen=True)
class ArticleUse:
    article_id: int
    question: str
    uses: int  # inquiries answered with it


def most_used_articles(*, period: Period, limit: int = PAGE_ROWS) -> list[ArticleUse]:
    """The Q&As linked to the most inquiries received in the period."""
    # Grouped by the id alone, then the few questions read: grouping by the question's text
    # too would sort hundreds of thousands of long strings.
    rows = list(
        InquiryArticle.objects.filter(_between(period, "inquiry__received_at"))
        .values("article_id")
        .annotate(uses=Count("pk"))
        .order_by("-uses", "article_id")[:limit]
    )
    questions = dict(
        Article.objects.filter(pk__in=[row["article_id"] for row in rows]).values_list("pk", "question")
    )
    return [ArticleUse(row["article_id"], questions.get(row["article_id"], ""), row["uses"]) for row in rows]


# The least helpful Q&As on the public site


@dataclass(frozen=True)
class ArticleFeedback:
    article_id: int
    question: str
    answers: int
    helpful: int

    @property
    def share(self) -> float:
        """Helpful answers as a percentage of all answers."""
        return 100 * self.helpful / self.answers if self.answers else 0.0


def least_helpful_articles(
    *, period: Period, minimum: int = MINIMUM_ANSWERS, limit: int = PAGE_ROWS
) -> list[ArticleFeedback]:
    """Q&As with at least `minimum` "Was this helpful?" answers in the period, the lowest share
    of "yes" first (then the most answers: the surest signal first)."""
    rows = (
        Feedback.objects.filter(_between(period, "created_at"))
        .values("article_id", "article__question")
        .annotate(answers=Count("pk"), helpful=Count("pk", filter=Q(helpful=True)))
        .filter(answers__gte=minimum)
        .annotate(share=Cast("helpful", FloatField()) / Cast("answers", FloatField()))
        .order_by("share", "-answers", "article_id")[:limit]
    )
    return [
        ArticleFeedback(row["article_id"], row["article__question"], row["answers"], row["helpful"])
        for row in rows
    ]


# Searches that found nothing or led to no Q&A


@dataclass(frozen=True)
class UnansweredSearch:
    normalized: str  # the normalised words all these searches share
    example: str  # the most recent query as typed (masked when logged)
    searches: int
    found_nothing: int  # of which had no result at all
    public: int
    operator: int
    last_searched: datetime


def unanswered(period: Period) -> QuerySet[SearchLog]:
    """Public and operator searches of the period that found nothing, or led to no Q&A: a public
    search from which no result was opened, an operator search no inquiry's Q&A came from."""
    used = InquiryArticle.objects.filter(search=OuterRef("pk"))
    led_nowhere = (
        Q(result_count=0)
        | Q(channel=SearchLog.Channel.PUBLIC, opened_article__isnull=True)
        | Q(channel=SearchLog.Channel.OPERATOR) & ~Exists(used)
    )
    return (
        SearchLog.objects.filter(_between(period, "created_at"))
        .filter(channel__in=[SearchLog.Channel.PUBLIC, SearchLog.Channel.OPERATOR])
        .exclude(normalized="")
        .filter(led_nowhere)
    )


def unanswered_searches(*, period: Period, limit: int = PAGE_ROWS) -> list[UnansweredSearch]:
    """Those searches grouped by their normalised words, the most frequent first."""
    searches = unanswered(period)
    groups = list(
        searches.order_by()
        .values("normalized")
        .annotate(
            searches=Count("pk"),
            found_nothing=Count("pk", filter=Q(result_count=0)),
            public=Count("pk", filter=Q(channel=SearchLog.Channel.PUBLIC)),
            operator=Count("pk", filter=Q(channel=SearchLog.Channel.OPERATOR)),
            last_searched=Max("created_at"),
        )
        .order_by("-searches", "-last_searched", "normalized")[:limit]
    )
    if not groups:
        return []
    # The latest search of each group, in one query: a few more rows may share a moment, and
    # the pairs below pick the right one.
    latest = {(group["normalized"], group["last_searched"]) for group in groups}
    examples = {
        (normalized, at): query
        for normalized, at, query in searches.filter(
            normalized__in=[normalized for normalized, _at in latest],
            created_at__in=[at for _normalized, at in latest],
        )
        .order_by("pk")
        .values_list("normalized", "created_at", "query")
    }
    return [
        UnansweredSearch(
            normalized=group["normalized"],
            example=examples.get((group["normalized"], group["last_searched"]), group["normalized"]),
            searches=group["searches"],
            found_nothing=group["found_nothing"],
            public=group["public"],
            operator=group["operator"],
            last_searched=group["last_searched"],
        )
        for group in groups
    ]


# Inquiries answered without any Q&A


@dataclass(frozen=True)
class KnowledgeGap:
    category_id: int | None
    category: str
    resolved: int  # inquiries the centre resolved
    without_article: int  # of which with no Q&A used
    a_year_earlier: int  # resolved without a Q&A in the same period a year earlier

    @property
    def share(self) -> float:
        return 100 * self.without_article / self.resolved if self.resolved else 0.0


def _gaps_by_category(period: Period) -> dict[int | None, dict[str, int]]:
    """Per top-level category: this period's resolved inquiries and those without a Q&A, and
    those without a Q&A a year earlier, from the daily rollup (reports.rollup; the views
    refresh it before reading)."""
    earlier = period.a_year_earlier()
    now = Q(day__gte=period.first, day__lte=period.last)
    before = Q(day__gte=earlier.first, day__lte=earlier.last)
    rows = (
        DailyFigures.objects.filter(now | before, dimension="category")
        .values("key")
        .annotate(
            resolved=Coalesce(Sum("resolved", filter=now), 0),
            without_article=Coalesce(Sum("resolved_without_qa", filter=now), 0),
            earlier=Coalesce(Sum("resolved_without_qa", filter=before), 0),
        )
        .order_by()
    )
    return {
        (int(row["key"]) if row["key"] else None): {
            "resolved": row["resolved"],
            "without_article": row["without_article"],
            "earlier": row["earlier"],
        }
        for row in rows
    }


def knowledge_gaps(*, period: Period) -> list[KnowledgeGap]:
    """Inquiries resolved by the centre with no Q&A used, per top-level category (the answer
    came from the operator's own knowledge: a Q&A worth writing), beside a year earlier."""
    figures = _gaps_by_category(period)
    keys = [key for key, row in figures.items() if row["without_article"]]
    names = {
        category.pk: category.localized_name()
        for category in Category.objects.filter(pk__in=[key for key in keys if key is not None])
    }
    gaps = [
        KnowledgeGap(
            category_id=key,
            category=names.get(key, _("No category")),
            resolved=figures[key]["resolved"],
            without_article=figures[key]["without_article"],
            a_year_earlier=figures[key]["earlier"],
        )
        for key in keys
    ]
    return sorted(gaps, key=lambda gap: (-gap.without_article, gap.category))


# Q&As due for review


@dataclass(frozen=True)
class DepartmentReviews:
    department: Department | None
    due: int  # due for review (`ArticleQuerySet.due_for_review`), overdue ones included
    overdue: int  # of which the review date has passed

    @property
    def name(self) -> str:
        return str(self.department) if self.department else _("No department")


def reviews_due_by_department(*, today: date | None = None) -> list[DepartmentReviews]:
    """Q&As due or overdue for review now, per department, the most overdue first. A state of
    today, not of a period: review dates move on as Q&As are reviewed."""
    today = today or timezone.localdate()
    rows = list(
        Article.objects.due_for_review(today)
        .order_by()
        .values("department_id")
        .annotate(due=Count("pk"), overdue=Count("pk", filter=Q(next_review__lt=today)))
    )
    departments = Department.objects.in_bulk([row["department_id"] for row in rows if row["department_id"]])
    result = [
        DepartmentReviews(departments.get(row["department_id"]), row["due"], row["overdue"]) for row in rows
    ]
    return sorted(result, key=lambda row: (-row.overdue, -row.due, row.name))
