"""Project-wide behaviour: health check, error pages, languages and settings."""

import logging
import os
import re
import subprocess
import sys
from pathlib import Path
from unittest import mock

import pytest
from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.exceptions import ImproperlyConfigured
from django.templatetags.static import static
from django.test import Client, RequestFactory
from django.urls import reverse

from conftest import client_for
from contactcenter import views
from contactcenter.health import Status, current_health
from contactcenter.lib.links import configured_base_url

BASE_DIR = Path(__file__).resolve().parent.parent


@pytest.mark.django_db
def test_health_is_ok_with_database_and_index(client, search_index):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json()["status"] == "ok"


@pytest.mark.django_db
def test_health_is_degraded_but_200_while_the_index_is_missing(client, no_search_index):
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "degraded"
    assert body["checks"]["search_index"] == "degraded"
    assert body["reasons"]


@pytest.mark.django_db
def test_health_is_503_when_the_database_is_unreachable(client):
    from django.db import OperationalError

    with mock.patch("django.db.backends.utils.CursorWrapper.execute", side_effect=OperationalError("gone")):
        health = current_health()
    assert health.status == Status.DOWN
    with mock.patch("contactcenter.views.current_health", return_value=health):
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["checks"]["database"] == "down"


@pytest.mark.django_db
def test_health_is_never_cached(client):
    assert "no-store" in client.get("/healthz")["Cache-Control"]


@pytest.mark.django_db
def test_public_home_shows_the_centre_phone_as_a_link(client):
    response = client.get("/")
    assert response.status_code == 200
    assert 'href="tel:0110001234"' in response.content.decode()


@pytest.mark.django_db
def test_public_home_is_japanese_by_default_and_english_under_en(client):
    ja = client.get("/").content.decode()
    en = client.get("/en/").content.decode()
    assert '<html lang="ja">' in ja and "電話" in ja
    assert '<html lang="en">' in en and "Phone" in en


def _static_file(url: str) -> bytes:
    """The file a static URL serves (whitenoise serves it from the collected files)."""
    assert url.startswith(settings.STATIC_URL) or url.startswith("/" + settings.STATIC_URL), url
    found = finders.find(url.split(settings.STATIC_URL, 1)[1])
    assert found, url
    return Path(found).read_bytes()


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/", "/en/accessibility/", "/accounts/login/", "/no-such-page/"])
def test_every_page_links_a_small_svg_icon(client, path):
    html = client.get(path).content.decode()
    icon = re.search(r'<link rel="icon" href="([^"]+)" type="image/svg\+xml">', html).group(1)
    svg = _static_file(icon)
    assert svg.startswith(b"<svg") and len(svg) < 2048


@pytest.mark.django_db
def test_favicon_ico_answers_with_the_icon_instead_of_a_404(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 302
    assert response["Location"] == static("img/favicon.svg")
    assert _static_file(response["Location"]).startswith(b"<svg")
    assert "public" in response["Cache-Control"]


@pytest.mark.django_db
def test_search_examples_are_in_the_readers_language(client):
    def examples(path: str) -> str:
        html = client.get(path).content.decode()
        return re.search(r'<p class="help" id="search-q-help">(.*?)</p>', html).group(1)

    assert examples("/en/") == "For example: certificate of residence, oversized waste, moving out"
    assert examples("/") == "例：住民票 コンビニ、粗大ごみ 出し方、引っ越し 手続き"
    assert "粗大" not in examples("/ko/")


@pytest.mark.django_db
def test_language_switch_moves_to_the_same_page_in_english(client):
    response = client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert response.status_code == 302
    assert response["Location"] == "/en/"


@pytest.mark.django_db
def test_switcher_links_to_this_page_in_the_four_languages(client):
    body = client.get("/accessibility/").content.decode()
    for code, name in (("en", "English"), ("zh-hans", "简体中文"), ("ko", "한국어")):
        assert (
            f'<a class="language" href="/{code}/accessibility/" lang="{code}" hreflang="{code}">{name}</a>'
            in body
        )
    assert 'aria-current="page">日本語</span>' in body


@pytest.mark.django_db
def test_unknown_public_page_is_a_404_in_the_visitors_language_with_a_way_back(client):
    ja = client.get("/no-such-page/")
    en = client.get("/en/no-such-page/")
    assert ja.status_code == en.status_code == 404
    assert "ページが見つかりません" in ja.content.decode()
    assert "Page not found" in en.content.decode()
    assert 'href="/en/"' in en.content.decode()


@pytest.mark.django_db
def test_unknown_staff_page_is_a_404_in_the_staff_style(client):
    response = client.get("/accounts/no-such-page/")
    assert response.status_code == 404
    assert 'class="site-staff"' in response.content.decode()


@pytest.mark.django_db
def test_server_error_page_renders_without_the_database(rf: RequestFactory):
    request = rf.get("/en/some-page/")
    with mock.patch("django.db.backends.utils.CursorWrapper.execute", side_effect=AssertionError("no DB")):
        response = views.server_error(request)
    assert response.status_code == 500
    assert settings.CENTRE_PHONE in response.content.decode()


@pytest.mark.django_db
def test_bad_request_and_forbidden_pages_render(rf: RequestFactory):
    request = rf.get("/accounts/")
    request.user = mock.Mock(is_authenticated=False)
    assert views.bad_request(request).status_code == 400
    assert views.permission_denied(request).status_code == 403


@pytest.fixture
def request_log(caplog):
    """What django.request logs: it does not propagate to the root logger caplog listens on."""
    logger = logging.getLogger("django.request")
    logger.addHandler(caplog.handler)
    caplog.set_level(logging.INFO, logger="django.request")
    yield caplog
    logger.removeHandler(caplog.handler)


def _one_line(record: logging.LogRecord) -> str:
    formatter = logging.Formatter(settings.LOGGING["formatters"]["plain"]["format"])
    return formatter.format(record)


@pytest.mark.django_db
def test_a_forbidden_page_is_one_warning_line_with_path_and_user_not_a_traceback(
    request_log, department_editor
):
    response = client_for(department_editor).get("/kb/notices/")
    assert response.status_code == 403
    [record] = request_log.records
    assert record.levelno == logging.WARNING and record.exc_info is None
    line = _one_line(record)
    assert "\n" not in line and "Traceback" not in line
    assert "/kb/notices/" in line and f"(user {department_editor.pk})" in line


@pytest.mark.django_db
def test_a_server_error_is_still_logged_with_its_traceback(request_log):
    client = Client(raise_request_exception=False)
    with mock.patch("contactcenter.views.hours.opening", side_effect=RuntimeError("broken clock")):
        assert client.get("/").status_code == 500
    [record] = request_log.records
    assert record.levelno == logging.ERROR and record.exc_info
    assert "Traceback" in _one_line(record) and "broken clock" in _one_line(record)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("path", "words"), [("/en/", "Temporarily unavailable"), ("/", "一時的"), ("/accounts/", "一時的")]
)
def test_the_database_out_of_reach_is_a_503_to_retry_in_the_visitors_language(path, words, operator):
    from django.db import OperationalError

    client = Client(raise_request_exception=False)
    if path.startswith("/accounts/"):
        client.force_login(operator)
    with mock.patch("django.db.backends.utils.CursorWrapper.execute", side_effect=OperationalError("gone")):
        response = client.get(path)
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert words in response.content.decode()
    assert "Traceback" not in response.content.decode()


