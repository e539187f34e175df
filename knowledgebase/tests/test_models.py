from datetime import timedelta

import pytest
from django.utils import timezone

from knowledgebase.models import Article, Audience, Status
from knowledgebase.tests.factories import ArticleFactory


@pytest.mark.django_db
def test_published_queryset_and_instance_method_agree_on_every_case():
    now = timezone.now()
    hour = timedelta(hours=1)
    cases = [
        ArticleFactory(status=status, audience=audience, publish_from=start, publish_until=end)
        for status in Status.values
        for audience in Audience.values
        for start, end in [
            (None, None),
            (now - hour, None),
            (now + hour, None),
            (None, now - hour),
            (None, now + hour),
        ]
    ]
    published = set(Article.objects.published().values_list("pk", flat=True))
    assert published == {article.pk for article in cases if article.is_published()}
    # Exactly: published, public, and inside its dates.
    assert len(published) == 3


@pytest.mark.django_db
def test_expired_article_leaves_the_public_without_any_job_running():
    article = ArticleFactory(publish_until=timezone.now() + timedelta(seconds=1))
    later = timezone.now() + timedelta(seconds=2)
    assert article.is_published()
    assert not Article.objects.published(at=later).filter(pk=article.pk).exists()
    assert not article.is_published(at=later)
