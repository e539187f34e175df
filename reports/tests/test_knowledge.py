"""The knowledge figures on hand-built data whose right answer is known (period edges in
Asia/Tokyo included), and the knowledge page: who may see it, its downloads, its empty
states and its pinned query count."""

import importlib
from datetime import date, datetime, timedelta

import pytest
from django.apps import apps as django_apps
from django.urls import reverse
from django.utils import timezone

from conftest import client_for
from contactcenter.accounts.tests.factories import DepartmentFactory
from inquiries.models import Inquiry, InquiryStatus, Outcome
from inquiries.tests.factories import InquiryArticleFactory, InquiryFactory
from knowledgebase.models import Feedback, SearchLog, Status
from knowledgebase.services import log_search
from knowledgebase.tests.factories import ArticleFactory, CategoryFactory
from reports import knowledge
from reports.models import RollupState
from reports.periods import Period
from reports.rollup import LOOK_BEHIND, refresh

pytestmark = pytest.mark.django_db

TOKYO = timezone.get_fixed_timezone(9 * 60)
FY2025 = Period.fiscal_year(2025)
FY2026 = Period.fiscal_year(2026)
LAST_MINUTE_OF_MARCH = datetime(2026, 3, 31, 23, 59, tzinfo=TOKYO)
FIRST_MINUTE_OF_APRIL = datetime(2026, 4, 1, 0, 0, tzinfo=TOKYO)
MAY = datetime(2026, 5, 10, 10, 0, tzinfo=TOKYO)


def used(article, at, **fields):
    return InquiryArticleFactory(article=article, inquiry=InquiryFactory(received_at=at, **fields))


def feedback(article, at, helpful, times=1):
    for _ in range(times):
        Feedback.objects.create(article=article, helpful=helpful, language="ja", created_at=at)


def search(query, normalized, at, **fields):
    fields = {"language": "ja", "channel": SearchLog.Channel.PUBLIC, "result_count": 3, **fields}
    return SearchLog.objects.create(query=query, normalized=normalized, created_at=at, **fields)


def gaps(period):
    refresh()
    return knowledge.knowledge_gaps(period=period)


def used_on(inquiry, article):
    InquiryArticleFactory(inquiry=inquiry, article=article)


class TestMostUsedArticles:
    def test_counts_the_inquiries_of_the_period_each_qa_answered_most_first(self):
        bulky, moving = ArticleFactory(question="粗大ごみの出し方"), ArticleFactory(question="転入の手続き")
        for _ in range(3):
            used(bulky, MAY)
        used(moving, MAY)
        used(moving, datetime(2027, 4, 1, 9, tzinfo=TOKYO))
        rows = knowledge.most_used_articles(period=FY2026)
        assert [(row.question, row.uses) for row in rows] == [("粗大ごみの出し方", 3), ("転入の手続き", 1)]

    def test_the_last_minute_of_march_belongs_to_the_old_fiscal_year(self):
        article = ArticleFactory()
        used(article, LAST_MINUTE_OF_MARCH)
        used(article, FIRST_MINUTE_OF_APRIL)
        used(article, FIRST_MINUTE_OF_APRIL)
        assert knowledge.most_used_articles(period=FY2025)[0].uses == 1
        assert knowledge.most_used_articles(period=FY2026)[0].uses == 2

    def test_a_limit_keeps_the_most_used(self):
        for count in (1, 2, 3):
            article = ArticleFactory()
            for _ in range(count):
                used(article, MAY)
        assert [row.uses for row in knowledge.most_used_articles(period=FY2026, limit=2)] == [3, 2]