@pytest.mark.django_db
def test_a_database_outage_logs_one_line_per_request_and_does_not_blame_the_search_index(
    request_log, search_index
):
    from django.db import OperationalError

    from knowledgebase.search.backend import backend

    client = Client(raise_request_exception=False)
    with mock.patch(
        "django.db.backends.utils.CursorWrapper.execute",
        side_effect=OperationalError("connection refused\n\tIs the server running?"),
    ):
        assert client.get("/search/", {"q": "粗大ごみ"}).status_code == 503
    assert not [r for r in request_log.records if "Search index unavailable" in r.getMessage()]
    [record] = [r for r in request_log.records if r.name == "django.request"]
    line = _one_line(record)
    assert record.levelno == logging.WARNING and "\n" not in line and "Traceback" not in line
    assert "/search/" in line and "database out of reach: connection refused" in line
    assert not backend().store.is_suspect()  # the index was not marked as broken


def _import_settings(**environ: str) -> subprocess.CompletedProcess:
    unset = {"SECRET_KEY", "DEBUG", "PUBLIC_BASE_URL", "DJANGO_SETTINGS_MODULE"}
    env = {k: v for k, v in os.environ.items() if k not in unset}
    env.update(environ)
    return subprocess.run(
        [sys.executable, "-c", "import contactcenter.settings"],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
    )


def test_production_refuses_to_start_without_a_real_secret_key():
    result = _import_settings(DEBUG="0")
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


PRODUCTION_SECRET_KEY = "x" * 20 + "a-real-random-production-secret-value-123"


def test_production_starts_with_a_long_secret_key_and_its_public_address():
    result = _import_settings(
        DEBUG="0", SECRET_KEY=PRODUCTION_SECRET_KEY, PUBLIC_BASE_URL="https://faq.city.example.jp"
    )
    assert result.returncode == 0, result.stderr


def test_production_refuses_to_start_without_its_public_address():
    result = _import_settings(DEBUG="0", SECRET_KEY=PRODUCTION_SECRET_KEY)
    assert result.returncode != 0
    assert "PUBLIC_BASE_URL" in result.stderr and "https://faq.city.example.jp" in result.stderr


def test_a_public_address_with_a_path_is_refused():
    result = _import_settings(PUBLIC_BASE_URL="https://www.city.example.jp/faq/")
    assert result.returncode != 0
    assert "PUBLIC_BASE_URL" in result.stderr


def test_development_starts_without_a_public_address():
    assert _import_settings().returncode == 0


def test_work_without_a_request_gets_the_configured_address_or_a_clear_error(settings):
    settings.PUBLIC_BASE_URL = "https://faq.city.example.jp"
    assert configured_base_url() == "https://faq.city.example.jp"
    settings.PUBLIC_BASE_URL = ""
    with pytest.raises(ImproperlyConfigured, match="PUBLIC_BASE_URL"):
        configured_base_url()
