"""Every /kb/ page for every role: anonymous, operator, editor of another department,
editor of this department, supervisor (ARCHITECTURE.md, "Who may do what")."""

import pytest
from django.urls import reverse

from conftest import client_for
from contactcenter.accounts.roles import Role
from contactcenter.accounts.tests.factories import UserFactory
from knowledgebase import services
from knowledgebase.models import Flag, Revision, Status, Synonym
from knowledgebase.tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(department, other_department, department_editor, supervisor):
    article = services.save_article(
        article=ArticleFactory.build(department=department, status=Status.PUBLISHED), user=supervisor
    )
    flag = Flag.objects.create(article=article, reason="古い")
    synonym = Synonym.objects.create(term="転居", synonyms="引っ越し")
    revision = Revision.start(article)
    revision.answer = "改訂中の回答"
    services.save_revision(revision=revision, user=department_editor)
    return {
        "article": article,
        "flag": flag,
        "synonym": synonym,
        "other_editor": UserFactory(role=Role.DEPARTMENT_EDITOR, department=other_department),
    }


# (method, url name, uses: article | flag | synonym | None, {persona: expected status})
PAGES = [
    ("get", "kb:search", None, {"operator": 200, "other_editor": 200, "editor": 200, "supervisor": 200}),
    ("get", "kb:list", None, {"operator": 403, "other_editor": 200, "editor": 200, "supervisor": 200}),
    ("get", "kb:create", None, {"operator": 403, "other_editor": 200, "editor": 200, "supervisor": 200}),
    ("get", "kb:export", None, {"operator": 403, "other_editor": 200, "editor": 200, "supervisor": 200}),
    ("get", "kb:detail", "article", {"operator": 403, "other_editor": 404, "editor": 200, "supervisor": 200}),
    ("get", "kb:edit", "article", {"operator": 403, "other_editor": 404, "editor": 200, "supervisor": 200}),
    (
        "get",
        "kb:history",
        "article",
        {"operator": 403, "other_editor": 404, "editor": 200, "supervisor": 200},
    ),
    (
        "get",
        "kb:preview",
        "article",
        {"operator": 403, "other_editor": 404, "editor": 200, "supervisor": 200},
    ),
    (
        "post",
        "kb:submit",
        "article",
        {"operator": 403, "other_editor": 404, "editor": 302, "supervisor": 302},
    ),
    (
        "post",
        "kb:translate",
        "article",
        {"operator": 403, "other_editor": 404, "editor": 302, "supervisor": 302},
    ),
    (
        "post",
        "kb:send_back",
        "article",
        {"operator": 403, "other_editor": 403, "editor": 403, "supervisor": 302},
    ),
    (
        "post",
        "kb:publish",
        "article",
        {"operator": 403, "other_editor": 403, "editor": 403, "supervisor": 302},
    ),
    (
        "post",
        "kb:withdraw",
        "article",
        {"operator": 403, "other_editor": 403, "editor": 403, "supervisor": 302},
    ),
    (
        "post",
        "kb:restore",
        "article",
        {"operator": 403, "other_editor": 403, "editor": 403, "supervisor": 302},
    ),
    (
        "get",
        "kb:revision_live_changes",
        "article",
        {"operator": 403, "other_editor": 404, "editor": 200, "supervisor": 200},
    ),
    (
        "post",
        "kb:revision_discard",
        "article",
        {"operator": 403, "other_editor": 404, "editor": 302, "supervisor": 302},
    ),
    ("get", "kb:review", None, {"operator": 403, "other_editor": 403, "editor": 403, "supervisor": 200}),
    ("post", "kb:flag", "article", {"operator": 302, "other_editor": 403, "editor": 403, "supervisor": 302}),
    ("get", "kb:flags", None, {"operator": 403, "other_editor": 200, "editor": 200, "supervisor": 200}),
    (
        "post",
        "kb:flag_resolve",
        "flag",
        {"operator": 403, "other_editor": 404, "editor": 302, "supervisor": 302},
    ),
    ("get", "kb:synonyms", None, {"operator": 403, "other_editor": 403, "editor": 403, "supervisor": 200}),
    (
        "get",
        "kb:synonym_edit",
        "synonym",
        {"operator": 403, "other_editor": 403, "editor": 403, "supervisor": 200},
    ),
    (
        "post",
        "kb:synonym_delete",
        "synonym",
        {"operator": 403, "other_editor": 403, "editor": 403, "supervisor": 302},
    ),
]


@pytest.mark.parametrize(("method", "name", "uses", "expected"), PAGES, ids=[page[1] for page in PAGES])
@pytest.mark.parametrize("persona", ["anonymous", "operator", "other_editor", "editor", "supervisor"])
def test_each_role_gets_what_the_access_table_says(
    client, world, operator, department_editor, supervisor, method, name, uses, expected, persona
):
    url = reverse(name, args=[world[uses].pk] if uses else [])
    visitor = {
        "anonymous": client,
        "operator": client_for(operator),
        "other_editor": client_for(world["other_editor"]),
        "editor": client_for(department_editor),
        "supervisor": client_for(supervisor),
    }[persona]
    response = getattr(visitor, method)(url)
    if persona == "anonymous":
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    else:
        assert response.status_code == expected[persona]
