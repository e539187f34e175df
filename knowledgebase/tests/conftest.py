import pytest

from knowledgebase import services
from knowledgebase.models import Status
from knowledgebase.tests.factories import ArticleFactory


@pytest.fixture
def draft(department, department_editor):
    article = ArticleFactory.build(
        question="犬の登録はどこでできますか。",
        answer="区役所で登録できます。",
        status=Status.DRAFT,
        department=department,
    )
    return services.save_article(article=article, user=department_editor)
