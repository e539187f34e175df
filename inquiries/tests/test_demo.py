"""Demo inquiries look like a real centre's two fiscal years, are added only when missing, come
out the same for the same seed and day, and hold nothing personal."""

import re
import statistics
from datetime import date, datetime, timedelta
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from django.db import connection, transaction
from django.db.models import Count, Q
from django.db.models.functions import ExtractHour, TruncMonth
from django.utils import timezone

from contactcenter.accounts.demo import demo_floor, load_demo_accounts
from contactcenter.accounts.roles import Role
from inquiries.demo import demo_inquiries, fiscal_year_start, load_demo_inquiries
from inquiries.models import (
    CallerContact,
    Channel,
    Inquiry,
    InquiryArticle,
    InquiryStatus,
    Kind,
    Outcome,
    SurveyPeriod,
    city_areas,
    is_out_of_hours,
)
from knowledgebase.demo import load_demo_knowledgebase

TOKYO = ZoneInfo("Asia/Tokyo")
NOW = datetime(2026, 11, 30, 15, 0, tzinfo=TOKYO)
COUNT = 2000


def _load(count: int, now: datetime = NOW):
    return load_demo_inquiries(
        count=count, operators=demo_floor(Role.OPERATOR), leaders=demo_floor(Role.LEADER), now=now
    )


@pytest.fixture(scope="module")
def centre(django_db_setup, django_db_blocker):
    """2,000 demo inquiries up to NOW, loaded once for the module and rolled back after it."""
    with django_db_blocker.unblock(), transaction.atomic():
        load_demo_accounts()
        load_demo_knowledgebase()
        _load(COUNT)
        yield
        transaction.set_rollback(True)


@pytest.fixture
def inquiries(centre, db):
    return Inquiry.objects.all()


def _snapshot() -> dict:
    return {
        row["form_token"]: row
        for row in demo_inquiries().values(
            "form_token", "received_at", "channel", "kind", "outcome", "summary", "operator", "category"
        )
    }


def test_the_demo_spans_last_fiscal_year_and_this_one_to_date(inquiries):
    first = timezone.localtime(inquiries.order_by("received_at").first().received_at)
    last = inquiries.order_by("-received_at").first().received_at
    assert inquiries.count() == COUNT
    assert first.date() - date(2025, 4, 1) < timedelta(days=3)
    assert NOW - timedelta(days=4) < last <= NOW
    assert fiscal_year_start(date(2026, 3, 31)) == date(2025, 4, 1)
    assert fiscal_year_start(date(2026, 4, 1)) == date(2026, 4, 1)


def test_about_nine_in_ten_inquiries_are_resolved_at_first_contact(inquiries):
    assert 0.85 <= inquiries.first_contact_resolution().rate <= 0.95


def test_questions_are_answered_by_the_centre_and_complaints_mostly_escalated(inquiries):
    complaints = inquiries.filter(kind=Kind.COMPLAINT)
    assert inquiries.filter(kind=Kind.QUESTION).first_contact_resolution().rate > 0.9
    assert complaints.first_contact_resolution().rate < 0.3
    assert complaints.filter(outcome=Outcome.ESCALATED).count() > complaints.count() / 2


def test_a_few_percent_of_calls_are_abandoned_and_count_for_nothing(inquiries):
    abandoned = inquiries.filter(outcome=Outcome.ABANDONED)
    assert 0.01 < abandoned.count() / inquiries.filter(channel=Channel.PHONE).count() < 0.06
    assert not abandoned.exclude(channel=Channel.PHONE).exists()
    assert not abandoned.filter(article_links__isnull=False).exists()


def test_phone_is_the_biggest_channel_by_far(inquiries):
    shares = {row["channel"]: row["n"] / COUNT for row in inquiries.values("channel").annotate(n=Count("pk"))}
    assert 0.75 < shares[Channel.PHONE] < 0.85
    assert set(shares) == set(Channel)
    assert max(shares, key=shares.get) == Channel.PHONE


