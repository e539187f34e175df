"""The citizens' pages in a real browser: keyboard only, axe, phone width, IME composition."""

import pytest

from tests.browser.conftest import assert_accessible

QUESTION = "粗大ごみの出し方を教えてください。"


@pytest.fixture
def published(search_index):
    from knowledgebase import services
    from knowledgebase.models import SiteNotice, Status
    from knowledgebase.tests.factories import ArticleFactory, CategoryFactory

    topic = CategoryFactory(name="ごみ・リサイクル", name_en="Waste and recycling")
    article = services.save_article(
        article=ArticleFactory.build(
            question=QUESTION,
            answer="粗大ごみ受付センターに申し込みます。\n\n- 電話\n- インターネット",
            status=Status.PUBLISHED,
            category=topic,
        )
    )
    services.save_article(
        article=ArticleFactory.build(
            question="粗大ごみの手数料はいくらですか。", status=Status.PUBLISHED, category=topic
        )
    )
    SiteNotice.objects.create(
        level=SiteNotice.Level.WARNING,
        title="年末年始は受付時間が変わります",
        title_en="Different hours over the new year",
    )
    search_index.sync()
    return article


def _tab_to(page, name: str, limit: int = 60) -> None:
    """Press Tab until the element with this accessible name has the focus."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        focused = page.evaluate("document.activeElement.innerText || document.activeElement.value || ''")
        if focused.strip() == name:
            return
    raise AssertionError(f"Tab never reached {name!r}")


@pytest.mark.django_db(transaction=True)
def test_a_citizen_searches_opens_an_answer_and_votes_helpful_with_the_keyboard_only(
    page, live_server, published
):
    from knowledgebase.models import Feedback

    page.goto(f"{live_server.url}/")
    page.get_by_label("知りたいことを入力してください").focus()
    page.keyboard.type("粗大ごみ 出し方")
    page.keyboard.press("Enter")
    page.wait_for_url("**/search/?q=*")
    _tab_to(page, QUESTION)
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/faq/{published.pk}/?s=*")
    _tab_to(page, "はい、役に立った")
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/faq/{published.pk}/?thanks=yes*")
    assert page.get_by_role("heading", name="ご回答ありがとうございました。").is_visible()
    assert Feedback.objects.get().helpful is True


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("prefix", ["", "/en"])
def test_article_accessibility_and_error_pages_are_accessible(page, live_server, published, prefix):
    page.goto(f"{live_server.url}{prefix}/faq/{published.pk}/")
    assert page.get_by_role("heading", level=1).is_visible()
    assert_accessible(page)
    page.get_by_role("button", name="いいえ、役に立たなかった" if not prefix else "No, it did not").click()
    assert_accessible(page)  # the thank-you
    page.goto(f"{live_server.url}{prefix}/accessibility/")
    assert "JIS X 8341-3:2016" in page.content()
    assert_accessible(page)
    response = page.goto(f"{live_server.url}{prefix}/no-such-page/")
    assert response.status == 404
    assert_accessible(page)


@pytest.mark.django_db(transaction=True)
def test_the_breadcrumb_is_one_line_of_steps_without_numbers(page, live_server, published):
    page.goto(f"{live_server.url}/faq/{published.pk}/")
    trail = page.get_by_role("navigation", name="現在位置")
    steps = trail.get_by_role("listitem")
    assert steps.count() == 3
    assert trail.locator("ol").evaluate("list => getComputedStyle(list).listStyleType") == "none"
    tops = {round(box["y"]) for box in (steps.nth(i).bounding_box() for i in range(steps.count()))}
    assert len(tops) == 1  # side by side, not one step per line
    separator = steps.nth(1).evaluate("step => getComputedStyle(step, '::before').borderTopStyle")
    assert separator == "solid"  # a drawn chevron between the steps
    assert trail.locator('[aria-current="page"]').inner_text() == QUESTION


@pytest.mark.django_db(transaction=True)
def test_the_icon_loads_from_the_page_and_from_favicon_ico(page, live_server):
    failed = []
    page.on("response", lambda response: response.status >= 400 and failed.append(response.url))
    page.goto(f"{live_server.url}/")
    icon = page.locator('link[rel="icon"]').get_attribute("href")
    assert page.request.get(f"{live_server.url}{icon}").headers["content-type"] == "image/svg+xml"
    favicon = page.request.get(f"{live_server.url}/favicon.ico")
    assert favicon.status == 200 and favicon.headers["content-type"] == "image/svg+xml"
    assert failed == []


@pytest.mark.django_db(transaction=True)
def test_large_text_and_high_contrast_stay_accessible_and_are_remembered(page, live_server, published):
    page.goto(f"{live_server.url}/en/faq/{published.pk}/")
    page.get_by_role("link", name="Large").click()
    page.get_by_role("link", name="High contrast").click()
    page.goto(f"{live_server.url}/en/")
    assert page.evaluate("document.documentElement.className") == "text-large contrast-high"
    assert page.evaluate("getComputedStyle(document.body).backgroundColor") == "rgb(0, 0, 0)"
    assert_accessible(page)
    page.goto(f"{live_server.url}/en/faq/{published.pk}/")
    assert_accessible(page)


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("width", [320, 640])  # a small phone; 1280 px at 200 % zoom
def test_pages_reflow_without_sideways_scrolling(page, live_server, published, width):
    page.set_viewport_size({"width": width, "height": 800})
    for path in ("/", f"/faq/{published.pk}/", "/search/?q=粗大ごみ", "/en/accessibility/"):
        page.goto(f"{live_server.url}{path}")
        overflow = page.evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        assert overflow <= 0, (path, overflow)


@pytest.mark.django_db(transaction=True)
def test_suggestions_wait_for_the_input_method_and_work_with_arrow_keys(page, live_server, published):
    page.goto(f"{live_server.url}/")
    box = page.get_by_role("combobox", name="知りたいことを入力してください")
    box.focus()
    cdp = page.context.new_cdp_session(page)
    cdp.send("Input.imeSetComposition", {"text": "そだいごみ", "selectionStart": 5, "selectionEnd": 5})
    page.wait_for_timeout(600)  # longer than the pause before suggestions
    assert box.get_attribute("aria-expanded") == "false"  # nothing fetched while composing
    page.keyboard.press("Enter")  # confirms the conversion: must not search
    page.wait_for_timeout(300)
    assert page.url == f"{live_server.url}/"
    cdp.send("Input.insertText", {"text": "粗大ごみ"})  # the conversion is committed
    listbox = page.get_by_role("listbox", name="質問の候補")
    listbox.wait_for()
    assert box.get_attribute("aria-expanded") == "true"
    assert "候補が" in page.locator(".search-box [role=status]").inner_text()
    page.keyboard.press("ArrowDown")
    first = listbox.get_by_role("option").first
    assert first.get_attribute("aria-selected") == "true"
    assert box.get_attribute("aria-activedescendant") == first.get_attribute("id")
    page.keyboard.press("Enter")
    page.wait_for_url("**/faq/*/")
    assert page.get_by_role("heading", level=1).inner_text() in (QUESTION, "粗大ごみの手数料はいくらですか。")
