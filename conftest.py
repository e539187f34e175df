"""Fixtures shared by every app's tests: the people of the contact centre."""

import re
from html import unescape

import pytest
from django.test import Client

from contactcenter.accounts.roles import Role
from contactcenter.accounts.tests.factories import DepartmentFactory, UserFactory


@pytest.fixture
def department(db):
    return DepartmentFactory(code="gomi", name="環境局ごみ減量推進課", name_en="Waste Reduction Division")


@pytest.fixture
def other_department(db):
    return DepartmentFactory(code="koseki", name="区役所戸籍住民課", name_en="Residents Division")


@pytest.fixture
def operator(db):
    return UserFactory(username="operator", role=Role.OPERATOR)


@pytest.fixture
def leader(db):
    return UserFactory(username="leader", role=Role.LEADER)


@pytest.fixture
def supervisor(db):
    return UserFactory(username="supervisor", role=Role.SUPERVISOR)


@pytest.fixture
def department_editor(department):
    return UserFactory(username="editor", role=Role.DEPARTMENT_EDITOR, department=department)


@pytest.fixture
def administrator(db):
    return UserFactory(username="administrator", role=Role.ADMINISTRATOR, is_staff=True)


@pytest.fixture
def no_role_user(db):
    return UserFactory(username="newcomer")


# The test client's own origin: browsers send it as `Origin` with every form they post.
THIS_SITE = "http://testserver"


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def japanese_page(user, url: str) -> str:
    """A staff or admin page as a browser set to Japanese gets it."""
    response = client_for(user).get(url, headers={"accept-language": "ja"})
    assert response.status_code == 200, url
    return response.content.decode()


def visible_text(html: str) -> str:
    """What a reader sees of a page: no tags, scripts or styles, entities decoded."""
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    return unescape(re.sub(r"<[^>]+>", " ", html))


def point_search_at(settings, path) -> None:
    """Point haystack (bound at import) at another index directory for this test."""
    from haystack import connections

    settings.HAYSTACK_CONNECTIONS = {
        "default": {**settings.HAYSTACK_CONNECTIONS["default"], "PATH": str(path)}
    }
    connections.connections_info = settings.HAYSTACK_CONNECTIONS
    connections.reload("default")


@pytest.fixture
def no_search_index(settings, tmp_path):
    """A host that has not built its index yet."""
    point_search_at(settings, tmp_path / "missing")
    yield
    from haystack import connections

    connections.reload("default")


@pytest.fixture
def search_index(settings, tmp_path):
    """A fresh, empty index for this test; `.sync()` applies the index log like run_indexer."""
    from haystack import connections

    from knowledgebase.search.indexer import Indexer, rebuild

    point_search_at(settings, tmp_path / "index")
    rebuild()
    indexer = Indexer()
    indexer.sync = indexer.apply_pending
    yield indexer
    connections.reload("default")


# Search answers from the database when the index fails, which would also hide a bug in the
# search code itself: a test fails when the index path raised an error only code can cause.
PROGRAMMING_ERRORS = (TypeError, AttributeError, NameError, UnboundLocalError)


@pytest.fixture(autouse=True)
def forget_sentence_vectors():
    """Each test starts without the question vectors an earlier test's search remembered."""
    from knowledgebase.search import sentences

    sentences.forget()


@pytest.fixture(autouse=True)
def search_never_hides_a_bug(caplog):
    yield
    for record in caplog.get_records("call"):
        if record.name == "knowledgebase.search.query" and any(
            isinstance(arg, PROGRAMMING_ERRORS) for arg in record.args or ()
        ):
            pytest.fail(f"search fell back to the database on a bug: {record.getMessage()}")
