"""The internet-facing host (PUBLIC_ONLY=1): citizens' pages only, and only the tables its role may use.

These run in-process on either database. tests/test_public_role.py serves the same pages under
the real restricted PostgreSQL role.
"""

import os
import re
import subprocess
import sys
import uuid

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import URLPattern, URLResolver, get_resolver

from conftest import THIS_SITE
from contactcenter import public_host
from contactcenter.accounts.tests.factories import DepartmentFactory
from inquiries.models import InboxMessage
from knowledgebase import services
from knowledgebase.models import DailyViews, Feedback, SearchLog, SiteNotice, Status
from knowledgebase.tests.factories import ArticleFactory, CategoryFactory

pytestmark = pytest.mark.django_db

LANGUAGE_PREFIXES = ("", "/en", "/zh-hans", "/ko")
STAFF_PATHS = (
    "/accounts/",
    "/accounts/login/",
    "/accounts/logout/",
    "/accounts/password_change/",
    "/admin/",
    "/admin/login/",
    "/console/",
    "/console/inquiries/",
    "/kb/",
    "/reports/",
    "/reports/volume/",
)


@pytest.fixture
def public_only(settings):
    settings.PUBLIC_ONLY = True
    settings.ROOT_URLCONF = "contactcenter.urls_public"
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.signed_cookies"
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}


@pytest.fixture
def article(db, no_search_index):
    """A published Q&A, found through the database (no index built on this host yet), whatever
    index other tests left behind."""
    category = CategoryFactory(name="ごみ", parent=CategoryFactory(name="くらし"))
    return services.save_article(
        article=ArticleFactory.build(
            status=Status.PUBLISHED,
            question="粗大ごみの出し方を教えてください",
            answer="粗大ごみ受付センターに申し込みます。",
            category=category,
            department=DepartmentFactory(code="gomi", name="ごみ減量推進課", phone="011-211-2928"),
        )
    )


def _names(patterns: list, namespace: str = "") -> set[str]:
    found = set()
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            found |= _names(pattern.url_patterns, inner)
        elif isinstance(pattern, URLPattern) and pattern.name:
            found.add(namespace + pattern.name)
    return found


def test_the_public_url_configuration_names_only_citizens_pages():
    public = _names(get_resolver("contactcenter.urls_public").url_patterns)
    everything = _names(get_resolver("contactcenter.urls").url_patterns)
    assert public <= everything  # the same pages under the same names as on the staff hosts
    assert {name.split(":")[0] for name in public if ":" in name} == {
        "knowledgebase",
        "contact",
        "api",
        "opendata",
    }
    assert everything - public >= {"accounts:login", "staff:home", "admin:index", "reports:overview"}


@pytest.mark.parametrize("path", STAFF_PATHS)
def test_staff_login_and_admin_urls_do_not_exist_on_the_public_host(public_only, client, path):
    response = client.get(path)
    assert response.status_code == 404
    # The citizens' "page not found", which links no staff page.
    assert "errors/public_404.html" in [template.name for template in response.templates]


def test_staff_urls_are_still_there_without_public_only(client):
    assert client.get("/accounts/login/").status_code == 200
    assert client.get("/console/").status_code == 302


def test_the_public_pages_work_in_every_language_on_the_public_host(public_only, client, article):
    category = article.category
    for prefix in LANGUAGE_PREFIXES:
        for path in ("/", "/search/?q=粗大ごみ", f"/faq/{article.pk}/", f"/category/{category.pk}/"):
            response = client.get(prefix + path, follow=True)
            assert response.status_code == 200, prefix + path
            assert "粗大ごみ" in response.content.decode(), prefix + path
        assert client.get(f"{prefix}/accessibility/").status_code == 200
        assert client.get(f"{prefix}/contact/").status_code == 200
        assert client.get(f"{prefix}/open-data/").status_code == 200
    assert client.get("/open-data/inquiries.csv").status_code == 200
    for path in ("/sitemap.xml", "/robots.txt", "/healthz", f"/api/v1/faq/articles/{article.pk}"):
        assert client.get(path).status_code == 200, path
    assert client.get("/favicon.ico").status_code == 302
    assert client.get("/api/v1/faq/search?q=粗大ごみ").json()["total"] == 1
    assert client.get("/display/?text=large&next=/en/")["Location"] == "/en/"
    assert client.post("/i18n/setlang/", {"language": "en", "next": "/"}).status_code == 302


