import pytest

from conftest import client_for
from knowledgebase import services
from knowledgebase.models import IndexLog
from knowledgebase.tests.factories import ArticleFactory, CategoryFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def article():
    return services.save_article(article=ArticleFactory.build(question="住民票の写し"))


def test_anonymous_and_non_staff_roles_are_sent_to_the_login(client, operator, supervisor, article):
    for visitor in (client, client_for(operator), client_for(supervisor)):
        response = visitor.get("/admin/knowledgebase/article/")
        assert response.status_code == 302 and "/login/" in response["Location"]


def test_the_administrator_sees_qas_but_cannot_change_them_there(administrator, article):
    admin = client_for(administrator)
    listing = admin.get("/admin/knowledgebase/article/")
    assert listing.status_code == 200 and "住民票の写し" in listing.content.decode()
    assert admin.get("/admin/knowledgebase/article/add/").status_code == 403
    change = admin.post(f"/admin/knowledgebase/article/{article.pk}/change/", {"question": "書き換え"})
    assert change.status_code == 403
    article.refresh_from_db()
    assert article.question == "住民票の写し"


def test_renaming_a_category_reindexes_its_qas_and_its_childrens(db):
    parent = CategoryFactory(name="くらし")
    child = CategoryFactory(name="ごみ", parent=parent)
    in_parent = services.save_article(article=ArticleFactory.build(category=parent))
    in_child = services.save_article(article=ArticleFactory.build(category=child))
    services.save_article(article=ArticleFactory.build())
    IndexLog.objects.all().delete()
    parent.name = "暮らし・手続き"
    services.save_category(category=parent)
    assert set(IndexLog.objects.values_list("article_id", flat=True)) == {in_parent.pk, in_child.pk}
