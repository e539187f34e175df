"""Signing in with a second factor and being locked out, in a real browser, with axe on each page."""

import pytest
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from contactcenter.accounts.tests.factories import PASSWORD
from tests.browser.conftest import assert_accessible, log_in


def _code(device: TOTPDevice) -> str:
    return str(totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits)).zfill(
        device.digits
    )


@pytest.mark.django_db(transaction=True)
def test_a_supervisor_enrols_a_token_then_signs_in_with_its_code(page, live_server, supervisor, settings):
    settings.OTP_REQUIRED_ROLES = ["supervisor"]
    log_in(page, live_server, supervisor.username, PASSWORD)
    page.wait_for_url("**/accounts/two-factor/setup/**")
    assert page.locator(".otp-qr svg").is_visible()
    assert_accessible(page)
    device = TOTPDevice.objects.get(user=supervisor)
    page.get_by_label("確認コード").fill(_code(device))
    page.get_by_role("button", name="確定する").click()
    page.wait_for_url(f"{live_server.url}/accounts/")
    assert "2段階認証を設定しました" in page.locator(".messages").inner_text()

    page.context.clear_cookies()
    device.refresh_from_db()
    device.last_t = -1  # the next sign-in may come within the same 30 seconds
    device.save()
    log_in(page, live_server, supervisor.username, PASSWORD)
    page.wait_for_url("**/accounts/two-factor/?next=*")
    assert_accessible(page)
    page.get_by_label("確認コード").fill(_code(device))
    page.get_by_role("button", name="ログイン").click()
    page.wait_for_url(f"{live_server.url}/accounts/")


@pytest.mark.django_db(transaction=True)
def test_a_locked_out_sign_in_says_what_to_do(page, live_server, operator, settings):
    settings.AXES_FAILURE_LIMIT = 2
    for _ in range(2):
        log_in(page, live_server, operator.username, "wrong-password")
    alert = page.locator(".form-errors[role=alert]").first
    assert "15分待ってから" in alert.inner_text()
    assert_accessible(page)