class TestLeastHelpfulArticles:
    def test_the_lowest_helpful_share_first_among_qas_with_enough_answers(self):
        poor, fair, few = ArticleFactory(question="poor"), ArticleFactory(question="fair"), ArticleFactory()
        feedback(poor, MAY, helpful=True)
        feedback(poor, MAY, helpful=False, times=4)
        feedback(fair, MAY, helpful=True, times=3)
        feedback(fair, MAY, helpful=False, times=3)
        feedback(few, MAY, helpful=False, times=4)  # four answers: too few to rank
        rows = knowledge.least_helpful_articles(period=FY2026)
        assert [(row.question, row.answers, row.helpful) for row in rows] == [("poor", 5, 1), ("fair", 6, 3)]
        assert rows[0].share == pytest.approx(20.0)
        assert rows[1].share == pytest.approx(50.0)

    def test_only_answers_inside_the_period_count(self):
        article = ArticleFactory()
        feedback(article, LAST_MINUTE_OF_MARCH, helpful=False)
        feedback(article, FIRST_MINUTE_OF_APRIL, helpful=False, times=4)
        assert knowledge.least_helpful_articles(period=FY2026) == []
        feedback(article, FIRST_MINUTE_OF_APRIL, helpful=True)
        assert knowledge.least_helpful_articles(period=FY2026)[0].answers == 5


class TestUnansweredSearches:
    def test_searches_asking_the_same_thing_are_logged_with_the_same_words(self):
        first = log_search(query="粗大ゴミの出し方は？", language="ja", channel="public", result_count=0)
        second = log_search(query="粗大ごみ　出し方", language="ja", channel="public", result_count=0)
        assert first.normalized == second.normalized != ""

    def test_digits_typed_into_the_box_are_masked_before_the_words_are_kept(self):
        logged = log_search(query="09012345678 に電話", language="ja", channel="public", result_count=0)
        assert "09012345678" not in logged.normalized

    def test_groups_the_searches_that_found_nothing_or_led_to_no_qa(self):
        article = ArticleFactory()
        search("粗大ごみ 出し方", "ごみ 出す 粗大", MAY, result_count=0)
        search("粗大ゴミの出し方", "ごみ 出す 粗大", MAY + timedelta(hours=1))  # nothing opened
        search("粗大ごみ", "ごみ 出す 粗大", MAY, opened_article=article)  # led to a Q&A
        search("粗大ごみ", "ごみ 出す 粗大", MAY, channel=SearchLog.Channel.API, result_count=0)
        operator_unused = search("粗大ごみ出す", "ごみ 出す 粗大", MAY, channel=SearchLog.Channel.OPERATOR)
        operator_used = search("粗大 ごみ", "ごみ 出す 粗大", MAY, channel=SearchLog.Channel.OPERATOR)
        InquiryArticleFactory(article=article, search=operator_used, inquiry=InquiryFactory(received_at=MAY))
        search("住民票", "住民 票", MAY, result_count=0)
        rows = knowledge.unanswered_searches(period=FY2026)
        assert [(row.normalized, row.searches) for row in rows] == [("ごみ 出す 粗大", 3), ("住民 票", 1)]
        bulky = rows[0]
        assert (bulky.found_nothing, bulky.public, bulky.operator) == (1, 2, 1)
        assert bulky.example == "粗大ゴミの出し方"  # the latest
        assert bulky.last_searched == MAY + timedelta(hours=1)
        assert operator_unused.normalized == bulky.normalized

    def test_the_last_minute_of_march_belongs_to_the_old_fiscal_year(self):
        search("古い", "古い", LAST_MINUTE_OF_MARCH, result_count=0)
        search("新しい", "新しい", FIRST_MINUTE_OF_APRIL, result_count=0)
        assert [row.example for row in knowledge.unanswered_searches(period=FY2025)] == ["古い"]
        assert [row.example for row in knowledge.unanswered_searches(period=FY2026)] == ["新しい"]

    def test_existing_searches_get_their_words_when_the_field_is_added(self):
        old = search("粗大ゴミの出し方は？", "", MAY, result_count=0)
        migration = importlib.import_module("knowledgebase.migrations.0015_searchlog_normalized")
        migration.fill_normalized(django_apps, None)
        old.refresh_from_db()
        assert (
            old.normalized
            == log_search(query=old.query, language="ja", channel="public", result_count=0).normalized
        )