def test_feedback_and_the_contact_form_are_sent_on_the_public_host(public_only, client, article):
    assert (
        client.post(f"/faq/{article.pk}/feedback/", {"helpful": "yes"}, HTTP_ORIGIN=THIS_SITE).status_code
        == 302
    )
    assert Feedback.objects.filter(article=article, helpful=True).exists()
    sent = client.post(
        "/en/contact/",
        {"question": "When is bulky waste collected?", "reply_by": "none", "form_token": str(uuid.uuid4())},
    )
    assert sent.status_code == 302 and sent["Location"].startswith("/en/contact/thanks/")
    assert client.get(sent["Location"]).status_code == 200
    assert InboxMessage.objects.get().question == "When is bulky waste collected?"


# Table names are lower case, SQL keywords (ON CONFLICT … DO UPDATE SET, FOR UPDATE) upper case.
TABLE = re.compile(r'\b(FROM|JOIN|INTO|UPDATE)\s+"?([a-z_][a-z0-9_]*)"?')


def _tables(sql: str, keyword: str) -> set[str]:
    return {table for word, table in TABLE.findall(sql) if word == keyword}


def test_public_pages_touch_only_the_tables_the_public_role_is_granted(public_only, article):
    """Every statement a citizen's visit runs stays within PUBLIC_READ and PUBLIC_WRITE."""
    SiteNotice.objects.create(title="大雨のため窓口を閉めています")
    client = Client(HTTP_USER_AGENT="Mozilla/5.0")
    with CaptureQueriesContext(connection) as captured:
        for prefix in LANGUAGE_PREFIXES:
            client.get(f"{prefix}/")
            client.get(f"{prefix}/search/?q=粗大ごみ&page=1")
            client.get(f"{prefix}/faq/{article.pk}/", follow=True)
            client.get(f"{prefix}/category/{article.category.pk}/")
            client.get(f"{prefix}/accessibility/")
            client.get(f"{prefix}/contact/")
            client.get(f"{prefix}/open-data/")
        client.get("/open-data/inquiries.csv")
    search_id = SearchLog.objects.order_by("pk").values_list("pk", flat=True).first()
    with CaptureQueriesContext(connection) as captured_after:
        client.get(f"/faq/{article.pk}/?s={search_id}")
        client.get("/api/v1/faq/search?q=ごみ")
        client.get("/api/v1/faq/suggest?q=粗大ごみ")
        client.get(f"/api/v1/faq/articles/{article.pk}")
        client.get("/sitemap.xml")
        client.get("/healthz")
        client.get("/no-such-page/")
        client.post(
            f"/faq/{article.pk}/feedback/",
            {"helpful": "no", "comment": "わかりにくい"},
            HTTP_ORIGIN=THIS_SITE,
        )
        client.post("/contact/", {"question": "質問", "reply_by": "none", "form_token": str(uuid.uuid4())})
        client.get("/display/?contrast=high")
    statements = [query["sql"] for query in captured.captured_queries + captured_after.captured_queries]
    written = public_host.written_tables()
    readable = public_host.read_tables() | set(written)
    inserted = set().union(*(_tables(sql, "INTO") for sql in statements))
    updated = set().union(*(_tables(sql, "UPDATE") for sql in statements))
    read = set().union(*(_tables(sql, "FROM") | _tables(sql, "JOIN") for sql in statements))
    assert not [sql for sql in statements if sql.lstrip().upper().startswith("DELETE")]
    assert read <= readable, read - readable
    assert inserted <= {table for table, writes in written.items() if writes.insert}
    assert updated <= {table for table, writes in written.items() if writes.update}
    # The visit did write what the public site writes.
    assert inserted >= {
        "knowledgebase_searchlog",
        "knowledgebase_feedback",
        "knowledgebase_dailyviews",
        "accounts_ratelimit",
        "inquiries_inboxmessage",
    }
    assert DailyViews.objects.filter(article=article).exists()
    assert SearchLog.objects.get(pk=search_id).opened_article == article


