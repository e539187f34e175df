"""Signing in: lockout after repeated failures (django-axes) and the audit trail of sign-ins."""

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from contactcenter.accounts.models import AuditEvent
from contactcenter.accounts.signin import SIGN_IN_FAILED, SIGNED_IN
from contactcenter.accounts.tests.factories import PASSWORD

LOGIN = reverse("accounts:login")


def _sign_in(client: Client, username: str, password: str, address: str = "192.0.2.10", language: str = "en"):
    return client.post(
        LOGIN,
        {"username": username, "password": password},
        REMOTE_ADDR=address,
        headers={"accept-language": language},
    )


def _fail(client: Client, username: str, times: int, address: str = "192.0.2.10") -> None:
    for _ in range(times):
        assert _sign_in(client, username, "wrong-password", address).status_code in (200, 429)


@pytest.fixture
def lockout(settings):
    settings.AXES_FAILURE_LIMIT = 3


@pytest.mark.django_db
def test_a_correct_password_signs_in(client, operator):
    response = _sign_in(client, "operator", PASSWORD)
    assert response.status_code == 302


@pytest.mark.django_db
def test_repeated_failures_lock_the_user_name_from_that_address_even_with_the_right_password(
    client, operator, lockout
):
    _fail(client, "operator", 3)
    response = _sign_in(client, "operator", PASSWORD)
    assert response.status_code == 429
    page = response.content.decode()
    assert "Wait 15 minutes" in page and "supervisor or an administrator" in page
    assert '<form method="post"' in page  # the sign-in form is still there, for after the wait


@pytest.mark.django_db
def test_the_lockout_message_is_in_japanese_by_default(client, operator, lockout):
    _fail(client, "operator", 3)
    response = _sign_in(client, "operator", PASSWORD, language="ja")
    with translation.override("ja"):
        assert response.status_code == 429
        assert "15分" in response.content.decode()


@pytest.mark.django_db
def test_the_failure_that_reaches_the_limit_already_says_what_to_do(client, operator, lockout):
    _fail(client, "operator", 2)
    response = _sign_in(client, "operator", "wrong-password")
    assert response.status_code == 429 and "Wait 15 minutes" in response.content.decode()


@pytest.mark.django_db
def test_someone_guessing_from_one_address_cannot_lock_out_the_same_operator_elsewhere(
    client, operator, lockout
):
    _fail(client, "operator", 5, address="198.51.100.7")
    assert _sign_in(Client(), "operator", PASSWORD, address="192.0.2.10").status_code == 302


@pytest.mark.django_db
def test_a_locked_user_name_does_not_lock_other_operators_at_the_same_address(
    client, operator, leader, lockout
):
    _fail(client, "operator", 3)
    assert _sign_in(Client(), "leader", PASSWORD).status_code == 302


@pytest.mark.django_db
def test_the_lockout_ends_after_the_cool_off(client, operator, lockout, settings):
    from datetime import timedelta

    _fail(client, "operator", 3)
    assert _sign_in(client, "operator", PASSWORD).status_code == 429
    settings.AXES_COOLOFF_TIME = timedelta(seconds=0)
    assert _sign_in(client, "operator", PASSWORD).status_code == 302


@pytest.mark.django_db
def test_the_address_is_the_one_the_proxy_names(client, operator, lockout, settings):
    """Behind a proxy every request comes from the proxy: the lockout follows VISITOR_ADDRESS_HEADER."""
    settings.VISITOR_ADDRESS_HEADER = "HTTP_X_REAL_IP"
    for _ in range(3):
        client.post(
            LOGIN,
            {"username": "operator", "password": "x"},
            REMOTE_ADDR="10.0.0.1",
            HTTP_X_REAL_IP="203.0.113.5",
        )
    locked = client.post(
        LOGIN,
        {"username": "operator", "password": PASSWORD},
        REMOTE_ADDR="10.0.0.1",
        HTTP_X_REAL_IP="203.0.113.5",
    )
    assert locked.status_code == 429
    other = Client().post(
        LOGIN,
        {"username": "operator", "password": PASSWORD},
        REMOTE_ADDR="10.0.0.1",
        HTTP_X_REAL_IP="203.0.113.6",
    )
    assert other.status_code == 302


@pytest.mark.django_db
def test_sign_ins_are_audited_by_user(client, operator):
    _sign_in(client, "operator", PASSWORD)
    event = AuditEvent.objects.get(action=SIGNED_IN)
    assert event.actor == operator and event.object_id == str(operator.pk)


@pytest.mark.django_db
def test_failed_sign_ins_are_audited_without_the_password_or_an_unknown_name(client, operator):
    _sign_in(client, "operator", "secret-guess-1")
    _sign_in(client, "no-such-person", "secret-guess-2")
    known, unknown = AuditEvent.objects.filter(action=SIGN_IN_FAILED).order_by("id")
    assert known.object_id == str(operator.pk) and known.actor is None
    assert unknown.object_id == "" and "14" in unknown.object_repr
    for event in (known, unknown):
        text = f"{event.object_repr} {event.note}"
        assert "secret-guess" not in text and "no-such-person" not in text


@pytest.mark.django_db
def test_administrators_can_see_and_lift_lockouts_in_the_admin(client, operator, administrator, lockout):
    from axes.models import AccessAttempt

    from conftest import client_for

    _fail(client, "operator", 3)
    attempt = AccessAttempt.objects.get()
    admin = client_for(administrator)
    assert admin.get("/admin/axes/accessattempt/").status_code == 200
    admin.post(f"/admin/axes/accessattempt/{attempt.pk}/delete/", {"post": "yes"})
    assert not AccessAttempt.objects.exists()
    assert _sign_in(client, "operator", PASSWORD).status_code == 302
    assert client_for(operator).get("/admin/axes/accessattempt/").status_code in (302, 403)


@pytest.mark.django_db
def test_the_lockout_counter_never_keeps_a_typed_password(client, operator):
    from axes.models import AccessAttempt

    _sign_in(client, "operator", "secret-guess-3")
    attempt = AccessAttempt.objects.get()
    assert "secret-guess-3" not in f"{attempt.post_data} {attempt.get_data}"
    assert attempt.failures_since_start == 1 and attempt.ip_address == "192.0.2.10"
