"""Staff sessions end after an absolute limit; the console's keep-alive renews only the idle one."""

import time

import pytest
from django.test import Client
from django.urls import reverse

from conftest import client_for
from contactcenter.accounts.middleware import SIGNED_IN_AT
from contactcenter.accounts.tests.factories import PASSWORD

KEEP_ALIVE = reverse("accounts:keep_alive")


def _age_session(client: Client, seconds: int) -> None:
    session = client.session
    session[SIGNED_IN_AT] = int(time.time()) - seconds
    session.save()


@pytest.mark.django_db
def test_signing_in_starts_the_absolute_limit(client, operator):
    client.post(reverse("accounts:login"), {"username": "operator", "password": PASSWORD})
    assert abs(client.session[SIGNED_IN_AT] - time.time()) < 5


@pytest.mark.django_db
def test_a_session_ends_after_twelve_hours_however_busy(operator):
    client = client_for(operator)
    _age_session(client, 12 * 3600 - 60)
    assert client.get("/console/").status_code == 200
    _age_session(client, 12 * 3600 + 1)
    response = client.get("/console/", headers={"accept-language": "en"})
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('accounts:login')}?next=/console/"
    page = client.get(response["Location"], headers={"accept-language": "en"}).content.decode()
    assert "at most 12 hours" in page


@pytest.mark.django_db
def test_the_absolute_limit_is_a_setting(operator, settings):
    settings.SESSION_ABSOLUTE_SECONDS = 3600
    client = client_for(operator)
    _age_session(client, 3601)
    assert client.get("/console/").status_code == 302


@pytest.mark.django_db
def test_the_keep_alive_renews_the_idle_time_and_says_what_is_left(operator):
    client = client_for(operator)
    _age_session(client, 3600)
    answer = client.post(KEEP_ALIVE).json()
    assert answer["signed_in"] is True and answer["idle_seconds"] == 30 * 60
    assert 11 * 3600 - 5 <= answer["absolute_seconds"] <= 11 * 3600
    assert client.session.get_expiry_age() == 30 * 60


@pytest.mark.django_db
def test_the_keep_alive_cannot_pass_the_absolute_limit(operator):
    client = client_for(operator)
    _age_session(client, 12 * 3600 + 1)
    assert client.post(KEEP_ALIVE).status_code == 401


@pytest.mark.django_db
def test_the_keep_alive_answers_401_to_anyone_signed_out_and_only_takes_posts(client, operator):
    assert client.post(KEEP_ALIVE).json() == {"signed_in": False}
    assert client.post(KEEP_ALIVE).status_code == 401
    assert client_for(operator).get(KEEP_ALIVE).status_code == 405


@pytest.mark.django_db
def test_the_keep_alive_checks_the_csrf_token(operator):
    client = Client(enforce_csrf_checks=True)
    client.force_login(operator)
    assert client.post(KEEP_ALIVE).status_code == 403