class TestKnowledgeGaps:
    def test_resolved_inquiries_without_a_qa_by_top_level_category_beside_a_year_earlier(self):
        waste = CategoryFactory(name="ごみ", name_en="Waste")
        bulky = CategoryFactory(name="粗大ごみ", parent=waste)
        family = CategoryFactory(name="戸籍", name_en="Family register")
        InquiryFactory(received_at=MAY, category=bulky)
        InquiryFactory(received_at=MAY, category=waste)
        used(ArticleFactory(), MAY, category=waste)
        InquiryFactory(
            received_at=MAY, category=waste, outcome=Outcome.ESCALATED, status=InquiryStatus.WAITING
        )
        InquiryFactory(received_at=MAY, category=family)
        InquiryFactory(received_at=MAY)
        InquiryFactory(received_at=MAY - timedelta(days=365), category=bulky)
        found = gaps(FY2026)
        figures = [(gap.category_id, gap.resolved, gap.without_article, gap.a_year_earlier) for gap in found]
        assert figures[0] == (waste.pk, 3, 2, 1)
        assert sorted(figures[1:], key=str) == sorted([(None, 1, 1, 0), (family.pk, 1, 1, 0)], key=str)
        assert found[0].share == pytest.approx(200 / 3)

    def test_the_last_minute_of_march_belongs_to_the_old_fiscal_year(self):
        InquiryFactory(received_at=LAST_MINUTE_OF_MARCH)
        InquiryFactory(received_at=FIRST_MINUTE_OF_APRIL)
        InquiryFactory(received_at=FIRST_MINUTE_OF_APRIL)
        assert gaps(FY2025)[0].without_article == 1
        assert gaps(FY2026)[0].without_article == 2


class TestKnowledgeGapsFollowChanges:
    def test_a_qa_linked_later_closes_the_gap_at_the_next_page(self):
        waste = CategoryFactory(name="ごみ")
        inquiry = InquiryFactory(received_at=MAY, category=waste)
        assert gaps(FY2026)[0].without_article == 1
        used_on(inquiry, ArticleFactory())
        inquiry.save()  # as the console's save does: the inquiry changed, so its day is recounted
        assert gaps(FY2026) == []


class TestReviewsDue:
    def test_due_and_overdue_qas_per_department_as_the_knowledge_base_defines_them(self):
        today = date(2026, 6, 1)
        waste, family = DepartmentFactory(code="waste"), DepartmentFactory(code="family")
        ArticleFactory(department=waste, next_review=today - timedelta(days=1))
        ArticleFactory(department=waste, next_review=today + timedelta(days=10))
        ArticleFactory(department=waste, next_review=today + timedelta(days=90))
        ArticleFactory(department=waste, next_review=today - timedelta(days=5), status=Status.ARCHIVED)
        ArticleFactory(department=family, next_review=today + timedelta(days=3))
        ArticleFactory(department=None, next_review=today - timedelta(days=3))
        rows = knowledge.reviews_due_by_department(today=today)
        assert [(row.department, row.due, row.overdue) for row in rows] == [
            (waste, 2, 1),
            (None, 1, 1),
            (family, 1, 0),
        ]


# The page


def english(user, url, params=None):
    return client_for(user).get(url, params or {}, headers={"accept-language": "en"})


PERSONAS = ["anonymous", "operator", "leader", "supervisor", "department_editor", "administrator"]
ALLOWED = {"leader", "supervisor"}
URLS = [reverse("reports:knowledge")] + [
    reverse("reports:knowledge_csv", args=[table])
    for table in ("most-used", "least-helpful", "searches", "gaps", "reviews")
]


