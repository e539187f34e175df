"""With DEBUG off the site is HTTPS-only without any further variable (issue 15, secure by default).

Each test starts a fresh Python with nothing but the production minimum in its environment, as a
new deployer would, since the settings are read once at import.
"""

import json
import os
import secrets
import subprocess
import sys
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent

PROBE = """
import json
import django
django.setup()
from django.conf import settings
from django.test import Client

client = Client(raise_request_exception=False)
def answer(path, **headers):
    response = client.get(path, headers=headers)
    return [response.status_code, response.get("Location", "")]

print(json.dumps({
    "session_cookie_secure": settings.SESSION_COOKIE_SECURE,
    "csrf_cookie_secure": settings.CSRF_COOKIE_SECURE,
    "hsts_seconds": settings.SECURE_HSTS_SECONDS,
    "plain": answer("/robots.txt"),
    "healthz": answer("/healthz"),
    "through_tls_proxy": answer("/robots.txt", x_forwarded_proto="https"),
    "hsts_header": client.get("/robots.txt", headers={"x-forwarded-proto": "https"}).get(
        "Strict-Transport-Security", ""
    ),
}))
"""


def _production_environment(tmp_path: Path, **extra: str) -> dict[str, str]:
    """Only DEBUG=0, SECRET_KEY, ALLOWED_HOSTS and PUBLIC_BASE_URL (plus where to keep files)."""
    return {
        "PATH": os.environ.get("PATH", ""),
        "HOME": str(tmp_path),
        "DEBUG": "0",
        "SECRET_KEY": secrets.token_urlsafe(60),
        "ALLOWED_HOSTS": "faq.city.example.jp,testserver",
        "PUBLIC_BASE_URL": "https://faq.city.example.jp",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "DJANGO_SETTINGS_MODULE": "contactcenter.settings",
        **extra,
    }


def _run(args: list[str], environment: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, *args], cwd=BASE_DIR, env=environment, capture_output=True, text=True, timeout=120
    )


def _probe(tmp_path: Path, **extra: str) -> dict:
    result = _run(["-c", PROBE], _production_environment(tmp_path, **extra))
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_the_deploy_check_passes_with_only_the_required_variables(tmp_path):
    result = _run(
        ["manage.py", "check", "--deploy", "--fail-level", "WARNING"], _production_environment(tmp_path)
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_cookies_are_secure_and_plain_http_is_redirected_to_https(tmp_path):
    answers = _probe(tmp_path)
    assert answers["session_cookie_secure"] and answers["csrf_cookie_secure"]
    assert answers["plain"] == [301, "https://testserver/robots.txt"]


def test_the_health_check_is_not_redirected_for_load_balancers(tmp_path):
    status, location = _probe(tmp_path)["healthz"]
    assert status != 301 and not location


def test_a_request_through_the_tls_proxy_is_served_without_a_redirect_loop(tmp_path):
    answers = _probe(tmp_path)
    assert answers["through_tls_proxy"] == [200, ""]
    # One year, this host only: the city's other hosts share its domain.
    assert answers["hsts_header"] == "max-age=31536000"


def test_a_plain_http_test_host_opts_out_with_one_variable(tmp_path):
    answers = _probe(tmp_path, ALLOW_PLAIN_HTTP="1")
    assert not answers["session_cookie_secure"] and not answers["csrf_cookie_secure"]
    assert answers["plain"] == [200, ""]
    assert answers["hsts_seconds"] == 0
