import pytest

from contactcenter.accounts.tests.factories import PASSWORD
from tests.browser.conftest import assert_accessible, log_in


@pytest.mark.django_db(transaction=True)
def test_login_page_has_no_serious_accessibility_violations(page, live_server):
    page.goto(f"{live_server.url}/accounts/login/")
    assert page.locator("html").get_attribute("lang") == "ja"
    assert_accessible(page)


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(
    "persona", ["operator", "leader", "supervisor", "department_editor", "administrator"]
)
def test_each_role_logs_in_and_sees_its_staff_home(request, persona, page, live_server):
    user = request.getfixturevalue(persona)
    log_in(page, live_server, user.username, PASSWORD)
    page.wait_for_url(f"{live_server.url}/accounts/")
    assert page.get_by_role("heading", level=1).inner_text().startswith(user.display_name)
    assert_accessible(page)


@pytest.mark.django_db(transaction=True)
def test_wrong_password_shows_an_error_and_keeps_the_username(page, live_server, operator):
    log_in(page, live_server, operator.username, "wrong-password")
    assert page.get_by_role("alert").is_visible()
    assert page.get_by_label("ユーザー名").input_value() == operator.username
    assert_accessible(page)


@pytest.mark.django_db(transaction=True)
def test_switching_to_english_keeps_the_visitor_on_the_same_page(page, live_server):
    page.goto(f"{live_server.url}/")
    page.get_by_role("link", name="English").click()
    page.wait_for_url(f"{live_server.url}/en/")
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.get_by_text("How to reach us").is_visible()
    assert_accessible(page)


@pytest.mark.django_db(transaction=True)
def test_staff_pages_follow_the_language_the_person_chose(page, live_server, operator):
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_role("button", name="English").click()
    page.wait_for_url(f"{live_server.url}/accounts/login/")
    assert page.get_by_role("heading", level=1).inner_text() == "Log in"
    assert page.locator("html").get_attribute("lang") == "en"
