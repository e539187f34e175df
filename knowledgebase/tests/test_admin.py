import re

import pytest
from django.urls import reverse
from django.utils import translation

from conftest import client_for, japanese_page, visible_text
from contactcenter.accounts.models import AuditEvent
from knowledgebase import services
from knowledgebase.models import IndexLog, Status
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


def test_the_audit_log_shows_states_and_model_names_in_japanese(administrator, department_editor):
    article = services.save_article(article=ArticleFactory.build(status=Status.DRAFT))
    services.submit_for_review(subject=article, user=department_editor, note="確認お願いします")
    event = AuditEvent.objects.get()
    assert (event.from_state, event.to_state) == ("draft", "review")
    listing = visible_text(japanese_page(administrator, reverse("admin:accounts_auditevent_changelist")))
    assert "下書き" in listing and "承認待ち" in listing
    assert not re.search(r"\b(draft|review|published|archived)\b", listing)
    assert "historical" not in listing and "Q&Aの版" in listing
    detail = visible_text(
        japanese_page(administrator, reverse("admin:accounts_auditevent_change", args=[event.pk]))
    )
    assert "下書き" in detail and "承認待ち" in detail and "draft" not in detail


def test_every_recorded_qa_state_and_action_has_a_name_in_the_audit_log():
    from contactcenter.accounts.audit_labels import action_label, state_label
    from knowledgebase.audit import ACTION_LABELS

    with translation.override("ja"):
        assert all(state_label(value) != value for value in Status.values)
        assert all(action_label(value) != value for value in ACTION_LABELS)
