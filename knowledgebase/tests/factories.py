import factory

from knowledgebase.models import Article, Audience, Category, Status


class CategoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Category

    name = factory.Sequence(lambda n: f"分類{n}")


class ArticleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Article

    question = factory.Sequence(lambda n: f"質問{n}はどうすればよいですか。")
    answer = "回答です。"
    language = "ja"
    audience = Audience.PUBLIC
    status = Status.PUBLISHED
    external_id = factory.Sequence(lambda n: f"T{n:04d}")