def test_the_grants_revoke_everything_then_name_each_table_and_column(capsys):
    call_command("public_role_grants", "--role", "faq_public")
    output = capsys.readouterr().out
    lines = output.splitlines()
    assert lines.index('REVOKE ALL ON ALL TABLES IN SCHEMA "public" FROM "faq_public";') < next(
        number for number, line in enumerate(lines) if line.startswith("GRANT SELECT")
    )
    assert 'GRANT SELECT ON "public"."knowledgebase_article" TO "faq_public";' in output
    assert 'GRANT SELECT ON "public"."reports_opendatamonth" TO "faq_public";' in output
    assert 'GRANT INSERT ON "public"."inquiries_inboxmessage" TO "faq_public";' in output
    assert 'GRANT SELECT ("id") ON "public"."inquiries_inboxmessage" TO "faq_public";' in output
    for private in ("inquiries_inquiry", "inquiries_callercontact", "accounts_user", "django_session"):
        assert f'"{private}"' not in output
    assert "django_cache" not in output  # staff hosts unpickle what is in it


def test_a_role_name_that_is_no_plain_identifier_is_refused(capsys):
    with pytest.raises(Exception, match="plain PostgreSQL role name"):
        call_command("public_role_grants", "--role", 'x"; DROP TABLE accounts_user; --')


@pytest.mark.skipif(connection.vendor != "postgresql", reason="sequence names are PostgreSQL's")
def test_each_granted_sequence_is_the_one_behind_its_table(article):
    from django.apps import apps

    with connection.cursor() as cursor:
        for label in public_host.PUBLIC_WRITE:
            model = apps.get_model(label)
            cursor.execute(
                "SELECT pg_get_serial_sequence(%s, %s)", [model._meta.db_table, model._meta.pk.column]
            )
            assert cursor.fetchone()[0] == f"public.{public_host.sequence_name(model)}"


def test_the_public_hosts_indexer_keeps_its_index_but_leaves_the_shared_housekeeping(
    public_only, search_index, article
):
    from datetime import timedelta

    from django.utils import timezone

    from contactcenter.accounts.models import RateLimit
    from knowledgebase.models import IndexLog, RelatedQuestions
    from knowledgebase.search.query import search_articles

    long_ago = timezone.now() - timedelta(days=400)
    IndexLog.objects.update(created_at=long_ago)
    old_search = services.log_search(query="古い", language="ja", channel="public", result_count=0)
    SearchLog.objects.filter(pk=old_search.pk).update(created_at=long_ago)
    RateLimit.objects.create(key="k" * 64, window_start=long_ago, hits=1)
    call_command("run_indexer", "--once")
    assert [hit.article.pk for hit in search_articles("粗大ごみ", language="ja").hits] == [article.pk]
    # Pruning the logs and counters and computing related Q&As are the staff hosts' work.
    assert IndexLog.objects.exists() and SearchLog.objects.filter(pk=old_search.pk).exists()
    assert RateLimit.objects.exists() and not RelatedQuestions.objects.exists()


def _settings_of(**environ: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in {"DJANGO_SETTINGS_MODULE", "CACHE_URL"}}
    code = (
        "from contactcenter import settings as s; "
        "print(s.ROOT_URLCONF, s.CACHES['default']['BACKEND'], getattr(s, 'SESSION_ENGINE', '-'))"
    )
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=settings.BASE_DIR,
        env={**env, **environ},
        capture_output=True,
        text=True,
    )


def test_public_only_switches_the_urls_and_keeps_sessions_and_cache_out_of_the_database():
    result = _settings_of(PUBLIC_ONLY="1")
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        "contactcenter.urls_public",
        "django.core.cache.backends.locmem.LocMemCache",
        "django.contrib.sessions.backends.signed_cookies",
    ]
    assert _settings_of().stdout.split()[:2] == [
        "contactcenter.urls",
        "django.core.cache.backends.db.DatabaseCache",
    ]


def test_a_public_host_refuses_the_database_cache_the_staff_hosts_read():
    result = _settings_of(PUBLIC_ONLY="1", CACHE_URL="dbcache://django_cache")
    assert result.returncode != 0
    assert "PUBLIC_ONLY" in result.stderr and "CACHE_URL" in result.stderr


def test_the_readme_ships_the_statements_the_command_prints(capsys):
    call_command("public_role_grants", "--role", "contactcenter_public")
    printed = capsys.readouterr().out.strip()
    assert printed in (settings.BASE_DIR / "README.md").read_text()