def test_march_april_and_june_are_busier_than_the_average_month(inquiries):
    days = [date(2025, 4, 1) + timedelta(days=n) for n in range((NOW.date() - date(2025, 4, 1)).days + 1)]
    per_day = {}  # inquiries per day in each month of the year, both fiscal years together
    for row in inquiries.annotate(month=TruncMonth("received_at")).values("month").annotate(n=Count("pk")):
        month = timezone.localtime(row["month"]).month
        per_day[month] = per_day.get(month, 0) + row["n"] / sum(day.month == month for day in days)
    average = statistics.mean(per_day.values())
    assert len(per_day) == 12
    assert per_day[3] > average and per_day[4] > average and per_day[6] > average
    assert per_day[4] > per_day[8] * 1.4


def test_calls_come_between_eight_and_nine_with_a_few_e_mails_out_of_hours(inquiries):
    by_hour = dict(
        inquiries.annotate(hour=ExtractHour("received_at")).values_list("hour").annotate(Count("pk"))
    )
    daytime = sum(n for hour, n in by_hour.items() if 8 <= hour < 21)
    assert daytime / COUNT > 0.9
    assert by_hour[12] >= max(by_hour[hour] for hour in (8, 15, 16, 17, 18, 19, 20))  # lunchtime
    out_of_hours = inquiries.filter(out_of_hours=True)
    assert 0 < out_of_hours.count() < COUNT * 0.1
    assert not out_of_hours.filter(channel__in=[Channel.PHONE, Channel.VISIT]).exists()


def test_out_of_hours_follows_the_centres_hours(inquiries):
    for received_at, out_of_hours in inquiries.values_list("received_at", "out_of_hours"):
        assert out_of_hours == is_out_of_hours(received_at)


def test_scores_are_given_only_on_survey_days_and_average_about_four_point_seven(inquiries):
    periods = list(SurveyPeriod.objects.values_list("first_day", "last_day"))
    scored = inquiries.filter(satisfaction__isnull=False)
    assert len(periods) == 6
    assert all(last - first == timedelta(days=6) for first, last in periods)
    assert {first.month for first, _last in periods} == {2, 6, 10}
    for received_at in scored.values_list("received_at", flat=True):
        day = timezone.localdate(received_at)
        assert any(first <= day <= last for first, last in periods)
    assert scored.count() >= 30
    assert 4.5 <= statistics.mean(scored.values_list("satisfaction", flat=True)) <= 4.9
    assert inquiries.filter(survey_declined=True).exists()
    assert not scored.exclude(channel=Channel.PHONE).exists()


