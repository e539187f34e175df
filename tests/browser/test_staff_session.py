"""A long call never loses what the operator typed: kept alive while typing, warned before the
end, and put back after signing in again."""

import pytest

from contactcenter.accounts.tests.factories import PASSWORD
from inquiries.models import Inquiry
from tests.browser.conftest import log_in


@pytest.fixture
def console(page, live_server, operator):
    log_in(page, live_server, operator.username, PASSWORD)
    page.wait_for_url(f"{live_server.url}/accounts/")
    page.goto(f"{live_server.url}/console/")
    return page


@pytest.mark.django_db(transaction=True)
def test_what_was_typed_comes_back_after_the_session_ended_and_the_operator_signed_in_again(
    console, live_server, operator
):
    console.locator("textarea[name=summary]").fill("住民票の写しを郵送で請求したい")
    console.locator("textarea[name=answer]").fill("請求書と本人確認書類の写しを送っていただきます。")
    console.locator("input[name=kind][value=consultation]").check()
    console.context.clear_cookies(name="sessionid")  # the session ends (idle time or the absolute limit)

    console.locator("#save-inquiry").click()
    console.wait_for_url("**/accounts/login/**")
    console.get_by_label("ユーザー名").fill(operator.username)
    console.get_by_label("パスワード").fill(PASSWORD)
    console.get_by_role("button", name="ログイン").click()
    console.wait_for_url(f"{live_server.url}/console/")

    assert console.locator("textarea[name=summary]").input_value() == "住民票の写しを郵送で請求したい"
    assert console.locator("textarea[name=answer]").input_value().startswith("請求書と本人確認書類")
    assert console.locator("input[name=kind][value=consultation]").is_checked()
    assert "入力した内容を戻しました" in console.locator("#session-status").inner_text()
    assert not Inquiry.objects.exists()

    console.locator("#save-inquiry").click()
    console.locator(".messages[role=status]").wait_for()
    assert Inquiry.objects.get().summary == "住民票の写しを郵送で請求したい"
    # The next call starts empty.
    console.goto(f"{live_server.url}/console/")
    assert console.locator("textarea[name=summary]").input_value() == ""


@pytest.mark.django_db(transaction=True)
def test_a_warning_comes_before_the_session_ends_and_typing_keeps_it_alive(
    page, live_server, operator, settings
):
    settings.SESSION_COOKIE_AGE = 122  # the warning is due 2 minutes before: after 2 seconds
    log_in(page, live_server, operator.username, PASSWORD)
    page.wait_for_url(f"{live_server.url}/accounts/")
    page.goto(f"{live_server.url}/console/")
    status = page.locator("#session-status")
    status.wait_for(state="visible", timeout=6000)
    assert "操作がないと" in status.inner_text()

    with page.expect_response("**/accounts/session/") as answer:
        status.get_by_role("button", name="ログインを続ける").click()
    assert answer.value.json()["signed_in"] is True
    assert status.is_hidden()
