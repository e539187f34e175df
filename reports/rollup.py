"""The daily rollup the dashboards read (reports.models.DailyFigures).

A fiscal year holds about half a million inquiries; counting them again for every figure of a
page takes seconds. The rollup counts each day once along each dimension (a few hundred rows a
day), and `refresh` recounts only the days whose inquiries changed since it last ran (found
through `Inquiry.updated_at`, which every save sets). The dashboards call it before reading, so
what they show is never older than the request; it costs one indexed query when nothing changed.

First-contact resolution is counted with the inquiries app's own definition (FCR_RESOLVED,
FCR_PASSED_ON); nothing here re-states it.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta

from django.db import transaction
from django.db.models import (
    CharField,
    Count,
    DurationField,
    Exists,
    ExpressionWrapper,
    F,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Cast, Coalesce, Concat, ExtractHour, TruncDate
from django.utils import timezone

from inquiries.models import (
    FCR_PASSED_ON,
    FCR_RESOLVED,
    SPOKEN_CHANNELS,
    WRITTEN_CHANNELS,
    Inquiry,
    InquiryArticle,
    Outcome,
    Reply,
    local_days,
)
from reports.models import DailyFigures, RollupState

# A transaction that saved an inquiry just before a refresh read the changes may commit just
# after it: each refresh looks this far behind its last run, so such a change is still seen.
LOOK_BEHIND = timedelta(minutes=2)
# Days recounted one range query at a time; more changed days than this are recounted with one
# query over the span between the first and the last.
DAYS_ONE_BY_ONE = 31


def _key(expression) -> Cast:
    return Cast(expression, output_field=CharField())


DIMENSIONS = {
    "all": Value(""),
    "channel": F("channel"),
    "kind": F("kind"),
    "language": F("language"),
    "category": _key(Coalesce(F("category__parent_id"), F("category_id"))),
    "operator": _key(F("operator_id")),
    "age_gender": Concat(F("age_band"), Value("|"), F("gender"), output_field=CharField()),
    "caller_type": F("caller_type"),
    "hour": _key(ExtractHour("received_at", tzinfo=timezone.get_default_timezone())),
}

SPOKEN_AND_ENDED = Q(channel__in=SPOKEN_CHANNELS, ended_at__isnull=False) & ~Q(outcome=Outcome.ABANDONED)


def _figures() -> dict:
    span = ExpressionWrapper(F("ended_at") - F("received_at"), output_field=DurationField())
    return {
        "total": Count("pk"),
        "resolved": Count("pk", filter=Q(outcome__in=FCR_RESOLVED)),
        "passed_on": Count("pk", filter=Q(outcome__in=FCR_PASSED_ON)),
        "still_open": Count("pk", filter=Q(outcome="")),
        "abandoned": Count("pk", filter=Q(outcome=Outcome.ABANDONED)),
        "out_of_hours": Count("pk", filter=Q(out_of_hours=True)),
        **{f"score_{score}": Count("pk", filter=Q(satisfaction=score)) for score in range(1, 6)},
        "declined": Count("pk", filter=Q(survey_declined=True)),
        "handled": Count("pk", filter=SPOKEN_AND_ENDED),
        "handling": Sum(span, filter=SPOKEN_AND_ENDED),
    }


def _answer_figures() -> dict:
    """Time to the first written reply: only for the channel rows (a subquery per inquiry)."""
    span = ExpressionWrapper(F("first_reply") - F("received_at"), output_field=DurationField())
    answered = Q(channel__in=WRITTEN_CHANNELS, first_reply__isnull=False)
    return {"answered": Count("pk", filter=answered), "answering": Sum(span, filter=answered)}


def _count(inquiries: QuerySet[Inquiry]) -> list[DailyFigures]:
    zone = timezone.get_default_timezone()
    first_reply = Subquery(
        Reply.objects.filter(inquiry=OuterRef("pk")).order_by("sent_at").values("sent_at")[:1]
    )
    rows = []
    for dimension, expression in DIMENSIONS.items():
        grouped = inquiries.order_by()
        figures = _figures()
        if dimension == "channel":
            grouped = grouped.annotate(first_reply=first_reply)
            figures.update(_answer_figures())
        if dimension == "category":
            grouped = grouped.annotate(used_qa=Exists(InquiryArticle.objects.filter(inquiry=OuterRef("pk"))))
            figures["resolved_without_qa"] = Count("pk", filter=Q(outcome__in=FCR_RESOLVED, used_qa=False))
        grouped = (
            grouped.annotate(day=TruncDate("received_at", tzinfo=zone), key=expression)
            .values("day", "key")
            .annotate(**figures)
        )
        for row in grouped:
            handling = row.pop("handling")
            answering = row.pop("answering", None)
            rows.append(
                DailyFigures(
                    dimension=dimension,
                    key=row.pop("key") or "",
                    handling_seconds=handling.total_seconds() if handling else 0.0,
                    answer_seconds=answering.total_seconds() if answering else 0.0,
                    **row,
                )
            )
    return rows


def _in_days(days: Iterable[date]) -> Q:
    condition = Q(pk__in=[])
    for day in days:
        start, end = local_days(day, day)
        condition |= Q(received_at__gte=start, received_at__lt=end)
    return condition


def recount(days: set[date] | None = None) -> int:
    """Count the given days again (None: every day); returns the rows written."""
    if days is None:
        DailyFigures.objects.all().delete()
        rows = _count(Inquiry.objects.all())
    else:
        if not days:
            return 0
        DailyFigures.objects.filter(day__in=days).delete()
        if len(days) <= DAYS_ONE_BY_ONE:
            inquiries = Inquiry.objects.filter(_in_days(days))
        else:
            start, end = local_days(min(days), max(days))
            inquiries = Inquiry.objects.filter(received_at__gte=start, received_at__lt=end)
        rows = [row for row in _count(inquiries) if row.day in days]
    DailyFigures.objects.bulk_create(rows, batch_size=2000)
    return len(rows)


def changed_days(since) -> set[date]:
    """The days of the inquiries changed since `since`, and every day they were ever received
    on (a corrected time of receipt moves an inquiry from one day to another: both are recounted)."""
    zone = timezone.get_default_timezone()
    changed = Inquiry.objects.filter(updated_at__gte=since)
    days = set(
        changed.order_by()
        .annotate(day=TruncDate("received_at", tzinfo=zone))
        .values_list("day", flat=True)
        .distinct()
    )
    days |= set(
        Inquiry.history.filter(id__in=changed.values("pk"))
        .order_by()
        .annotate(day=TruncDate("received_at", tzinfo=zone))
        .values_list("day", flat=True)
        .distinct()
    )
    return days


@transaction.atomic
def refresh(*, everything: bool = False) -> int:
    """Bring the rollup up to date; returns the rows written. One refresh at a time (the state
    row is locked), so two requests never count the same day twice."""
    state, _created = RollupState.objects.select_for_update().get_or_create(pk=1)
    started = timezone.now()
    if everything or state.refreshed_at is None:
        written = recount(None)
    else:
        written = recount(changed_days(state.refreshed_at - LOOK_BEHIND))
    state.refreshed_at = started
    state.save(update_fields=["refreshed_at"])
    return written
