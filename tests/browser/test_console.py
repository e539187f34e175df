"""A whole call at the console in a real browser, by keyboard alone, counting the keys."""

import pytest

from contactcenter.accounts.tests.factories import PASSWORD
from inquiries.models import Inquiry, InquiryStatus
from knowledgebase import services
from knowledgebase.models import Status
from knowledgebase.tests.factories import ArticleFactory, CategoryFactory
from tests.browser.conftest import assert_accessible, log_in

# The bar: search, use an answer, save as resolved in at most 8 keys besides the words.
MAX_KEYS = 8


class CountingKeyboard:
    """Presses keys on the page and counts them (a chord such as Control+Enter is one)."""

    def __init__(self, page):
        self.page, self.count = page, 0

    def press(self, key: str) -> None:
        self.count += 1
        self.page.keyboard.press(key)

    def words(self, text: str) -> None:
        """The search words, typed as an input method commits them (not counted)."""
        self.page.keyboard.insert_text(text)


@pytest.fixture
def qas(department, search_index):
    department.phone = "011-000-2201"
    department.save()
    category = CategoryFactory(name="粗大ごみ")
    bulky = services.save_article(
        article=ArticleFactory.build(
            question="粗大ごみはどのように出せばよいですか。",
            answer="粗大ごみ受付センターに電話かインターネットで申し込みます。",
            phone_script="粗大ごみは受付センターへのお申込みが必要でございます。",
            department=department,
            category=category,
            status=Status.PUBLISHED,
        )
    )
    services.save_article(
        article=ArticleFactory.build(
            question="粗大ごみの収集日を知りたい。",
            answer="申込み時にお知らせします。",
            status=Status.PUBLISHED,
        )
    )
    search_index.sync()
    return bulky


@pytest.fixture
def console(page, live_server, operator):
    """The console, logged in. Ask for it after `qas`: the search index must be in place before
    the live server first searches."""
    log_in(page, live_server, operator.username, PASSWORD)
    page.wait_for_url(f"{live_server.url}/accounts/")
    page.goto(f"{live_server.url}/console/")
    # The live server shares the test's in-memory SQLite database: a test that writes while the
    # console's own requests are still running would find the table locked.
    page.wait_for_load_state("networkidle")
    return page


@pytest.mark.django_db(transaction=True)
def test_a_question_call_is_logged_by_keyboard_in_at_most_eight_keys(qas, console, operator):
    keys = CountingKeyboard(console)
    box = console.get_by_role("combobox", name="Q&Aを検索")
    assert box.evaluate("element => element === document.activeElement")  # ready for the call
    keys.words("粗大ごみ 出し方")
    console.locator(".console-result").first.wait_for()
    assert_accessible(console)
    keys.press("ArrowDown")
    assert box.get_attribute("aria-activedescendant") == f"result-{qas.pk}"
    assert console.locator("#console-preview").is_visible()
    keys.press("Enter")  # use this answer
    assert console.locator("textarea[name=answer]").input_value().startswith("粗大ごみは受付センター")
    keys.press("Control+Enter")  # save as resolved (the default)
    console.locator(".messages[role=status]").wait_for()
    inquiry = Inquiry.objects.get()
    assert f"{inquiry.pk}" in console.locator(".messages[role=status]").inner_text()
    assert (inquiry.status, inquiry.kind, inquiry.operator) == (InquiryStatus.CLOSED, "question", operator)
    assert list(inquiry.articles.all()) == [qas]
    assert inquiry.summary == qas.question and inquiry.category == qas.category
    assert inquiry.article_links.get().search.query == "粗大ごみ 出し方"
    assert keys.count <= MAX_KEYS, keys.count
    assert console.get_by_role("combobox", name="Q&Aを検索").evaluate(
        "element => element === document.activeElement"
    )


@pytest.mark.django_db(transaction=True)
def test_enter_while_the_input_method_is_composing_never_uses_a_result(qas, console):
    box = console.locator('input[name="q"]')
    box.focus()
    console.keyboard.insert_text("粗大ごみ")
    console.locator(".console-result").first.wait_for()
    console.keyboard.press("ArrowDown")
    cdp = console.context.new_cdp_session(console)
    cdp.send("Input.imeSetComposition", {"text": "だし", "selectionStart": 2, "selectionEnd": 2})
    console.keyboard.press("Enter")  # confirms the conversion
    console.wait_for_timeout(300)
    assert console.locator("#used-inputs input").count() == 0


@pytest.mark.django_db(transaction=True)
def test_outcome_and_kind_are_single_keys_and_the_survey_is_one_key(qas, console, operator):
    from datetime import timedelta

    from django.utils import timezone

    from inquiries.models import SurveyPeriod

    SurveyPeriod.objects.create(
        name="6月調査", first_day=timezone.localdate(), last_day=timezone.localdate() + timedelta(days=6)
    )
    console.reload()
    console.keyboard.press("Tab")
    console.keyboard.press("/")  # back to the search box from anywhere
    console.keyboard.insert_text("粗大ごみ どのように出す")
    console.locator(".console-result").first.wait_for()
    console.keyboard.press("ArrowDown")
    console.keyboard.press("Enter")
    console.keyboard.press("Alt+K")  # complaint
    console.keyboard.press("Alt+2")  # escalated
    assert console.locator('input[name="kind"][value="complaint"]').is_checked()
    assert console.locator('input[name="outcome"][value="escalated"]').is_checked()
    console.keyboard.press("Control+Enter")
    # An escalated call names its department and reason, then the console asks the score.
    console.wait_for_url("**/escalate/?from=console")
    console.get_by_label("部署").select_option(label=str(qas.department))
    console.get_by_label("担当課に回答を依頼する理由").fill("料金の返還を求める苦情")
    console.get_by_role("button", name="エスカレーションする").click()
    console.locator("#survey-panel").wait_for()
    assert_accessible(console)
    console.keyboard.press("5")
    console.locator(".messages[role=status]").wait_for()
    inquiry = Inquiry.objects.get()
    assert (inquiry.kind, inquiry.outcome, inquiry.status) == (
        "complaint",
        "escalated",
        InquiryStatus.WAITING,
    )
    assert inquiry.satisfaction == 5
    assert not console.locator("#survey-panel").count()


@pytest.mark.django_db(transaction=True)
def test_the_inquiry_lists_detail_and_contact_pages_are_accessible(page, live_server, leader, operator):
    from inquiries import services as inquiry_services
    from inquiries.services import InquiryData

    inquiry, _ = inquiry_services.log_inquiry(
        operator=operator,
        data=InquiryData(
            fields={
                "summary": "粗大ごみの出し方",
                "answer": "受付センターへ",
                "outcome": "",
                "callback_needed": True,
            },
            contact={"name": "札幌 太郎", "phone": "090-0000-0000", "purpose": "回答の折り返し"},
        ),
    )
    log_in(page, live_server, leader.username, PASSWORD)
    page.wait_for_url(f"{live_server.url}/accounts/")
    assert_accessible(page)
    for path in (
        "/console/inquiries/",
        "/console/inquiries/?channel=phone&kind=question",
        f"/console/inquiries/{inquiry.pk}/",
        f"/console/inquiries/{inquiry.pk}/edit/",
        f"/console/inquiries/{inquiry.pk}/contact/",
        "/console/mine/",
        "/console/surveys/",
    ):
        page.goto(f"{live_server.url}{path}")
        assert_accessible(page)
    page.set_viewport_size({"width": 360, "height": 800})
    page.goto(f"{live_server.url}/console/inquiries/")
    assert page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth") <= 0