@pytest.mark.parametrize("url", URLS)
@pytest.mark.parametrize("persona", PERSONAS)
def test_only_leaders_and_supervisors_see_the_knowledge_figures(request, client, persona, url):
    if persona == "anonymous":
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:login"))
        return
    response = client_for(request.getfixturevalue(persona)).get(url)
    assert response.status_code == (200 if persona in ALLOWED else 403)


def test_an_unknown_table_is_not_found(leader):
    assert client_for(leader).get("/reports/knowledge/secrets.csv").status_code == 404


def test_an_empty_database_shows_empty_states(leader):
    page = english(leader, reverse("reports:knowledge")).content.decode()
    assert "No Q&A was used for the inquiries of this period." in page
    assert "No Q&A is due for review." in page
    assert "<table" not in page


def test_a_bad_period_falls_back_to_the_fiscal_year_with_a_message(leader):
    response = english(leader, reverse("reports:knowledge"), {"start": "2026-06-30", "end": "2026-04-01"})
    assert response.status_code == 200
    assert "The last day cannot come before the first day." in response.content.decode()


def test_the_period_chosen_applies_to_the_figures(leader):
    article = ArticleFactory(question="四月の質問")
    used(article, FIRST_MINUTE_OF_APRIL)
    march = client_for(leader).get(reverse("reports:knowledge"), {"start": "2026-03-01", "end": "2026-03-31"})
    april = client_for(leader).get(reverse("reports:knowledge"), {"start": "2026-04-01", "end": "2026-04-30"})
    assert "四月の質問" not in march.content.decode()
    assert "四月の質問" in april.content.decode()


def test_supervisors_can_draft_a_qa_from_an_unanswered_search(leader, supervisor):
    search("粗大ゴミの回収日", "ごみ 回収 日 粗大", timezone.now(), result_count=0)
    assert "Draft a Q&A" not in english(leader, reverse("reports:knowledge")).content.decode()
    page = english(supervisor, reverse("reports:knowledge")).content.decode()
    assert "Draft a Q&A" in page
    draft = client_for(supervisor).get(reverse("kb:create"), {"question": "粗大ゴミの回収日"})
    assert 'value="粗大ゴミの回収日"' in draft.content.decode()


def test_a_table_downloads_as_csv_for_the_period(leader):
    search("=SUM(A1)", "a1 sum", MAY, result_count=0)
    response = client_for(leader).get(
        reverse("reports:knowledge_csv", args=["searches"]), {"start": "2026-05-01", "end": "2026-05-31"}
    )
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    assert (
        response["Content-Disposition"] == 'attachment; filename="knowledge-searches-20260501-20260531.csv"'
    )
    assert body.splitlines()[1] == "a1 sum,'=SUM(A1),1,1,1,0,2026-05-10 10:00"


def _fill(count):
    department = DepartmentFactory()
    category = CategoryFactory()
    now = timezone.now()
    for number in range(count):
        article = ArticleFactory(department=department, next_review=timezone.localdate())
        used(article, now, category=category)
        InquiryFactory(received_at=now, category=CategoryFactory())
        feedback(article, now, helpful=False, times=5)
        search(f"質問{number}", f"質問 {number}", now, result_count=0)


def test_the_page_takes_the_same_few_queries_however_many_rows(leader, django_assert_max_num_queries):
    """Counted with the rollup up to date (its refresh is a fixed number of aggregates plus one
    insert per few hundred rollup rows; see reports/tests/test_rollup.py)."""
    client = client_for(leader)
    url = reverse("reports:knowledge")
    _fill(1)
    settled()
    client.get(url)
    with django_assert_max_num_queries(30) as one:
        assert client.get(url).status_code == 200
    _fill(30)
    settled()
    with django_assert_max_num_queries(len(one.captured_queries)):
        assert client.get(url).status_code == 200


def settled():
    """The rollup up to date and every change older than its look-behind (as a while later)."""
    Inquiry.objects.update(updated_at=timezone.now() - LOOK_BEHIND * 2)
    RollupState.objects.all().delete()
    refresh()
