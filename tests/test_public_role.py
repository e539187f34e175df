"""The public host served by gunicorn under its restricted PostgreSQL role, as deployed.

Django's test database cannot switch roles, so this test makes the role, applies the statements
`manage.py public_role_grants` prints, and runs the indexer and gunicorn with PUBLIC_ONLY=1 as
that role in subprocesses against the (committed) test database. A citizen's whole visit works;
the role reads no inquiry, contact or inbox message, whatever the code would ask.
"""

import http.cookiejar
import json
import os
import re
import secrets
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import psycopg
import pytest
from django.conf import settings
from django.db import connection

from contactcenter.accounts.tests.factories import DepartmentFactory
from contactcenter.public_host import grant_statements
from inquiries.models import InboxMessage
from inquiries.tests.factories import CallerContactFactory
from knowledgebase import services
from knowledgebase.models import DailyViews, Feedback, SearchLog, SiteNotice, Status
from knowledgebase.search import sentences
from knowledgebase.tests.factories import ArticleFactory, CategoryFactory

pytestmark = [
    pytest.mark.multiprocess,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="needs PostgreSQL roles and a database shared between processes: run with DATABASE_URL=postgres://…",
    ),
]

BIN = Path(sys.executable).parent
PRIVATE_TABLES = (
    "inquiries_inquiry",
    "inquiries_callercontact",
    "inquiries_inboxmessage",
    "inquiries_inboundemail",
    "inquiries_attachment",
    "accounts_user",
    "accounts_auditevent",
    "django_session",
    "django_cache",
    "knowledgebase_revision",
    "knowledgebase_feedback",
    "knowledgebase_searchlog",
)


def _superuser_sql(sql: str, params: list | None = None) -> None:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def _drop_role(role: str) -> None:
    _superuser_sql("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = %s", [role])
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", [role])
        if cursor.fetchone():
            cursor.execute(f'DROP OWNED BY "{role}"')
            cursor.execute(f'DROP ROLE "{role}"')


@pytest.fixture
def public_role():
    """A login role with exactly the public host's grants; its database URL."""
    database = connection.settings_dict
    role = f"{database['NAME']}_public"[:63]
    password = secrets.token_hex(16)
    _drop_role(role)  # left over from an interrupted run
    _superuser_sql(f"CREATE ROLE \"{role}\" LOGIN PASSWORD '{password}'")
    for statement in grant_statements(role):
        _superuser_sql(statement)
    host, port = database["HOST"] or "127.0.0.1", database["PORT"] or 5432
    yield role, f"postgres://{role}:{password}@{host}:{port}/{database['NAME']}"
    _drop_role(role)


@pytest.fixture
def public_env(public_role, tmp_path):
    _role, url = public_role
    environment = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DJANGO_SETTINGS_MODULE", "CACHE_URL", "SECRET_KEY", "DEBUG", "PUBLIC_BASE_URL"}
    }
    return {
        **environment,
        "DJANGO_SETTINGS_MODULE": "contactcenter.settings",
        "DATABASE_URL": url,
        "PUBLIC_ONLY": "1",
        # Development mode: static files without a collectstatic run; the URLs are the same.
        "DEBUG": "1",
        "SEARCH_INDEX_DIR": str(tmp_path / "public_index"),
        "MEDIA_ROOT": str(tmp_path / "uploads"),
        "PUBLIC_VIEW_FLUSH_SECONDS": "0",  # page views written at once, so the test sees them
        "LOG_LEVEL": "WARNING",
    }


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def public_server(public_env, tmp_path):
    """gunicorn on loopback as the public host; yields its address and its log file."""
    port = _free_port()
    log = tmp_path / "gunicorn.log"
    with log.open("w") as output:
        process = subprocess.Popen(
            [str(BIN / "gunicorn"), "contactcenter.wsgi", "--bind", f"127.0.0.1:{port}", "--workers", "1"],
            cwd=settings.BASE_DIR,
            env=public_env,
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


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: object, **kwargs: object) -> None:
        return None


class Visitor:
    """A citizen's browser: keeps cookies, does not follow redirects."""

    def __init__(self, base: str) -> None:
        self.base = base
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()), _NoRedirect()
        )

    def request(self, path: str, data: dict[str, str] | None = None) -> tuple[int, dict[str, str], str]:
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        url = self.base + urllib.parse.quote(path, safe="/?=&%:")
        # A browser names the page's origin with every form it posts.
        headers = {"Origin": self.base} if body else {}
        request = urllib.request.Request(url, data=body, headers=headers)  # noqa: S310 (our own http server)
        try:
            with self.opener.open(request, timeout=60) as response:
                return response.status, dict(response.headers), response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, dict(error.headers), error.read().decode()

    def form_fields(self, html: str) -> dict[str, str]:
        return dict(re.findall(r'name="(csrfmiddlewaretoken|form_token)" value="([^"]+)"', html))


