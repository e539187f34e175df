"""The contact form in a real browser: keyboard only from the question to the reference, axe."""

import re

import pytest

from tests.browser.conftest import assert_accessible

QUESTION = "家の前の街灯が切れています。修理をお願いできますか。"
REFERENCE = re.compile(r"^[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{2}$")


def _focused_id(page) -> str:
    return page.evaluate("document.activeElement.id || ''")


def _tab_to(page, element_id: str, visited: list[str], limit: int = 60) -> None:
    """Press Tab until the element with this id has the focus, noting every stop."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        visited.append(_focused_id(page))
        if visited[-1] == element_id:
            return
    raise AssertionError(f"Tab never reached #{element_id}; stops: {visited}")


@pytest.mark.django_db(transaction=True)
def test_a_citizen_writes_to_the_centre_and_gets_a_reference_with_the_keyboard_only(page, live_server):
    from inquiries.models import InboxMessage

    page.goto(f"{live_server.url}/contact/")
    visited: list[str] = []
    _tab_to(page, "id_question", visited)
    page.keyboard.type(QUESTION)
    assert page.locator("#question-count [data-count]").inner_text() == str(len(QUESTION))
    _tab_to(page, "id_reply_by_0", visited)  # into the group of radio buttons: "by e-mail"
    page.keyboard.press("ArrowDown")  # "by phone"
    assert _focused_id(page) == "id_reply_by_1" and page.locator("#id_reply_by_1").is_checked()
    _tab_to(page, "id_name", visited)
    page.keyboard.type("佐藤")
    _tab_to(page, "id_phone", visited)
    page.keyboard.type("011-222-3333")
    for _ in range(10):  # on to the send button, past the honeypot
        page.keyboard.press("Tab")
        visited.append(_focused_id(page))
        if page.evaluate("document.activeElement.type") == "submit":
            break
    assert "id_website" not in visited  # the honeypot is never a tab stop
    page.keyboard.press("Enter")
    page.wait_for_url("**/contact/thanks/?r=*")
    reference = page.locator("#reference-number").inner_text()
    assert REFERENCE.match(reference)
    assert page.get_by_role("heading", level=1, name="お問い合わせを受け付けました").is_visible()
    message = InboxMessage.objects.get()
    assert (message.reference, message.question, message.phone) == (reference, QUESTION, "011-222-3333")
    assert_accessible(page)


@pytest.mark.django_db(transaction=True)
def test_errors_lead_back_to_the_fields_with_the_keyboard_and_keep_what_was_typed(page, live_server):
    page.goto(f"{live_server.url}/en/contact/")
    page.locator("#id_name").focus()
    page.keyboard.type("Sato")
    page.locator("#id_reply_by_3").focus()
    page.keyboard.press("Space")  # "by post", without an address
    page.locator("button[type=submit]").focus()
    with page.expect_navigation():
        page.keyboard.press("Space")
    assert _focused_id(page) == "error-summary"
    assert page.locator("#id_name").input_value() == "Sato"
    assert page.locator("#id_reply_by_3").is_checked()
    assert page.locator("#id_question").get_attribute("aria-invalid") == "true"
    assert_accessible(page)
    page.keyboard.press("Tab")  # the first link of the summary: the question
    assert page.evaluate("document.activeElement.getAttribute('href')") == "#id_question"
    page.keyboard.press("Enter")
    assert _focused_id(page) == "id_question"


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("prefix", ["", "/en", "/zh-hans", "/ko"])
def test_the_form_is_accessible_in_every_interface_language(page, live_server, prefix):
    page.goto(f"{live_server.url}{prefix}/contact/")
    assert page.get_by_role("heading", level=1).is_visible()
    honeypot = page.locator("#id_website").bounding_box()
    assert honeypot["x"] + honeypot["width"] <= 0  # out of sight
    assert_accessible(page)


@pytest.mark.django_db(transaction=True)
def test_a_leader_finds_the_message_by_the_reference_a_citizen_quotes(page, live_server, leader):
    import uuid

    from contactcenter.accounts.tests.factories import PASSWORD
    from inquiries.services.inbox import ContactMessage, submit_contact_message
    from tests.browser.conftest import log_in

    reference = submit_contact_message(
        message=ContactMessage(form_token=uuid.uuid4(), question=QUESTION, language="ja", reply_by="none"),
        visitor="192.0.2.1",
    ).reference
    log_in(page, live_server, leader.username, PASSWORD)
    page.wait_for_url(f"{live_server.url}/accounts/")
    page.goto(f"{live_server.url}/console/inquiries/")
    assert_accessible(page)
    page.get_by_role("textbox", name="受付番号").fill(
        reference.lower().replace("-", " ")
    )  # as read out on the phone
    page.get_by_role("textbox", name="受付番号").press("Enter")
    page.wait_for_url(f"{live_server.url}/console/inquiries/*/")
    assert page.get_by_role("heading", name="市民が書いた内容").is_visible()
    assert page.get_by_text(QUESTION).is_visible()
    assert_accessible(page)
    page.goto(f"{live_server.url}/console/inquiries/find/?reference=ZZZZ-ZZZZ-ZZ")
    assert page.get_by_role("alert").is_visible()
    assert_accessible(page)