def test_most_questions_cite_a_qa_and_take_its_topic(inquiries):
    questions = inquiries.filter(kind=Kind.QUESTION).exclude(outcome=Outcome.ABANDONED)
    cited = questions.filter(article_links__isnull=False).distinct()
    assert cited.count() / questions.count() > 0.8
    firsts = InquiryArticle.objects.filter(position=0).values_list("inquiry__category", "article__category")
    assert all(inquiry == article for inquiry, article in firsts)
    uses = sorted(
        InquiryArticle.objects.values("article").annotate(n=Count("pk")).values_list("n", flat=True)
    )
    assert uses[-1] > 10 * uses[len(uses) // 2]  # a few Q&As are used far more than most
    assert not InquiryArticle.objects.exclude(position__in=[0, 1, 2]).exists()


def test_callers_lean_to_their_sixties_and_seventies(inquiries):
    ages = dict(inquiries.exclude(age_band="unknown").values_list("age_band").annotate(Count("pk")))
    assert ages["60s"] + ages["70s"] > 0.3 * sum(ages.values())
    assert ages["70s"] > ages["20s"] * 2
    areas = set(inquiries.values_list("area", flat=True))
    assert areas <= {code for code, _name in city_areas()} and len(areas) > 5


def test_phone_calls_take_a_few_minutes_with_a_long_tail(inquiries):
    calls = inquiries.filter(channel=Channel.PHONE).exclude(outcome=Outcome.ABANDONED)
    minutes = sorted(
        (ended - received).total_seconds() / 60
        for received, ended in calls.values_list("received_at", "ended_at")
    )
    assert 3 <= statistics.median(minutes) <= 6
    assert minutes[int(len(minutes) * 0.05)] >= 1.5 and minutes[int(len(minutes) * 0.95)] <= 15
    assert minutes[-1] > 15


def test_only_recent_inquiries_are_still_open_or_waiting(inquiries):
    not_closed = inquiries.exclude(status=InquiryStatus.CLOSED)
    assert not not_closed.filter(received_at__lt=NOW - timedelta(days=11)).exists()
    assert (
        not inquiries.filter(outcome="")
        .exclude(
            Q(channel__in=[Channel.EMAIL, Channel.WEB], operator=None, status=InquiryStatus.OPEN)
            | Q(channel=Channel.PHONE, callback_needed=True, status=InquiryStatus.WAITING)
        )
        .exists()
    )


def test_demo_inquiries_hold_nothing_personal_and_no_history(inquiries):
    # Phone numbers, e-mail and postal addresses, names with an honorific.
    personal = re.compile(
        r"\d{2,4}-\d{2,4}-\d{3,4}|@|〒|\d{3}-\d{4}|様(?![式子々])"
    )  # 様 after a name, not 様式 (a form)
    for summary in inquiries.values_list("summary", flat=True):
        assert not personal.search(summary), summary
    assert not inquiries.filter(summary="").exclude(outcome__in=[Outcome.ABANDONED]).exists()
    assert not CallerContact.objects.exists()
    assert not Inquiry.history.exists()


def test_loading_again_adds_only_the_missing_inquiries_and_keeps_the_others(inquiries, settings):
    settings.DEBUG = True
    before = _snapshot()
    call_command("load_demo_data", inquiries=COUNT, stdout=StringIO())
    assert _snapshot() == before
    call_command("load_demo_data", "--inquiries", str(COUNT + 150), stdout=StringIO())
    after = _snapshot()
    assert len(after) == COUNT + 150 and all(after[token] == row for token, row in before.items())
    assert SurveyPeriod.objects.values("name").annotate(n=Count("pk")).filter(n__gt=1).count() == 0


def _forget_demo_inquiries() -> None:
    """Straight in SQL: the ORM would delete (and write history for) one row at a time."""
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM inquiries_inquiryarticle")
        cursor.execute("DELETE FROM inquiries_inquiry")


def test_the_same_seed_and_day_give_the_same_inquiries_however_they_are_added(inquiries):
    _forget_demo_inquiries()
    _load(700)
    _load(1500)
    in_two_steps = _snapshot()
    _forget_demo_inquiries()
    _load(1500)
    assert _snapshot() == in_two_steps


def test_inquiries_others_logged_are_left_alone(inquiries, operator):
    mine = Inquiry.objects.create(operator=operator, summary="粗大ごみの出し方", outcome=Outcome.RESOLVED)
    assert _load(COUNT).added == 0
    assert Inquiry.objects.filter(pk=mine.pk).exists()


def test_every_escalated_demo_inquiry_has_its_department_and_old_ones_are_answered(inquiries):
    from inquiries.demo_written import add_demo_escalations
    from inquiries.models import Escalation, EscalationStatus

    add_demo_escalations(now=NOW)
    escalated = inquiries.filter(outcome=Outcome.ESCALATED)
    assert escalated.exists()
    assert not escalated.filter(escalations__isnull=True).exists()
    old = Escalation.objects.filter(created_at__lt=NOW - timedelta(days=30))
    assert not old.filter(status=EscalationStatus.WAITING).exists()
    assert not Escalation.objects.filter(
        status=EscalationStatus.WAITING, inquiry__status=InquiryStatus.CLOSED
    ).exists()
    assert add_demo_escalations(now=NOW) == 0


def test_the_demo_queue_has_a_web_message_and_a_fax_once(inquiries):
    from inquiries.demo_written import add_demo_queue

    before = Inquiry.objects.unassigned_queue().count()
    assert add_demo_queue(now=NOW) == 3
    queue = Inquiry.objects.unassigned_queue()
    assert queue.count() == before + 3
    fax = queue.get(channel=Channel.FAX, contact__fax="011-555-0199")
    assert fax.attachments.get().preview
    assert add_demo_queue(now=NOW) == 0
