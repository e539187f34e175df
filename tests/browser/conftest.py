"""Browser tests: Playwright drives Debian's Chromium against Django's live server.

Playwright never downloads a browser here; it is pointed at /usr/bin/chromium.
Without chromium these tests skip, unless REQUIRE_BROWSER=1 (CI) makes that a failure.
"""

import os
import shutil

import pytest

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
IMPACTS_THAT_FAIL = {"serious", "critical"}


def pytest_collection_modifyitems(config, items):
    for item in items:
        if "tests/browser/" in str(item.fspath).replace(os.sep, "/"):
            item.add_marker(pytest.mark.browser)


def _chromium_available() -> bool:
    return os.path.exists(CHROMIUM) or shutil.which("chromium") is not None


def _require_chromium() -> None:
    if _chromium_available():
        return
    message = "Chromium is missing: install it with `apt-get install chromium fonts-ipafont-gothic`."
    if os.environ.get("REQUIRE_BROWSER") == "1":
        pytest.fail(message)
    pytest.skip(message)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    # Checked here, before Playwright launches anything (session fixtures come first).
    _require_chromium()
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_ARGS, "headless": True}


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    # A Japanese office PC: staff pages follow the browser's language.
    return {**browser_context_args, "locale": "ja-JP"}


@pytest.fixture(autouse=True)
def _fail_fast(page):
    page.set_default_timeout(5000)


@pytest.fixture(autouse=True)
def _no_content_security_policy_violations(page):
    """The policy blocks inline code silently for the user; here any block fails the test.

    Playwright's own evaluate (axe runs through it) is not subject to the page's policy.
    """
    violations: list[str] = []
    page.on(
        "console",
        lambda message: violations.append(message.text)
        if message.type == "error" and "Content Security Policy" in message.text
        else None,
    )
    yield
    assert not violations, f"Content-Security-Policy blocked: {violations}"


@pytest.fixture(scope="session", autouse=True)
def _allow_orm_beside_playwright():
    # Playwright's sync API runs an event loop in this thread; Django would refuse
    # the ORM calls the tests make to set up and flush data. Only for these tests.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    yield
    if previous is None:
        del os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"]
    else:
        os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture(autouse=True)
def _reference_data(transactional_db):
    """Put back what data migrations made (the roles), which a transactional test's flush removed.

    Data migrations that create reference data mark their function `reference_data = True`.
    """
    from django.apps import apps
    from django.db import connection
    from django.db.migrations.loader import MigrationLoader
    from django.db.migrations.operations import RunPython

    loader = MigrationLoader(connection)
    plan = dict.fromkeys(n for leaf in loader.graph.leaf_nodes() for n in loader.graph.forwards_plan(leaf))
    with connection.schema_editor() as schema_editor:
        for key in plan:
            for operation in loader.get_migration(*key).operations:
                if isinstance(operation, RunPython) and getattr(operation.code, "reference_data", False):
                    operation.code(apps, schema_editor)


def assert_accessible(page) -> None:
    """Fail on any serious or critical axe-core violation on the current page."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    violations = [v for v in results.response["violations"] if v.get("impact") in IMPACTS_THAT_FAIL]
    details = "\n".join(
        f"- {v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes']][:3]}"
        for v in violations
    )
    assert not violations, f"Accessibility violations on {page.url}:\n{details}"


def log_in(page, live_server, username: str, password: str) -> None:
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("ユーザー名").fill(username)
    page.get_by_label("パスワード").fill(password)
    page.get_by_role("button", name="ログイン").click()
