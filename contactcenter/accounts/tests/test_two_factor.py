"""Two-factor sign-in with TOTP (RFC 6238): optional, or required for some roles."""

import base64
import re

import pytest
from django.test import Client
from django.urls import reverse
from django_otp.oath import TOTP, totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from contactcenter.accounts.models import AuditEvent
from contactcenter.accounts.tests.factories import PASSWORD
from contactcenter.accounts.two_factor import OTP_ENROLLED

pytestmark = pytest.mark.django_db
LOGIN = reverse("accounts:login")
VERIFY = reverse("accounts:otp_verify")
SETUP = reverse("accounts:otp_setup")
# RFC 6238's test key ("12345678901234567890"), as a hardware token's vendor would hand it over.
RFC_KEY = "3132333435363738393031323334353637383930"


def _code(device: TOTPDevice) -> str:
    return str(totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits)).zfill(
        device.digits
    )


def _sign_in(username: str) -> Client:
    client = Client()
    response = client.post(LOGIN, {"username": username, "password": PASSWORD})
    assert response.status_code == 302
    return client


def test_without_a_device_the_password_alone_signs_in(operator):
    client = _sign_in("operator")
    assert client.get("/console/").status_code == 200


def test_with_a_device_every_page_waits_for_the_code(operator):
    device = TOTPDevice.objects.create(user=operator, name="token", confirmed=True)
    client = _sign_in("operator")
    response = client.get("/console/")
    assert response.status_code == 302
    assert response["Location"] == f"{VERIFY}?next=%2Fconsole%2F"
    assert client.get("/admin/")["Location"].startswith(VERIFY)

    verified = client.post(VERIFY, {"code": _code(device), "next": "/console/"})
    assert verified["Location"] == "/console/"
    assert client.get("/console/").status_code == 200


def test_a_wrong_code_is_refused_with_a_message(operator):
    device = TOTPDevice.objects.create(user=operator, name="token", confirmed=True)
    client = _sign_in("operator")
    wrong = str((int(_code(device)) + 1) % 1_000_000).zfill(6)
    response = client.post(VERIFY, {"code": wrong}, headers={"accept-language": "en"})
    assert response.status_code == 200
    assert "That code is not right" in response.content.decode()
    assert client.get("/console/").status_code == 302


@pytest.mark.parametrize("code", ["", "abc123", "12345", "1234567890", "１２３４５６"])
def test_malformed_codes_get_a_clear_message_never_an_error(operator, code):
    TOTPDevice.objects.create(user=operator, name="token", confirmed=True)
    client = _sign_in("operator")
    response = client.post(VERIFY, {"code": code})
    assert response.status_code == 200
    assert 'class="errors"' in response.content.decode()


def test_a_code_cannot_be_used_twice(operator):
    device = TOTPDevice.objects.create(user=operator, name="token", confirmed=True)
    code = _code(device)
    assert _sign_in("operator").post(VERIFY, {"code": code}).status_code == 302
    assert _sign_in("operator").post(VERIFY, {"code": code}).status_code == 200


def test_a_hardware_token_with_its_own_key_eight_digits_and_sixty_second_step_works(operator):
    """A factory-seeded token, registered by an administrator with the vendor's key and settings."""
    device = TOTPDevice.objects.create(
        user=operator, name="OTP c200", key=RFC_KEY, digits=8, step=60, confirmed=True
    )
    client = _sign_in("operator")
    assert client.post(VERIFY, {"code": _code(device)})["Location"] == reverse("staff:home")
    # The RFC's own test vector: at 59 s, 8 digits, 30 s step, this key gives 94287082.
    vector = TOTP(bytes.fromhex(RFC_KEY), step=30, t0=0, digits=8)
    vector.time = 59
    assert vector.token() == 94287082


def test_required_roles_must_set_up_a_device_before_any_page(supervisor, operator, settings):
    settings.OTP_REQUIRED_ROLES = ["leader", "supervisor", "administrator"]
    client = _sign_in("supervisor")
    response = client.get("/reports/")
    assert response["Location"] == f"{SETUP}?next=%2Freports%2F"
    assert _sign_in("operator").get("/console/").status_code == 200


def test_enrolment_shows_the_key_and_confirms_it_with_a_code(supervisor, settings):
    settings.OTP_REQUIRED_ROLES = ["supervisor"]
    client = _sign_in("supervisor")
    page = client.get(SETUP, {"next": "/reports/"}, headers={"accept-language": "en"}).content.decode()
    assert "<svg" in page and "QR code of the key" in page
    device = TOTPDevice.objects.get(user=supervisor, confirmed=False)
    secret = re.search(r"<code>([A-Z2-7 ]+)</code>", page).group(1).replace(" ", "")
    assert base64.b32decode(secret) == device.bin_key
    assert "6 digits, every 30 seconds" in page

    response = client.post(SETUP, {"code": _code(device), "next": "/reports/"})
    assert response["Location"] == "/reports/"
    device.refresh_from_db()
    assert device.confirmed
    assert client.get("/reports/").status_code == 200
    assert AuditEvent.objects.filter(action=OTP_ENROLLED, object_id=str(supervisor.pk)).exists()


def test_a_new_device_replaces_the_old_one(operator):
    old = TOTPDevice.objects.create(user=operator, name="lost phone", confirmed=True)
    client = _sign_in("operator")
    client.post(VERIFY, {"code": _code(old)})
    client.get(SETUP)
    new = TOTPDevice.objects.get(user=operator, confirmed=False)
    client.post(SETUP, {"code": _code(new)})
    assert list(TOTPDevice.objects.filter(user=operator)) == [new]


def test_enrolment_digits_and_step_are_settings(operator, settings):
    settings.OTP_TOTP_DIGITS, settings.OTP_TOTP_STEP = 8, 60
    client = _sign_in("operator")
    client.get(SETUP)
    device = TOTPDevice.objects.get(user=operator)
    assert (device.digits, device.step) == (8, 60)


def test_a_person_with_a_device_cannot_enrol_another_before_giving_a_code(operator):
    TOTPDevice.objects.create(user=operator, name="token", confirmed=True)
    client = _sign_in("operator")
    assert client.get(SETUP)["Location"].startswith(VERIFY)
    assert TOTPDevice.objects.filter(user=operator).count() == 1


@pytest.mark.parametrize("url", [VERIFY, SETUP])
def test_the_two_factor_pages_need_a_password_sign_in_first(client, url):
    response = client.get(url)
    assert response.status_code == 302 and response["Location"].startswith(f"{LOGIN}?next=")


def test_administrators_manage_tokens_in_the_admin(administrator, operator):
    from conftest import client_for

    assert client_for(administrator).get("/admin/otp_totp/totpdevice/add/").status_code == 200
    assert client_for(operator).get("/admin/otp_totp/totpdevice/").status_code in (302, 403)