def test_the_public_site_works_under_its_role_which_reads_no_inquiry_or_contact(
    public_role, public_env, public_server
):
    _role, url = public_role
    base, log = public_server
    contact = CallerContactFactory(name="札幌 花子", phone="090-1111-2222")
    waiting = InboxMessage.objects.create(
        reference="AAAA-BBBB-CC",
        form_token="00000000-0000-0000-0000-000000000001",
        question="個人的な相談",
        language="ja",
        reply_by="phone",
        phone="090-3333-4444",
    )
    article = services.save_article(
        article=ArticleFactory.build(
            status=Status.PUBLISHED,
            question="粗大ごみの出し方を教えてください",
            answer="粗大ごみ受付センターに申し込みます。",
            category=CategoryFactory(name="ごみ"),
            department=DepartmentFactory(code="gomi", name="ごみ減量推進課"),
        )
    )
    SiteNotice.objects.create(title="大雨のため窓口を閉めています")
    services.save_article(article=ArticleFactory.build(status=Status.DRAFT, question="未公開の下書き"))
    services.save_article(
        article=ArticleFactory.build(status=Status.PUBLISHED, audience="internal", question="職員向けの手順")
    )
    indexer = subprocess.run(
        [sys.executable, "manage.py", "run_indexer", "--once"],
        cwd=settings.BASE_DIR,
        env=public_env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert indexer.returncode == 0, indexer.stderr
    # The question vectors are the staff hosts' indexers' work: the public one only reads them.
    assert sentences.refresh() == 2  # the public and the staff-only Q&A

    citizen = Visitor(base)
    for path in (
        "/",
        "/en/",
        "/zh-hans/",
        "/ko/",
        f"/category/{article.category_id}/",
        "/accessibility/",
        "/open-data/",
    ):
        status, _headers, html = citizen.request(path)
        assert status == 200, path
        assert "大雨のため窓口を閉めています" in html, path
    assert citizen.request("/open-data/inquiries.csv")[0] == 200
    status, _headers, html = citizen.request("/search/?q=粗大ごみ")
    assert status == 200 and "粗大ごみの出し方を教えてください" in html
    status, _headers, body = citizen.request("/api/v1/faq/search?q=粗大ごみ")
    found = json.loads(body)
    assert status == 200 and found["total"] == 1
    opened = urllib.parse.urlsplit(found["results"][0]["url"])
    status, _headers, page = citizen.request(f"{opened.path}?{opened.query}")
    assert status == 200 and "粗大ごみ受付センター" in page
    assert citizen.request(f"/api/v1/faq/articles/{article.pk}")[0] == 200
    for path in ("/sitemap.xml", "/robots.txt", "/healthz"):
        assert citizen.request(path)[0] == 200, path

    status, headers, _ = citizen.request(
        f"/faq/{article.pk}/feedback/",
        {**citizen.form_fields(page), "helpful": "no", "comment": "わかりにくい"},
    )
    assert status == 302, headers
    status, _headers, form_page = citizen.request("/contact/")
    assert status == 200
    status, headers, _ = citizen.request(
        "/contact/",
        {
            **citizen.form_fields(form_page),
            "question": "粗大ごみの収集日を変更したい",
            "reply_by": "email",
            "email": "hanako@example.jp",
            "age_band": "unknown",
            "gender": "unknown",
        },
    )
    assert status == 302 and headers["Location"].startswith("/contact/thanks/")
    status, _headers, thanks = citizen.request(headers["Location"])
    assert status == 200

    for path in ("/accounts/login/", "/admin/", "/console/", "/kb/", "/reports/", "/accounts/"):
        assert citizen.request(path)[0] == 404, path

    # What the visit wrote arrived, through the role's insert and update rights alone.
    sent = InboxMessage.objects.exclude(pk=waiting.pk).get()
    assert sent.reference in thanks and sent.email == "hanako@example.jp"
    assert Feedback.objects.get(article=article).comment == "わかりにくい"
    assert SearchLog.objects.filter(channel="public", result_count=1).exists()
    assert SearchLog.objects.get(channel="api").opened_article_id == article.pk
    assert DailyViews.objects.filter(article=article).exists()
    server_log = log.read_text()
    assert "permission denied" not in server_log and "Traceback" not in server_log, server_log

    with psycopg.connect(url.replace("postgres://", "postgresql://"), autocommit=True) as public:
        # Drafts and staff-only Q&As are not even rows to it (row-level security).
        assert public.execute("SELECT id FROM knowledgebase_article").fetchall() == [(article.pk,)]
        assert public.execute("SELECT article_id FROM knowledgebase_questionvector").fetchall() == [
            (article.pk,)
        ]
        for table in PRIVATE_TABLES:
            with pytest.raises(psycopg.errors.InsufficientPrivilege):
                public.execute(f"SELECT * FROM {table}")  # noqa: S608 (names from the list above)
        for statement in (
            "UPDATE inquiries_inboxmessage SET question = ''",
            "DELETE FROM knowledgebase_feedback",
            "UPDATE knowledgebase_article SET answer = ''",
            "INSERT INTO inquiries_inquiry (summary) VALUES ('x')",
            # PostgreSQL 15 no longer lets every role create tables in the public schema.
            *(["CREATE TABLE stolen (id int)"] if public.info.server_version >= 150000 else []),
        ):
            with pytest.raises(psycopg.errors.InsufficientPrivilege):
                public.execute(statement)
    contact.refresh_from_db()
    assert contact.phone == "090-1111-2222"
