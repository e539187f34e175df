"""PostgreSQL drops every connection (a restart, a fail-over): gunicorn's workers notice at the
next request and connect again, so not one page fails once the database is back.

Django's test client keeps one connection and never checks it, so this runs gunicorn in a
subprocess against the (committed) test database and cuts its connections with
pg_terminate_backend between two rounds of requests.
"""

import os
import subprocess
import time
import urllib.request

import pytest
from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore
from django.db import connection

from contactcenter.accounts.tests.factories import UserFactory
from inquiries.tests.factories import InquiryFactory
from knowledgebase.models import Status
from knowledgebase.tests.factories import ArticleFactory
from tests.test_public_role import BIN, Visitor, _free_port

pytestmark = [
    pytest.mark.multiprocess,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="needs a database shared between processes: run with DATABASE_URL=postgres://…",
    ),
]

WORKERS = 2


def _database_url() -> str:
    database = connection.settings_dict
    user = database["USER"] or "postgres"
    password = f":{database['PASSWORD']}" if database["PASSWORD"] else ""
    host, port = database["HOST"] or "127.0.0.1", database["PORT"] or 5432
    return f"postgres://{user}{password}@{host}:{port}/{database['NAME']}"


@pytest.fixture
def server(tmp_path):
    environment = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DJANGO_SETTINGS_MODULE", "CACHE_URL", "SECRET_KEY", "DEBUG", "PUBLIC_BASE_URL"}
    }
    environment.update(
        DJANGO_SETTINGS_MODULE="contactcenter.settings",
        DATABASE_URL=_database_url(),
        SECRET_KEY=settings.SECRET_KEY,
        DEBUG="1",
        SEARCH_INDEX_DIR=str(tmp_path / "index"),
        MEDIA_ROOT=str(tmp_path / "uploads"),
        LOG_LEVEL="WARNING",
    )
    port = _free_port()
    log = tmp_path / "gunicorn.log"
    with log.open("w") as output:
        process = subprocess.Popen(
            [
                str(BIN / "gunicorn"),
                "contactcenter.wsgi",
                "--bind",
                f"127.0.0.1:{port}",
                "--workers",
                str(WORKERS),
            ],
            cwd=settings.BASE_DIR,
            env=environment,
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 90
        while True:
            try:
                with urllib.request.urlopen(f"{base}/healthz", timeout=5):  # noqa: S310 (loopback http)
                    break
            except OSError:
                if time.monotonic() > deadline or process.poll() is not None:
                    raise RuntimeError(f"gunicorn did not come up:\n{log.read_text()}") from None
                time.sleep(0.3)
        yield base, log
    finally:
        process.terminate()
        process.wait(timeout=30)


def _signed_in(user) -> str:
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.save()
    return session.session_key


def _cut_every_connection_but_ours() -> int:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
            "WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )
        return cursor.fetchone()[0]


def test_no_page_fails_after_the_database_dropped_every_connection(server):
    base, log = server
    # Not a role persona: an earlier transactional test's flush may have removed the roles'
    # groups; a superuser opens every staff page without them.
    leader = UserFactory(username="night_supervisor", is_superuser=True, is_staff=True)
    article = ArticleFactory(status=Status.PUBLISHED, question="粗大ごみの出し方を教えてください")
    inquiry = InquiryFactory(operator=leader)
    citizen, staff = Visitor(base), Visitor(base)
    staff.opener.addheaders = [("Cookie", f"sessionid={_signed_in(leader)}")]
    pages = [
        (citizen, "/"),
        (citizen, f"/faq/{article.pk}/"),
        (citizen, "/search/?q=粗大ごみ"),
        (staff, "/console/"),
        (staff, f"/console/inquiries/{inquiry.pk}/"),
        (staff, "/reports/"),
    ]

    def round_of_requests() -> list[tuple[str, int]]:
        # Each page several times, so that every worker serves some after the cut.
        return [(path, visitor.request(path)[0]) for _ in range(WORKERS * 2) for visitor, path in pages]

    before = round_of_requests()
    assert {status for _path, status in before} == {200}, before
    assert _cut_every_connection_but_ours() >= 1  # the workers' connections, now gone
    after = round_of_requests()
    assert {status for _path, status in after} == {200}, (after, log.read_text()[-3000:])
